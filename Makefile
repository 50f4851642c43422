# lagprov: the two commands a newcomer needs are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench lab clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev,service]'
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python -m lagprov.cli.demo

test: $(STAMP) lint
	@$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	@$(BIN)/ruff check lagprov tests bench
	@$(BIN)/mypy

bench: $(STAMP)
	@$(BIN)/python -m bench

lab: $(STAMP)
	@$(BIN)/lagprov lab up

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
