# Quick start: `make site` builds the site, `make test` runs every test.
# Both set up what they need: a pinned Python .venv, Debian packages, and axe-core.
.DEFAULT_GOAL := site
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEBIAN_PACKAGES := chromium poppler-utils fonts-dejavu-core fonts-liberation fontconfig libpango-1.0-0 libpangoft2-1.0-0 default-jre-headless zbar-tools
STRICT ?=
ENGINE ?= mkdocs
TOPICS ?= 500
strict_flag := $(if $(filter 1 yes true,$(STRICT)),--strict,)

.PHONY: site serve check approve translated test typecheck bench markdown audit fuzz setup debian axe clean help

help:
	@echo "make site     build the site into site/ (STRICT=1: warnings are errors; ENGINE=properdocs)"
	@echo "make serve    live preview on http://127.0.0.1:8000 (shows drafts, marked)"
	@echo "make check    validate content and print the editor report, no build"
	@echo "make translated  record that a translation is up to date with its English page: TOPIC=<topic> LANG=es [AUDIENCE=patient]"
	@echo "make approve  record a board member's sign-off: TOPIC=<topic> REVIEWER=\"<name>\" [DATE=YYYY-MM-DD] [FINGERPRINT=sha256:...] [LANG=es]"
	@echo "make test     set everything up and run all tests"
	@echo "make bench    benchmark a synthetic library (TOPICS=500)"
	@echo "make markdown write the plain Markdown tree to build/markdown"
	@echo "make audit    Nu Html Checker, links and Lighthouse (mobile) on the built site"
	@echo "make fuzz     seeded mutations of a small project's sources, each run classified: N=200 SEED=1"

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(STAMP) debian

# Debian packages: Chromium for browser tests and Lighthouse, poppler for PDF tests, Pango and
# the fonts the handouts are set in (templates/handout.css) for WeasyPrint, Java for the Nu Html
# Checker, zbar to read the handouts' QR codes back in tests, fontconfig's fc-list for the
# handout cache's key (installed fonts).
debian:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# npm's test and audit tools (package.json): axe-core, the Nu Html Checker, Lighthouse.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

axe: node_modules/.installed

site: setup
	$(PY) -m build_tools build $(strict_flag) --engine $(ENGINE)

serve: setup
	$(PY) -m build_tools serve --engine $(ENGINE)

check: $(STAMP)
	$(PY) -m build_tools check $(strict_flag)

approve: $(STAMP)
	@test -n "$(TOPIC)" -a -n "$(REVIEWER)" || { echo 'usage: make approve TOPIC=<topic> REVIEWER="<name>" [DATE=YYYY-MM-DD] [FINGERPRINT=sha256:...] [LANG=es]'; exit 2; }
	$(PY) -m build_tools approve "$(TOPIC)" --reviewer "$(REVIEWER)" $(if $(DATE),--date "$(DATE)",) $(if $(FINGERPRINT),--fingerprint "$(FINGERPRINT)",) $(if $(filter command line,$(origin LANG)),--lang "$(LANG)",)

# LANG is also the shell's locale variable: only a LANG given on make's command line counts.
translated: $(STAMP)
	@test -n "$(TOPIC)" -a "$(origin LANG)" = "command line" || { echo 'usage: make translated TOPIC=<topic> LANG=<language> [AUDIENCE=patient] [DATE=YYYY-MM-DD]'; exit 2; }
	$(PY) -m build_tools translated "$(TOPIC)" --lang "$(LANG)" $(if $(AUDIENCE),--audience "$(AUDIENCE)",) $(if $(DATE),--date "$(DATE)",)

markdown: $(STAMP)
	$(PY) -m build_tools markdown build/markdown

typecheck: $(STAMP)
	$(VENV)/bin/mypy build_tools

test: setup axe typecheck
	$(PY) -m pytest

audit: site axe
	$(PY) -m build_tools.audit site

# Exit 0 only when no run gave a traceback, a hang, a bad message or a silent value change;
# replay run K with `$(PY) -m build_tools.fuzz --seed SEED --only K`.
fuzz: $(STAMP)
	$(PY) -m build_tools.fuzz --runs $(or $(N),200) --seed $(or $(SEED),1)

bench: setup
	$(PY) -m build_tools.bench --topics $(TOPICS) $(if $(SPANISH),--spanish $(SPANISH),)

clean:
	rm -rf site build .site.* test-artifacts
