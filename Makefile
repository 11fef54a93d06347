# Two set-up commands: `make demo` and `make test`. Everything else is a step
# they share.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Two test workers: one per core of the machines the suite runs on.
TEST_WORKERS ?= 2

.PHONY: demo test install browser lint bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

browser: node_modules/axe-core/axe.min.js
	@scripts/ensure-chromium

demo: install
	$(BIN)/stedenplatform migrate --noinput
	$(BIN)/stedenplatform load-demo
	@$(BIN)/stedenplatform demo-accounts --url http://$(HOST):$(PORT)
	$(BIN)/stedenplatform runserver $(HOST):$(PORT)

test: install browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
