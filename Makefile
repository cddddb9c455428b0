# The two commands a new user needs: `make run` and `make test`. Everything else is a step of them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
WITH_SERVICES := $(PY) -m sro_program.embedded exec --
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-dev lint gates bench bench-feedback demo clean

# Install the runtime, start PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL are
# set), migrate, load the demo district, and serve web + Celery worker + Celery beat.
run: install
	$(PY) -m sro_program.launcher

# Install what the tests need, run the gates, then the whole test suite on PostgreSQL.
test: install-dev gates
	$(WITH_SERVICES) $(PY) -m pytest $(PYTEST_ARGS)

$(PY):
	$(PYTHON) -m venv $(VENV)

# XStatic-Bootstrap is an sdist that needs setuptools' pkg_resources to build, hence the
# pinned setuptools and --no-build-isolation.
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet "setuptools==80.9.0" "wheel==0.45.1"
	$(PIP) install --quiet --no-build-isolation -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --quiet --no-build-isolation -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m djlint templates --lint

# Gates that run before the tests: lint, migrations in step with the models, and the production
# settings passing Django's deployment checklist with no warnings.
gates: lint
	$(WITH_SERVICES) sh -c '\
	  DJANGO_SETTINGS_MODULE=sro_program.settings.test $(PY) manage.py makemigrations --check --dry-run && \
	  DJANGO_SETTINGS_MODULE=sro_program.settings.production \
	  SECRET_KEY=check-deploy-only-$$(od -An -N32 -tx1 /dev/urandom | tr -d " \n") \
	  ALLOWED_HOSTS=sro.district.example \
	  $(PY) manage.py check --deploy --fail-level WARNING'

# Load (or top up) the demo district without serving it; `make demo SCALE=10` for the benchmark's district.
SCALE ?= 1
demo: install
	$(WITH_SERVICES) sh -c '$(PY) manage.py migrate --noinput && $(PY) manage.py seed_demo --scale $(SCALE)'

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmarks on a throwaway database: demo seeding, roster import, page medians and query counts.
bench: install-dev
	$(WITH_SERVICES) $(PY) -m bench.run $(BENCH_ARGS)

# A survey round of 10,000 invitations sent by a real Celery worker to a local SMTP server.
bench-feedback: install-dev
	$(WITH_SERVICES) $(PY) -m bench.feedback $(BENCH_ARGS)
