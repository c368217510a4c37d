# Two commands do everything on a fresh machine:
#   make run   installs, migrates, loads the demo data and serves the product
#   make test  installs and runs the whole test suite
# Without DATABASE_URL an embedded PostgreSQL runs with its data under var/.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py

.PHONY: run test install install-test system-packages messages catalogs lint format \
	serve-production bench stop-db clean

run: install messages
	$(MANAGE) serve --demo

test: install-test system-packages messages
	$(PY) -m pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

system-packages:
	bash .ci/system-packages

PO_FILES := $(shell find . -name '*.po' -not -path './.venv/*' -not -path './var/*')

messages: var/.messages

# Regenerate every catalog from the code: each file's strings go to the
# nearest locale/ folder (an app's own, integrations/, else the project's).
catalogs: install
	$(MANAGE) makemessages -l fi -l sv --no-obsolete --ignore=.venv --ignore=var \
		--ignore=tests --ignore=bench --ignore=static --ignore=node_modules

var/.messages: $(PO_FILES) | install
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0
	mkdir -p var && touch $@

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

serve-production: install messages
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) collectstatic --no-input -v 0
	DJANGO_SETTINGS_MODULE=cms.settings.production $(VENV)/bin/gunicorn cms.wsgi \
		--bind $${BIND:-0.0.0.0:8000} --workers $${WEB_CONCURRENCY:-4} \
		--access-logfile - --forwarded-allow-ips '*'

bench: install-test
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

stop-db: install
	$(MANAGE) embedded_db stop

clean:
	rm -rf $(VENV) static
