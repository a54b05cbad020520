# accord: two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null)
HOME_DIR ?= accord-home
# PostgreSQL tests run whenever a server answers on 127.0.0.1:5432, as in CI (.ci/run); else they skip, saying why.
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PG_UP = $(shell (command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432) \
	|| $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres', connect_timeout=2).close()" \
	2>/dev/null && echo yes)
TEST_ENV = $(if $(ACCORD_TEST_POSTGRES_URL),,$(if $(PG_UP),ACCORD_TEST_POSTGRES_URL=$(PG_URL)))

.PHONY: venv demo test test-fast bench clean

venv: $(BIN)/accord

$(BIN)/accord: pyproject.toml
	@if [ -n "$(UV)" ]; then \
		uv venv -q --allow-existing $(VENV) --python $(PYTHON) && \
		uv pip install -q --compile-bytecode --python $(BIN)/python -e '.[test]'; \
	else \
		$(PYTHON) -m venv $(VENV) && $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e '.[test]'; \
	fi
	@# Bytecode up front: where PYTHONDONTWRITEBYTECODE is set, every command would otherwise recompile
	@# SQLAlchemy and pydantic from source (accord submit 1.3 s instead of 0.55 s on this machine).
	@$(BIN)/python -m compileall -q -j 0 drafting storage flows > /dev/null
	@touch $(BIN)/accord

demo: venv
	$(BIN)/accord demo --home $(HOME_DIR) --fresh --bilingual

test: venv
	$(BIN)/ruff format --check --quiet drafting storage flows tests bench
	$(BIN)/ruff check --quiet drafting storage flows tests bench
	$(BIN)/mypy
	$(TEST_ENV) $(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

bench: venv
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/compile.py
	$(BIN)/python bench/round.py
	$(BIN)/python bench/replay.py
	$(BIN)/python bench/coldstart.py

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache
