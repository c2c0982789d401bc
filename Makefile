# Two commands for a fresh machine with Python 3:
#   make lab   create .venv if missing, install the course, open JupyterLab on notebooks/
#   make test  same set-up, then unit tests and every notebook under nbval (fast profile)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: lab test install clean report bench browser-test pythons repository site

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
# GAN_LESSONS_QUIET=1 turns the training progress bars off. The browser test has a target
# of its own (it needs Chromium).
test: $(STAMP)
	GAN_LESSONS_FAST=1 GAN_LESSONS_QUIET=1 $(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env \
		--ignore=tests/browser

# JupyterLab in headless Chromium runs lessons 01 and 02 (tests/browser). Needs Debian's
# chromium (apt-get install chromium) or CHROMIUM=/path/to/chromium; Playwright drives it.
browser-test: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,browser]"
	GAN_LESSONS_QUIET=1 $(BIN)/python -m pytest tests/browser

# make site: the course as a website in _build/site/html (open its index.html), written by
# tools/site.py: the notebooks with their stored outputs (nothing is executed), the solutions,
# glossary, how to run and the reports, built by Sphinx + MyST-NB (the docs extra) with warnings
# as errors, then checked (every page there, every lesson's figures and equations). Offline.
DOCS_STAMP := $(VENV)/.docs-installed-stamp
$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	touch $(DOCS_STAMP)

site: $(DOCS_STAMP)
	$(BIN)/python tools/site.py build

# The package installed (not editable) into fresh virtual environments on Python 3.10 and
# 3.13, a fast subset of the tests and, on the newest, every lesson copied alone into an
# empty folder (as on Colab). PYTHONS="3.12" to choose others.
pythons:
	bash .ci/pythons.sh

# make repository REPO=owner/name: the course's GitHub address, written into pyproject.toml,
# every notebook's Colab install cell and the README's badges (tools/repository.py).
repository: $(STAMP)
	@test -n "$(REPO)" || (echo "usage: make repository REPO=owner/name" >&2; exit 2)
	$(BIN)/python tools/repository.py --set $(REPO)

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
	rm -rf $(VENV) build _build *.egg-info
