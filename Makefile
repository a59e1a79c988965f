# Somevahti. Two commands for a newcomer: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
APT_PACKAGES := libvoikko1 voikko-fi hunspell-sv libhunspell-dev gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
APT_TEST_PACKAGES := postgresql chromium fonts-dejavu-core nodejs
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=
export HF_HUB_OFFLINE := 1

.PHONY: install install-test demo test lint unit bench clean system-deps system-test-deps messages bluesky-dev-env lock

define apt_ensure
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call apt_ensure,$(APT_PACKAGES))

system-test-deps:
	$(call apt_ensure,$(APT_TEST_PACKAGES))

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) install -q -c constraints.txt -e ".[web]"
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt $(VENV)/.installed
	$(PIP) install -q -c constraints.txt -e ".[web,test]"
	touch $@

# constraints.txt pins every Python package (direct and indirect) to what the suite passed with.
lock: $(VENV)/.installed-test
	@{ sed -n '1,2p' constraints.txt; $(PIP) freeze --exclude-editable | grep -v '^-e'; } > constraints.txt.new && mv constraints.txt.new constraints.txt

# axe-core for the browser tests' accessibility check (package.json + package-lock.json, pinned).
# (npm comes with some builds of nodejs; Debian's own nodejs needs the npm package beside it)
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: | $(VENV)/bin/python
	@for po in src/somevahti/locale/*/LC_MESSAGES/*.po src/somevahti/web/*/locale/*/LC_MESSAGES/*.po; do [ -f "$$po" ] && msgfmt --check -o "$${po%.po}.mo" "$$po"; done; true

install: system-deps $(VENV)/.installed messages

install-test: install system-test-deps $(VENV)/.installed-test bluesky-dev-env node_modules/.installed

demo: install
	$(PY) -m somevahti check --policy kirkkonummi examples/*.yaml examples/*.txt; status=$$?; \
	  echo; echo "somevahti check exited $$status (0: clean, 1: error-level findings, 2: unreadable input)"
	$(PY) -m somevahti web demo

# The local AT Protocol network the Bluesky tests and bench run against (devtools/bluesky/):
# `npm ci` once (about 3 minutes: it compiles better-sqlite3), again when the lock file changes.
BSKY_NET := devtools/bluesky
$(BSKY_NET)/node_modules/.somevahti-installed: $(BSKY_NET)/package.json $(BSKY_NET)/package-lock.json
	@command -v npm >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends nodejs npm; }
	cd $(BSKY_NET) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bluesky-dev-env: $(BSKY_NET)/node_modules/.somevahti-installed

lint: install-test
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts

unit: install-test
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)
	SOMEVAHTI_TEST_DB=postgres $(VENV)/bin/pytest -q -m "not browser" tests/web $(PYTEST_ARGS)

test: lint unit

bench: install-test
	@for b in bench/*_bench.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
