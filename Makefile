# Two commands matter: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= demo.duckdb

.PHONY: demo test lint venv bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## Build a demo database and open the app on it. An existing one is kept (and opened):
## it may hold triage decisions you made; `make demo FORCE=1` rebuilds it.
demo: venv
	@if [ -e "$(DB)" ] && [ -z "$(FORCE)" ]; then \
		echo "Opening the existing $(DB) (make demo FORCE=1 builds a fresh one)."; \
		$(BIN)/standup $(DB); \
	else \
		$(BIN)/standup demo $(DB) --force; \
	fi

## Lint, type-check and run the whole test suite.
test: venv lint
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check standup screens queries tests
	$(BIN)/ruff format --check standup screens queries tests
	$(BIN)/mypy

## Benchmarks, not part of `make test`: 100k and 1M leads side by side with SQLite and
## Harlequin; writes BENCHMARKS.md. `make bench BENCH_ARGS=--big` adds 10M leads.
bench: venv
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
