# The two commands a newcomer needs:  make book  and  make test  (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Matplotlib's font cache holds absolute paths: keep one per checkout, inside .venv, so a
# cache written by another checkout can never make a notebook cell print a rebuild warning.
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/mplconfig
# Static widget frames in the HTML book; live ipywidgets everywhere else.
BUILD  := ACTIVATIONS_WIDGET_MODE=static $(BIN)/jupyter-book build . --builder html -W -n --keep-going --all
NBVAL  := env -u ACTIVATIONS_WIDGET_MODE $(BIN)/python -m pytest --nbval chapters appendix \
          --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout=120 -p no:cacheprovider -q

.PHONY: install book test unit nbval strict-build browser notebooks bench chromium clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -c "import matplotlib.font_manager"  # build the font cache now, not inside a cell
	touch $(STAMP)

book: install
	$(BUILD)
	@echo "The book is at $(CURDIR)/_build/html/index.html"

test: install chromium
	$(MAKE) unit nbval strict-build browser

unit: install
	$(BIN)/python -m pytest tests --ignore=tests/browser -q -p no:cacheprovider

nbval: install
	$(NBVAL)

# From clean, so no cached output can hide a change in src/.
strict-build: install
	rm -rf _build
	$(BUILD)

browser: install chromium
	$(BIN)/python -m pytest tests/browser -q -p no:cacheprovider

# Re-execute every chapter in place (live widget mode), refreshing the stored outputs.
notebooks: install
	env -u ACTIVATIONS_WIDGET_MODE $(BIN)/python tools/execute_notebooks.py chapters/*.ipynb

bench: install
	$(BIN)/python benchmarks/bench_elementwise.py
	$(BIN)/python benchmarks/bench_axis.py

# Browser tests use Debian's chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium. Install it with: sudo apt-get install chromium"; \
	    echo "(or put a chromium binary on PATH / set CHROMIUM=/path/to/chromium)"; exit 1; \
	  fi; }

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
