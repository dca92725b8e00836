# qtwatch: two commands for a newcomer — `make demo` and `make test` (`make help` lists every target).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements-dev.lock
LOCK_ARGS ?=
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export GX_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
# Prefect's temporary server gets 20 s to start by default: on two busy cores (a new PREFECT_HOME migrates its
# database first) that is not always enough.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180

.PHONY: help demo test test-slow test-all install lock chromium lint replay serve report docs bench bench-validation bench-suites clean \
	distclean install-team test-team postgresql bench-team

help: ## list the targets with what each does
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | \
		awk -F '\t' '{ printf "  make %-17s %s\n", $$1, $$2 }'

# The exact versions the tests ran with come from the lock file; qtwatch itself goes in editable, without deps.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## create the virtualenv and install qtwatch with its dev tools, pinned by requirements-dev.lock

# Team mode (DuckLake on PostgreSQL, docs/team.md) runs on DuckDB 1.5.5, whose extensions come as PyPI wheels: its
# own virtualenv from requirements-team.lock (the dev lock's versions, DuckDB 1.5.5 and the extension wheels).
TEAM_VENV ?= .venv-team
TEAM_STAMP := $(TEAM_VENV)/.installed
TEAM_LOCK := requirements-team.lock

$(TEAM_STAMP): pyproject.toml $(TEAM_LOCK)
	@test -x $(TEAM_VENV)/bin/python || $(PYTHON) -m venv $(TEAM_VENV)
	$(TEAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TEAM_VENV)/bin/python -m pip install --quiet -r $(TEAM_LOCK)
	$(TEAM_VENV)/bin/python -m pip install --quiet --no-deps -e .
	@touch $(TEAM_STAMP)

install-team: $(TEAM_STAMP) ## create .venv-team for team mode (DuckDB 1.5.5 + DuckLake wheels), pinned by requirements-team.lock

lock: $(STAMP) ## re-resolve requirements.lock / requirements-dev.lock from pyproject.toml (LOCK_ARGS=--upgrade to bump)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --quiet $(LOCK_ARGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --quiet $(LOCK_ARGS) \
		-o requirements-dev.lock
	grep -E '^[A-Za-z0-9_.-]+==' requirements-dev.lock | grep -v '^duckdb' > team-constraints.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra team --universal --python-version 3.11 --quiet \
		-c team-constraints.txt -o $(TEAM_LOCK); status=$$?; rm -f team-constraints.txt; exit $$status

# The report's screenshot tests need a headless Chromium: installed from Debian's packages when we are root.
chromium: ## install headless Chromium (Debian's package, as root) for the report and Data Docs checks
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null \
	|| { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	       echo "installing headless Chromium (apt-get install -y chromium)"; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	     else echo "headless Chromium not found: install it (apt-get install -y chromium); the report tests need it"; fi; }

demo: $(STAMP) ## run the whole pipeline offline on the bundled recorded snapshot
	@start=$$(date +%s); \
	$(BIN)/qtwatch run --replay && \
	echo "pipeline took $$(( $$(date +%s) - start ))s"

# `make test` is the quick suite (~15 min on 2 cores): every test but those marked slow. `make test-slow` runs the
# slow ones (the kill -9 series, bad payloads of every source, signals, live runs: ~25 min); CI runs both, and
# `make test-all` runs everything in one session. Nothing is skipped in any of them.
test: $(STAMP) chromium ## run the test suite but the slow cases (no network; writes nothing under data/)
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP) chromium ## run the slow cases: kill -9 series, bad payloads, signals, live runs (CI runs them)
	$(BIN)/python -m pytest -m slow

test-all: $(STAMP) chromium ## run every test of `make test` and `make test-slow` in one session
	$(BIN)/python -m pytest

# The team-mode tests start their own throw-away PostgreSQL cluster: Debian's package, installed when we are root.
postgresql: ## install PostgreSQL (Debian's package, as root) for the team-mode tests
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	|| { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	       echo "installing PostgreSQL (apt-get install -y postgresql)"; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	     else echo "PostgreSQL not found: install it (apt-get install -y postgresql); the team-mode tests need it"; fi; }

test-team: $(TEAM_STAMP) postgresql ## run the team-mode suite (DuckLake on a throw-away PostgreSQL) in .venv-team
	$(TEAM_VENV)/bin/python -m pytest tests/team_tests

lint: $(STAMP) ## ruff (lint and format) and the mypy type check (all must be clean)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

report: $(STAMP) ## write the HTML report from the published warehouse
	$(BIN)/qtwatch report

docs: $(STAMP) ## regenerate the data dictionary docs/warehouse.md from the warehouse catalog
	$(BIN)/qtwatch docs

bench: $(STAMP) $(TEAM_STAMP) postgresql ## measure the file mode (flow, floor, runs, stages, scaling, queries), then the team mode beside it (~25 min)
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)
	$(TEAM_VENV)/bin/python -m benchmarks.bench_team $(TEAM_BENCH_ARGS)

bench-team: $(TEAM_STAMP) postgresql ## the team mode beside the file mode alone (.venv-team): full, next day, re-run at x1 and x16 (~15 min)
	$(TEAM_VENV)/bin/python -m benchmarks.bench_team $(TEAM_BENCH_ARGS)

bench-validation: $(STAMP) ## time each suite on real recorded batches (pandas vs SQL datasource)
	$(BIN)/python -m benchmarks.bench_validation

bench-suites: $(STAMP) ## rules and median validation time of every suite on the replay's full history (~20 s)
	$(BIN)/python -m benchmarks.bench_suites

replay: $(STAMP) ## rebuild replay/ from ../shared/data/real
	$(BIN)/python -m scripts.build_replay

clean: ## remove the virtualenv and caches; keeps data/ (the warehouse, its history, report and Data Docs)
	rm -rf $(VENV) $(TEAM_VENV) .pytest_cache .ruff_cache .mypy_cache build *.egg-info

distclean: clean ## clean, and delete data/ too: the warehouse with its kept history and revisions (asks first)
	@if [ -d data ]; then \
	  if [ "$(YES)" != 1 ]; then \
	    printf 'delete data/ (%s) with the warehouse, its history and revisions? [y/N] ' "$$(du -sh data | cut -f1)"; \
	    read answer; [ "$$answer" = y ] || { echo "kept data/"; exit 1; }; \
	  fi; rm -rf data; echo "deleted data/"; fi

serve: $(STAMP) ## start the local Prefect server + UI (http://127.0.0.1:4200) and serve the scheduled deployments
	$(BIN)/qtwatch serve $(SERVE_ARGS)
