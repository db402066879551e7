# despin: `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
SAMPLE := despin/samples/sample_spun.txt

.PHONY: demo test lint lexicons synonyms model eval eval-heldout figures bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

demo: $(VENV)/.installed-run
	$(BIN)/despin score $(SAMPLE)
	$(BIN)/despin restore --format diff $(SAMPLE)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check despin tests scripts

# Build steps (need ../shared; not part of the test run).
lexicons: $(VENV)/.installed
	$(BIN)/python scripts/build_lexicons.py --shared $(SHARED)

synonyms: $(VENV)/.installed
	command -v apt-get >/dev/null && [ -f /usr/share/wordnet/data.noun ] || \
		(apt-get update -qq && apt-get install -y -qq wordnet-base mythes-en-us)
	$(BIN)/python scripts/build_synonyms.py

model: $(VENV)/.installed
	$(BIN)/despin train --shared $(SHARED) --out models

eval: $(VENV)/.installed
	$(BIN)/despin eval $(SHARED)/gold $(SHARED)/data/real_spun_dev.jsonl despin/samples/sample_gold.json despin/samples/sample_original.txt

eval-heldout: $(VENV)/.installed
	$(BIN)/despin eval --held-out $(SHARED) $(SHARED)/gold $(SHARED)/data/real_spun_dev.jsonl

# The README's accuracy and tortured-phrase tables (about 12 minutes).
figures: $(VENV)/.installed
	$(BIN)/python scripts/report_figures.py --shared $(SHARED)
	$(BIN)/python scripts/science_figures.py --shared $(SHARED)

# Speed on one core (>= 1M words; about a minute): writes benchmarks/RESULTS.md.
bench: $(VENV)/.installed-run
	$(BIN)/python scripts/bench.py --shared $(SHARED)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
