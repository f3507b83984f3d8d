# Datalek: every target installs what it needs itself.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DB     ?= data/datalek.db
PORT   ?= 8501

# Let Python keep its compiled modules (some machines switch this off): every test worker, CLI
# call and server in the tests would otherwise compile Streamlit, pandas and plotly again.
unexport PYTHONDONTWRITEBYTECODE

AXE    := .cache/node/node_modules/axe-core/axe.min.js
AXE_VERSION ?= 4.14.1

.PHONY: run test test-fast lint format demo bench install browser axe clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Debian's Chromium for the browser tests (never a downloaded browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium ontbreekt: installeer het met 'sudo apt-get install chromium'."; \
	  fi; \
	fi

## axe-core from the npm registry for the accessibility tests, into the gitignored .cache/node.
$(AXE):
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else \
	    echo "npm ontbreekt: installeer het met 'sudo apt-get install npm'."; exit 1; \
	  fi; \
	fi
	mkdir -p .cache/node
	npm install --prefix .cache/node --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

axe: $(AXE)

run: $(STAMP)
	DATALEK_DB=$(DB) $(PY) -m datalek init
	DATALEK_DB=$(DB) $(PY) -m streamlit run server.py --server.port $(PORT) --server.address 0.0.0.0

## Everything CI runs: lint; the unit and AppTest tests on both cores; then, one at a time, the
## reliability tests (many processes and threads: they measure contention and must not share the
## cores with other tests) and the browser tests (each starts its own server).
test: $(STAMP) browser axe lint
	$(PY) -m pytest -m "not e2e and not slow" -n 2 --dist worksteal
	$(PY) -m pytest -m "slow or e2e"

## The quick loop while developing: unit and AppTest tests on both cores, no browser, no
## many-process reliability tests.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not e2e and not slow" -n 2 --dist worksteal -q

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

demo: $(STAMP)
	rm -f data/demo.db data/demo.db-wal data/demo.db-shm
	DATALEK_DB=data/demo.db $(PY) -m datalek demo --db data/demo.db --incidents 3000 --years 3 --seed 1 --accounts
	DATALEK_DB=data/demo.db $(PY) -m streamlit run server.py --server.port $(PORT) --server.address 0.0.0.0

bench: $(STAMP) browser
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .cache
