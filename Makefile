# Two commands for users: `make run` and `make test`. Everything else is set-up they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/pip install --quiet --constraint constraints.txt

.PHONY: setup run test lint eval bench clean-index

setup: $(STAMP)

# Re-installs only when the dependency files change; otherwise a no-op.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) torch==2.13.0
	$(PIP) -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/rag ask "Which bodies propose a food industrial park?"

test: setup
	$(BIN)/ruff check rag embeddings ui eval tests benchmarks
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check rag embeddings ui eval tests benchmarks

eval: setup
	$(BIN)/rag eval

bench: setup
	$(BIN)/python benchmarks/bench_lexical.py

clean-index:
	rm -rf index
