PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
LOCK := constraints.txt
# Exact versions from the lock; the checkout on sys.path through a plain .pth line
# (editable_mode=compat): setuptools' default editable finder runs for every module
# imported and makes start-up slower than an installed copy's.
PIP_INSTALL := $(BIN)/python -m pip install -q -c $(LOCK)
EDITABLE := --config-settings editable_mode=compat -e

.PHONY: run test bench screenshots stress lock clean

$(STAMP): pyproject.toml $(LOCK)
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) $(EDITABLE) .
	$(BIN)/python -m compileall -q store tui  # an editable install compiles nothing itself
	touch $(STAMP)

$(TSTAMP): $(STAMP)
	$(PIP_INSTALL) $(EDITABLE) '.[test]'
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

# Regenerate the lock from a fresh venv: the newest versions pyproject.toml's ranges allow
# (run it after adding a dependency; then make test, and commit constraints.txt).
lock:
	scripts/lock.sh $(PY) $(LOCK)

clean:
	rm -rf $(VENV) build *.egg-info
