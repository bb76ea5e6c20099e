# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SNAPSHOT ?= snapshots/reference
REPORTS  ?= reports/demo
LANG_REPORT ?= sv
LAB      ?= .lab

.PHONY: install demo demo-offline test check bench bench-live bench-scale reference clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[lab,test,dev]'
	touch $(STAMP)

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $(VENV)/.installed-bench

install: $(STAMP)

## demo: start the simulated Dalslandsnätet, audit it live over SSH and SNMP, stop it, print the report
demo: $(STAMP)
	@$(BIN)/dalsnet-audit lab up --snapshot $(SNAPSHOT) --state-dir $(LAB)
	@$(BIN)/dalsnet-audit audit --inventory $(LAB)/inventory --known-hosts $(LAB)/known_hosts \
		--av-console $(SNAPSHOT)/av/console.csv \
		--as-of $$($(BIN)/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["taken_at"])' $(SNAPSHOT)/meta.json) \
		--out $(REPORTS) --archive reports/archive --format html,md,json,junit,csv,sarif --lang $(LANG_REPORT); \
	code=$$?; \
	$(BIN)/dalsnet-audit lab down --state-dir $(LAB); \
	echo "exit code $$code (0 compliant, 1 failures at or above --fail-on, 3 not everything audited)"; \
	echo "open: $$(pwd)/$(REPORTS)/report.html"; \
	test $$code -ne 2

## demo-offline: the same audit read from the snapshot files, no network
demo-offline: $(STAMP)
	@$(BIN)/dalsnet-audit audit --offline $(SNAPSHOT) --out reports/offline \
		--format html,md,json,junit,csv,sarif --lang $(LANG_REPORT); \
	code=$$?; echo "open: $$(pwd)/reports/offline/report.html"; test $$code -ne 2

## test: install what the tests need (Python packages; PostgreSQL and Chromium where root) and run them
test: $(STAMP)
	@bash tests/system-packages.sh
	$(BIN)/python -m pytest -q

## check: lint, format and type checks
check: $(STAMP)
	$(BIN)/ruff check dalsnet_audit tests benchmarks
	$(BIN)/ruff format --check dalsnet_audit tests benchmarks
	$(BIN)/mypy dalsnet_audit
	$(BIN)/yamllint --strict inventory policies

## bench: offline benchmark (2,000 generated configs)
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/offline.py

## bench-live: 200 simulated devices audited live, against a plain Netmiko collection floor
bench-live: $(STAMP)
	$(BIN)/python benchmarks/live.py

## bench-scale: offline at 1,000 and 10,000 generated devices (serial and Dask), live at 1,000
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

## reference: regenerate inventory/ and snapshots/reference/ from the generator
reference: $(STAMP)
	$(BIN)/python -m dalsnet_audit.lab.refnet --snapshot $(SNAPSHOT) --inventory inventory

clean:
	-$(BIN)/dalsnet-audit lab down --state-dir $(LAB)
	rm -rf $(VENV) reports archive $(LAB) .pytest_cache .mypy_cache .ruff_cache
