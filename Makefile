# Two commands do all the set-up on a fresh machine:
#   make run   - create .venv, install Granska, build the index of corpus/ if needed, open the TUI
#   make test  - create .venv, install Granska with the test tools, run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench eval clean

run: $(VENV)/.installed
	$(BIN)/granska index
	$(BIN)/granska tui

test: $(VENV)/.installed-test
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench.py

eval: $(VENV)/.installed
	$(BIN)/granska eval eval/questions.jsonl --retriever all --detail

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# torch first, pinned: the CPU build of 2.13.0 is on disk; any other spec pulls CUDA packages.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,st]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) .granska-cache
