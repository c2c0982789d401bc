# Two commands for a fresh machine with Python 3:
#   make lab   create .venv if missing, install the course, open JupyterLab on notebooks/
#   make test  same set-up, then unit tests and every notebook under nbval (fast profile)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: lab test install clean

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

clean:
	rm -rf $(VENV) build *.egg-info
