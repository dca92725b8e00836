# qtwatch: two commands for a newcomer — `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export GX_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1

.PHONY: demo test install lint replay serve report docs bench bench-validation clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## create the virtualenv and install qtwatch with its dev tools

demo: $(STAMP) ## run the whole pipeline offline on the bundled recorded snapshot
	@start=$$(date +%s); \
	$(BIN)/qtwatch run --replay && \
	echo "pipeline took $$(( $$(date +%s) - start ))s"

test: $(STAMP) ## run the test suite (no network)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff and the mypy type check (both must be clean)
	$(BIN)/ruff check .
	$(BIN)/mypy

report: $(STAMP) ## write the HTML report from the published warehouse
	$(BIN)/qtwatch report

docs: $(STAMP) ## regenerate the data dictionary docs/warehouse.md from the warehouse catalog
	$(BIN)/qtwatch docs

bench: $(STAMP) ## measure trivial flow, floor, full / re-run / incremental runs, stages, scaling, queries (~10 min)
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

bench-validation: $(STAMP) ## time each suite on real recorded batches (pandas vs SQL datasource)
	$(BIN)/python -m benchmarks.bench_validation

replay: $(STAMP) ## rebuild replay/ from ../shared/data/real
	$(BIN)/python -m scripts.build_replay

clean:
	rm -rf $(VENV) data .pytest_cache

serve: $(STAMP) ## start the local Prefect server + UI (http://127.0.0.1:4200) and serve the scheduled deployments
	$(BIN)/qtwatch serve $(SERVE_ARGS)
