# Wegweiser – common tasks. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
MANAGE := $(PY) manage.py
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

SYSTEM_PACKAGES_RUN := gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core
SYSTEM_PACKAGES_TEST := $(SYSTEM_PACKAGES_RUN) postgresql postgresql-contrib chromium gnupg

PYTEST_GUARD = rc=$$?; if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests – treating this as a failure."; exit 1; fi; exit $$rc

.PHONY: help install install-test run test test-sqlite test-postgres lint format typecheck messages \
        compilemessages migrations-check check-deploy bench audit clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the locked Python dependencies

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

install-test: install node_modules/.installed ## Install everything the tests need (Debian, Python, npm)
	@scripts/ensure_system_packages.sh $(SYSTEM_PACKAGES_TEST)

compilemessages: install ## Compile the translation catalogues
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

messages: install ## Extract new UI strings into the catalogues of all languages
	@for l in de en ar uk ru tr fa; do $(MANAGE) makemessages -l $$l --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete -v0; done

run: install ## Install, migrate, load the demo data and serve on http://127.0.0.1:8000 (SQLite)
	@scripts/ensure_system_packages.sh $(SYSTEM_PACKAGES_RUN)
	@$(MAKE) --no-print-directory compilemessages
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo
	@echo
	@echo "Wegweiser runs at http://127.0.0.1:8000/de/  (Arabic: http://127.0.0.1:8000/ar/, staff login: /accounts/login/)"
	@echo "Demo accounts (password for all: see above and README.md) are listed in var/demo-accounts.json."
	WEGWEISER_DEMO_SKIP_2FA=1 DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install ## Fail when a model change has no migration
	DJANGO_SETTINGS_MODULE=wegweiser.settings.test $(MANAGE) makemigrations --check --dry-run -v1

check-deploy: install ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=wegweiser.settings.prod SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
	  ALLOWED_HOSTS=wegweiser.example.org DATABASE_URL=sqlite:///:memory: $(MANAGE) check --deploy --fail-level WARNING

test-sqlite: install-test compilemessages ## The whole pytest suite on SQLite
	$(PY) -m pytest $(PYTEST_ARGS); $(PYTEST_GUARD)

test-postgres: install-test compilemessages ## The whole pytest suite on a temporary PostgreSQL cluster
	$(PY) scripts/with_postgres.py -- $(PY) -m pytest $(PYTEST_ARGS); $(PYTEST_GUARD)

test: install-test lint migrations-check check-deploy ## Lint, checks, and all tests on SQLite and PostgreSQL
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

audit: install ## Supply chain: pip-audit of the locked versions (where the registry answers) and ruff's security rules
	@mkdir -p var
	$(UV) export --frozen --format requirements-txt --no-emit-project --quiet > var/requirements.lock.txt
	$(VENV)/bin/pip-audit --requirement var/requirements.lock.txt --disable-pip --no-deps --progress-spinner off \
	  || { echo "pip-audit reported vulnerabilities (or the vulnerability service did not answer)"; exit 1; }
	$(VENV)/bin/ruff check --select S .

bench: install ## Run the benchmark scripts in bench/
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean: ## Remove the virtualenv, node_modules and caches (keeps var/)
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
