# Every target sets itself up on a fresh machine: Python 3.11+ and make are enough.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: run test test-clock fuzz bench serve lint system-deps clean

$(READY): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(READY)

## Start the app (a browser tab on machines without a display). DATA=dir to choose where data lives.
run: $(READY)
	$(BIN)/crewkit $(if $(DATA),--data $(DATA))

## Everything CI runs: lint, unit, property, server (SQLite + PostgreSQL, schemathesis
## fuzzing included) and browser tests, then the non-browser suite again at a shifted
## date and zone (see test-clock).
test: $(READY) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	sh .ci/shifted-clock lisbon

## The non-browser suite under libfaketime at three moments where clock bugs show.
test-clock: $(READY) system-deps
	for clock in lisbon auckland los-angeles; do sh .ci/shifted-clock $$clock || exit 1; done

## Schemathesis against a served sync server's OpenAPI schema, on SQLite and PostgreSQL.
fuzz: $(READY) system-deps
	$(BIN)/python -m pytest tests/server/test_server_fuzz.py

## Benchmarks: JSON lines, each figure beside its reference from the same run.
bench: $(READY) system-deps
	$(BIN)/python -m bench.store
	$(BIN)/python -m bench.sync
	$(BIN)/python -m bench.hub
	$(BIN)/python -m bench.media
	$(BIN)/python -m bench.receipts

## The sync endpoint on 127.0.0.1:8765 (data in ./crewkit-server-data).
serve: $(READY)
	$(BIN)/crewkit-server serve

lint: $(READY)
	$(BIN)/ruff check .

system-deps:
	sh .ci/system-deps

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
