# pobratim — one entry point for set-up, checks, build and serve. `make` = lint + typecheck + tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JS := tests/js
WEB := web
VENDOR := pobratim/endpoint/static/vendor
# What the pages load from web/node_modules: served by this server, never from a CDN.
VENDORED := d3-array/dist/d3-array.min.js d3-geo/dist/d3-geo.min.js topojson-client/dist/topojson-client.min.js \
	world-atlas/countries-110m.json @zazuko/yasgui/build/yasgui.min.js @zazuko/yasgui/build/yasgui.min.css
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := check
.PHONY: check setup system-deps lint typecheck test build serve run eval bench stress clean virtuoso virtuoso-stop

check: lint typecheck test

# System packages the tests need: Chromium for the browser tests, curl as a client, Node.js for Comunica,
# Virtuoso for the endpoint suite's second store, nginx for the reverse-proxy test. Only what is missing: Node.js from another repository
# already carries npm and conflicts with Debian's npm. Debian's Virtuoso asks for a DBA password (debconf)
# and may start a service of its own on ports 1111/8890: answered without a prompt, and left alone, since
# pobratim's instance has its own folder, ports and password (`make virtuoso`).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v curl >/dev/null || missing="$$missing curl"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  printf '%s\n' "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" \
	    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | $(SUDO) debconf-set-selections 2>/dev/null || true; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

$(JS)/node_modules/.package-lock.json: $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund

# The map's libraries and Natural Earth data (npm), copied into the package's static files.
$(VENDOR)/.stamp: $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund
	mkdir -p $(VENDOR)
	for f in $(VENDORED); do cp $(WEB)/node_modules/$$f $(VENDOR)/; done
	cp $(WEB)/node_modules/world-atlas/LICENSE $(VENDOR)/world-atlas-LICENSE
	touch $@

setup: system-deps $(STAMP) $(JS)/node_modules/.package-lock.json $(VENDOR)/.stamp

lint: $(STAMP)
	$(BIN)/ruff check pobratim tests bench
	$(BIN)/ruff format --check pobratim tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: setup
	$(BIN)/pytest

build: $(STAMP)
	$(BIN)/pobratim build

serve: $(STAMP)
	$(BIN)/pobratim serve

run: build serve

# pobratim's own Virtuoso (configuration from pobratim/virtuoso/virtuoso.ini.in, data in .cache/virtuoso/,
# loopback only), started unless it runs, with the current dist/ loaded into it; prints its SPARQL URL.
# Then: POBRATIM_STORE=virtuoso $(BIN)/pobratim serve
virtuoso: system-deps $(STAMP)
	@[ -e dist/build.json ] || $(BIN)/pobratim build
	$(BIN)/pobratim virtuoso start
	$(BIN)/pobratim virtuoso load

virtuoso-stop: $(STAMP)
	$(BIN)/pobratim virtuoso stop

eval: $(STAMP)
	$(PY) -m bench.extract_eval
	$(PY) -m bench.facts_eval

# A world-scale build (10,000 synthetic towns, about 1.5 min), kept for the search and landing-page benchmarks.
WORLD := .cache/bench-world
$(WORLD)/dist/build.json: bench/synth.py
	rm -rf $(WORLD)
	$(PY) -m bench.synth --towns 10000 --seed 1 --out $(WORLD)/data
	$(BIN)/pobratim build --data $(WORLD)/data --out $(WORLD)/dist

# The load generator of the benchmark: wrk, from Debian.
bench: system-deps $(STAMP) $(WORLD)/dist/build.json
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk)
	$(PY) -m pip install -q -e ".[dev,bench]"
	$(BIN)/pobratim build
	$(PY) -m bench.latency
	$(PY) -m bench.peer --build-towns 20000
	$(PY) -m bench.search --dist $(WORLD)/dist
	$(PY) -m bench.landing --dist $(WORLD)/dist
	$(PY) -m bench.scale
	$(PY) -m bench.virtuoso --dist $(WORLD)/dist

# The long hardening runs (fuzz, expensive queries, slow and greedy clients, load, killed builds, rebuilds
# under load), all on loopback and bounded in time: one table of figures. Not part of `make`.
stress: $(STAMP)
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk)
	$(BIN)/pobratim build
	$(PY) -m bench.stress

clean:
	rm -rf dist .dist-builds .pytest_cache .mypy_cache .ruff_cache test-artefacts $(VENDOR)
