# Two commands do everything: `make run` and `make test`.
# Dependencies come from the lock files (hash-checked), the same ones the container image and
# CI install from; `make lock` regenerates them after a change to pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
LOCK_PYTHON := 3.11
UPGRADE ?=
# pytest-xdist workers for `make test`: one per core (docs/testing.md); TEST_WORKERS=0 runs
# in one process (a debugger, print statements).
TEST_WORKERS ?= auto
LOCK_FLAGS := --universal --python-version $(LOCK_PYTHON) --generate-hashes --quiet $(UPGRADE)

.PHONY: run test lint typecheck imports pytest clean bench lock

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Runtime (the image: the project and its sentry extra) and dev (CI, make test). Versions
# already locked are kept; `make lock UPGRADE=--upgrade` moves everything to the newest.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra sentry -o requirements.lock $(LOCK_FLAGS)
	$(BIN)/uv pip compile pyproject.toml --extra sentry --extra dev -o $(LOCK) $(LOCK_FLAGS)

run: $(STAMP)
	$(BIN)/champions-bot run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS)

bench: $(STAMP)
	for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
