# paraaf developer tasks. Everything runs inside ./.venv, created on demand.
#
#   make install   create .venv and install paraaf[dev] pinned by requirements.lock, and the
#                  Helm chart's checkers (infra/helm/check-requirements.txt); build the tab's
#                  web app (web/: npm ci, API types from the server's OpenAPI document, vite);
#                  and `make system-packages`
#   make system-packages  LibreOffice and fonts from Debian (rendering decision documents),
#                  when run as root on Debian; otherwise it says what to install
#   make chromium  install Debian's chromium for the browser tests (root; CI does it)
#   make lint      ruff + mypy
#   make test      lint, then pytest with coverage of approvals/ and word/
#   make test-quick  the fast tests: unit and contract (no end-to-end), no lint, no coverage
#   make bench     run the benchmarks
#   make run       seed demo data and serve the bot locally
#   make lock      regenerate requirements.lock from pyproject.toml
#   make clean     remove caches and build artefacts (keeps .venv)
#   make distclean clean + remove .venv

SHELL := /bin/bash
.DEFAULT_GOAL := test

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed

# Tool versions used only by `make lock`.
UV_VERSION := 0.13.8

COV_ARGS := --cov=approvals --cov=word --cov-report=term-missing:skip-covered --cov-fail-under=90

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install web chromium system-packages lint test test-quick bench run lock clean distclean

# ---------------------------------------------------------------- install

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock infra/helm/check-requirements.txt | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	$(PIP) install --quiet -c requirements.lock -r infra/helm/check-requirements.txt
	@touch $@

# The tab's web app: node_modules from package-lock.json, the API's TypeScript types generated
# from the server's own OpenAPI document (bot/tab/openapi.py), then the Vite build in web/dist.
# Each step has its stamp, so a second `make install` does nothing.
WEB_MODULES := web/node_modules/.installed
WEB_DIST    := web/dist/index.html
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts \
	web/tsconfig.json web/package.json
API_SOURCES := $(wildcard bot/tab/*.py) $(wildcard cards/contract.py)

$(WEB_MODULES): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/openapi.json: $(STAMP) $(API_SOURCES)
	$(PY) -m bot.tab.openapi > $@.tmp && mv $@.tmp $@

$(WEB_DIST): $(WEB_MODULES) web/openapi.json $(WEB_SOURCES)
	cd web && npm run -s types && npm run -s build

# Until the API exists (bot/tab/openapi.py) there is nothing to generate the types from.
ifneq ($(wildcard bot/tab/openapi.py),)
web: $(WEB_DIST)
else
web:
	@echo "web: bot/tab/openapi.py is missing, the tab is not built"
endif

install: $(STAMP) web system-packages

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# LibreOffice renders decision documents to PDF/A-2b for signing (signing/render.py). Without
# it, the tests that need it are skipped and `paraaf` renders with the light text renderer.
SYSTEM_PACKAGES := libreoffice-writer-nogui fonts-dejavu-core fonts-crosextra-carlito fonts-liberation2
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

system-packages:
	@if dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing $(SYSTEM_PACKAGES) (about a minute)"; \
	  $(APT_INSTALL) $(SYSTEM_PACKAGES) >/dev/null 2>&1 \
	  || { apt-get update -qq && $(APT_INSTALL) $(SYSTEM_PACKAGES) >/dev/null; } \
	  || echo "LibreOffice could not be installed: its tests are skipped"; \
	else echo "To render decision documents with LibreOffice: apt-get install $(SYSTEM_PACKAGES)"; \
	fi

# ---------------------------------------------------------------- checks

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest $(COV_ARGS) $(PYTEST_ARGS)

test-quick: install
	$(VENV)/bin/pytest -q tests/unit tests/contract $(PYTEST_ARGS)

bench: install
	$(PY) benchmarks/run.py

# The demo: demo data, the bot on 127.0.0.1:3978 and the Agents Playground (a Teams stand-in
# in the browser). The Playground always reports the locale en-US, so the demo asks for Dutch
# explicitly; PARAAF_LANGUAGE=auto follows the locale instead.
run: install
	$(VENV)/bin/paraaf demo --data .paraaf-data
	PARAAF_LANGUAGE=$${PARAAF_LANGUAGE:-nl} $(VENV)/bin/paraaf --data .paraaf-data serve --playground

# ---------------------------------------------------------------- lock

lock: | $(PY)
	$(PIP) install -q uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--universal --custom-compile-command "make lock" -o requirements.lock

# ---------------------------------------------------------------- cleanup

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.* coverage.xml htmlcov \
		build dist *.egg-info .hypothesis
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o \
		-type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) web/node_modules web/dist web/openapi.json web/src/api/schema.d.ts
