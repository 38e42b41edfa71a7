# natmon: `make demo` runs the whole pipeline on the sample region, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean system-deps pdf

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/natmon demo

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

# Debian packages the tests need: the browser Playwright drives (never `playwright install`);
# LibreOffice, poppler and a sans font for rendering the report workbooks to PDF; PostgreSQL, whose
# initdb and server the `postgres` tests start in a temporary directory (tests/pgserver.py).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Нужен пакет chromium: sudo apt-get install chromium" >&2; exit 1; fi; }
	@{ command -v soffice && command -v pdftotext && fc-list | grep -q "Liberation Sans"; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends libreoffice-calc-nogui poppler-utils fonts-liberation2; \
	  else echo "Нужны пакеты для печатных отчётов: sudo apt-get install libreoffice-calc-nogui poppler-utils fonts-liberation2" >&2; exit 1; fi; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends postgresql; \
	  else echo "Нужен PostgreSQL для тестов на нём (tests/pgserver.py): sudo apt-get install postgresql" >&2; exit 1; fi; }

# A demo draft report as PDF through LibreOffice, to look at the form as a ministry would.
pdf: demo
	@command -v soffice >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; }
	cd demo-output && soffice --headless --convert-to pdf draft-*.xlsx >/dev/null && ls -1 $$PWD/*.pdf

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

.PHONY: bench-crawl
bench-crawl: $(STAMP)  # the real crawl on a simulated region of 2,000 institutions (about 20 minutes)
	$(BIN)/python benchmarks/bench_crawl.py --n 2000

clean:
	rm -rf $(VENV) demo-output out

# The README's install with the interpreter's own pip (no upgrade: pip 23 ignores extras such as
# lxml[html_clean]), then `natmon --help`: what a new user gets. Reuses the pip cache.
.PHONY: install-check
install-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/python" -m pip --version && \
	"$$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check -e . && \
	"$$tmp/venv/bin/natmon" --help >/dev/null && \
	"$$tmp/venv/bin/python" -c "import trafilatura, justext" && echo "install-check: natmon запускается"
