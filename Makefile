# Gazette: `make run` starts the stack, `make test` runs every check. Both install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GOLD ?= ../shared/eval/meantime-en.jsonl
PYTEST_ARGS ?=

.PHONY: setup run test lint typecheck unit integration e2e eval bench lock clean

setup: $(BIN)/gazette

# Idempotent: reinstalls only when the lock or the project's metadata changed.
$(BIN)/gazette: requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

run: setup
	$(BIN)/gazette up

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest $(PYTEST_ARGS)

unit: setup
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

integration: setup
	$(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

e2e: setup
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

eval: setup
	mkdir -p build/eval
	$(BIN)/python -m services.enrich.evaluate $(GOLD) --out build/eval/system.jsonl

bench: setup
	$(BIN)/python -m bench.pipeline
	$(BIN)/python -m bench.throughput
	$(BIN)/python -m bench.query
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.feed_parse
	$(BIN)/python -m bench.hostile_text

# Re-resolve the pinned versions (needs pip-tools: `$(BIN)/pip install pip-tools`).
# requirements-dev.lock: everything `make test` and `gazette up` need. requirements.lock: only what
# the services run (the Docker image), resolved to the same versions as the dev lock.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev --extra embedded -o requirements-dev.lock pyproject.toml
	$(BIN)/python scripts/tidy_lock.py requirements-dev.lock
	cp requirements-dev.lock requirements.lock
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra api --extra enrich --extra ingest -o requirements.lock pyproject.toml
	$(BIN)/python scripts/tidy_lock.py requirements.lock

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache
