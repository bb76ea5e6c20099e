# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SNAPSHOT ?= snapshots/reference
REPORTS  ?= reports/demo
LANG_REPORT ?= sv

.PHONY: install demo test check bench reference clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $(VENV)/.installed-bench

install: $(STAMP)

## demo: audit the reference Dalslandsnätet and print where the reports are
demo: $(STAMP)
	@$(BIN)/dalsnet-audit audit --offline $(SNAPSHOT) --out $(REPORTS) \
		--format html,md,json,junit,csv --lang $(LANG_REPORT); \
	code=$$?; \
	echo "exit code $$code (0 compliant, 1 failures at or above --fail-on, 3 not everything audited)"; \
	echo "open: $$(pwd)/$(REPORTS)/report.html"; \
	test $$code -ne 2

## test: install what the tests need and run them
test: $(STAMP)
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

## reference: regenerate inventory/ and snapshots/reference/ from the generator
reference: $(STAMP)
	$(BIN)/python -m dalsnet_audit.lab.refnet --snapshot $(SNAPSHOT) --inventory inventory

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
