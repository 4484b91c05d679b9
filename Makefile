PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test bench screenshots stress clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m compileall -q store tui  # an editable install compiles nothing itself
	touch $(STAMP)

$(TSTAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(TSTAMP)

run: $(STAMP)
	$(BIN)/papers

test: $(TSTAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(TSTAMP)
	$(BIN)/python -m bench

screenshots: $(TSTAMP)
	$(BIN)/python scripts/screenshots.py

stress: $(TSTAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m stress --stress-full tests

clean:
	rm -rf $(VENV) build *.egg-info
