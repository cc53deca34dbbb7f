# Gazette: `make run` starts the stack, `make test` runs every check. Both install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The dev sets (gold JSON lines and the scorer beside them) live outside the repository.
DEV_SETS ?= ../shared/eval
PYTEST_ARGS ?=

.PHONY: setup run test lint typecheck unit integration e2e eval bench lock clean compose-test

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

# The compose stack for real on a Docker engine of its own: build, up, healthy, an article, the
# inbox, a killed worker, down (tests/compose/compose_test.sh says how; it skips where no engine runs).
compose-test: setup
	bash tests/compose/compose_test.sh

# Scores every dev set in $(DEV_SETS) (TBAQ and MEANTIME); a fresh clone has none, and says so.
eval: setup
	@mkdir -p build/eval
	@if [ ! -f $(DEV_SETS)/score.py ] || [ -z "$(wildcard $(DEV_SETS)/*.jsonl)" ]; then \
		echo "make eval: no dev sets in $(DEV_SETS) (gold *.jsonl with score.py beside them);" \
			"nothing was scored. Point DEV_SETS at such a folder."; \
		exit 0; \
	fi; \
	for gold in $(wildcard $(DEV_SETS)/*.jsonl); do \
		echo "== $$gold"; \
		$(BIN)/python -m services.enrich.evaluate $$gold --out build/eval/$$(basename $$gold) || exit 1; \
	done

bench: setup
	$(BIN)/python -m bench.pipeline
	$(BIN)/python -m bench.throughput
	$(BIN)/python -m bench.query
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.backfill
	$(BIN)/python -m bench.redis_memory
	$(BIN)/python -m bench.feed_parse
	$(BIN)/python -m bench.hostile_text
	$(BIN)/python -m bench.hostile_ingest gzip-bomb
	$(BIN)/python -m bench.hostile_ingest inbox
	$(BIN)/python -m bench.labels
	$(BIN)/python -m bench.web --size 10000

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
