# Two commands for a fresh machine with Python 3:
#   make lab   create .venv if missing, install the course, open JupyterLab on notebooks/
#   make test  same set-up, then unit tests and every notebook under nbval (fast profile)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: lab test install clean report bench

install: $(STAMP)

# Reinstall whenever pyproject.toml changes; the package is installed editable,
# so edits to gan_lessons/ need no reinstall.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# --nbval-lax executes every cell and compares only the outputs of cells marked
# "# NBVAL_CHECK_OUTPUT" (closed-form results); --nbval-current-env runs the
# notebooks in this virtual environment's kernel.
test: $(STAMP)
	GAN_LESSONS_FAST=1 $(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env

# make report PROFILE=cpu|fast|gpu: every numbered notebook in a fresh kernel in that
# profile; writes reports/$(PROFILE).md and .json and fails if a notebook fails.
# Options through REPORT_ARGS, e.g. REPORT_ARGS="--only 03 --save-executed notebooks".
PROFILE ?= cpu
REPORT_ARGS ?=
report: $(STAMP)
	$(BIN)/python tools/report.py --profile $(PROFILE) $(REPORT_ARGS)

# make bench: training steps per second of the GAN class against hand-written loops,
# on the same DCGAN and batch; writes reports/bench.md and .json.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
