# Two commands for users: `make run` and `make test`. Everything else is set-up they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/pip install --quiet --constraint constraints.txt

.PHONY: setup run test lint eval bench clean-index browser-deps

setup: $(STAMP)

# Re-installs only when the dependency files change; otherwise a no-op.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) torch==2.13.0
	$(PIP) -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/rag ui

# The browser tests drive Debian's chromium (Playwright cannot download its own browser offline); CJK fonts
# so Chinese renders in screenshots. Installs only what is missing.
browser-deps:
	@if dpkg -s chromium fonts-noto-cjk >/dev/null 2>&1 && [ -x /usr/bin/chromium ]; then :; else \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; fi

test: setup browser-deps
	$(BIN)/ruff check rag cli embeddings ui eval tests benchmarks tools
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check rag cli embeddings ui eval tests benchmarks tools

eval: setup
	$(BIN)/rag eval

bench: setup
	$(BIN)/python benchmarks/bench_lexical.py
	$(BIN)/python benchmarks/bench_retrieval.py --quick

clean-index:
	rm -rf index
