# Lapor: one machine, every service as its own process.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DATABASE_URL ?= postgresql+psycopg2://postgres@127.0.0.1:5432/lapor
export AMQP_URI ?= amqp://guest:guest@127.0.0.1:5672/

.PHONY: install up down logs status test lint validate bench demo clean

$(VENV)/.installed: pyproject.toml
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

up: install
	$(PY) -m deploy.local.stack up

down:
	@$(PY) -m deploy.local.stack down

status:
	@$(PY) -m deploy.local.stack status

logs:
	tail -n 50 -F .run/logs/*.log

lint: install
	$(VENV)/bin/ruff check lapor services tests bench deploy docs

# docker-compose config, kustomize + kubernetes-validate --strict, promtool, Grafana JSON
validate: install
	$(PY) -m deploy.validate

# nameko test = pytest with eventlet's monkey patch applied first; the browser
# tests run apart, in plain pytest: Playwright's sync API hangs under eventlet
WEB_TESTS = tests/e2e/test_web_*.py
test: install lint validate
	$(VENV)/bin/nameko test -p no:cacheprovider --ignore-glob='$(WEB_TESTS)'
	$(VENV)/bin/pytest -p no:cacheprovider $(WEB_TESTS)

# SIPP demo data (agencies of three provinces, 52 demo standards) into the running system
demo: install
	$(PY) -m services.sipp.demo

# end to end, then tracking's rebuild from 100,000 generated events (bench/README.md)
bench: install
	@mkdir -p .run
	bash -o pipefail -c '$(PY) bench/e2e.py $(BENCH_ARGS) | tee .run/bench-e2e.log'
	$(PY) bench/rebuild.py --e2e-log .run/bench-e2e.log $(REBUILD_ARGS)

clean: down
	rm -rf .run $(VENV)
