# newsbrief: `make run` serves the demo board (and runs a worker beside it), `make test` runs
# every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages clean bench-quality-data
# A recipe that fails halfway (say, pip after venv) leaves no target behind to pass for done.
.DELETE_ON_ERROR:

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	NEWSBRIEF_DEBUG=1 $(BIN)/newsbrief demo
	NEWSBRIEF_DEBUG=1 $(BIN)/newsbrief serve --host $(HOST) --port $(PORT) --with-worker

test: $(VENV)/.installed-test
	scripts/test.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the translation catalogs (needs GNU gettext); the compiled .mo files are committed.
messages: $(VENV)/.installed-run
	cd src/newsbrief && NEWSBRIEF_DEBUG=1 NEWSBRIEF_DATA_DIR=$(CURDIR)/var $(CURDIR)/$(BIN)/newsbrief makemessages -l zh_Hant --no-obsolete --no-location
	cd src/newsbrief && NEWSBRIEF_DEBUG=1 NEWSBRIEF_DATA_DIR=$(CURDIR)/var $(CURDIR)/$(BIN)/newsbrief compilemessages -l zh_Hant

# The real text `newsbrief bench search --quality` reads (Debian's documentation in Traditional
# Chinese and English); installs only what is missing. Needs root (apt-get).
BENCH_QUALITY_PACKAGES := debian-reference-zh-tw maint-guide-zh-tw manpages-zh \
	debian-reference-en maint-guide manpages manpages-dev
bench-quality-data:
	@missing=$$(for p in $(BENCH_QUALITY_PACKAGES); do \
		dpkg-query -W -f '$${db:Status-Status}\n' $$p 2>/dev/null | grep -qx installed || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "bench-quality-data: all installed"; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
