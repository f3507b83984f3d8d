# Datalek: every target installs what it needs itself.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DB     ?= data/datalek.db
PORT   ?= 8501

.PHONY: run test demo bench install browser clean

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

run: $(STAMP)
	DATALEK_DB=$(DB) $(PY) -m datalek init
	DATALEK_DB=$(DB) $(PY) -m streamlit run app.py --server.port $(PORT) --server.address 0.0.0.0

test: $(STAMP) browser
	$(PY) -m pytest

demo: $(STAMP)
	rm -f data/demo.db data/demo.db-wal data/demo.db-shm
	DATALEK_DB=data/demo.db $(PY) -m datalek demo --db data/demo.db --incidents 3000 --years 3 --seed 1 --accounts
	DATALEK_DB=data/demo.db $(PY) -m streamlit run app.py --server.port $(PORT) --server.address 0.0.0.0

bench: $(STAMP) browser
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
