# lagprov: the two commands a newcomer needs are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench lab clean system-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev,service,workers]'
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python -m lagprov.cli.demo

test: $(STAMP) system-deps lint
	@$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	@$(BIN)/ruff check lagprov tests bench
	@$(BIN)/mypy

# The real tools the host-render tests read the rendered Linux files with (tests/render/
# host_tools.py): installed only when one is missing, only as root with apt-get, never removing
# a package (ifupdown2 conflicts with ifupdown: then it is left out).  Without them those tests
# skip and say why; this target never fails the run.  Also Debian's postgresql: the history
# store tests (tests/history/conftest.py) start a server of their own on loopback with it.
# And Debian's redis-server: the worker tests (tests/workers) start one on loopback as broker.
# And Debian's chromium: tests/service/test_pages_browser.py drives it with Playwright.
SYSTEM_TOOLS := netplan:netplan.io nmcli:network-manager unshare:util-linux \
  redis-server:redis-server chromium:chromium
system-deps:
	@missing=""; \
	for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	test -x /lib/systemd/systemd-networkd || test -x /usr/lib/systemd/systemd-networkd || \
	  missing="$$missing systemd"; \
	ifup --help 2>/dev/null | grep -q -- --syntax-check || \
	  { dpkg -s ifupdown >/dev/null 2>&1 || missing="$$missing ifupdown2"; }; \
	/usr/bin/python3 -c 'import gi; gi.require_version("NM", "1.0")' 2>/dev/null || \
	  missing="$$missing python3-gi gir1.2-nm-1.0"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "system-deps: not installing$$missing (needs root and apt-get); those tests skip"; \
	  exit 0; \
	fi; \
	echo "system-deps: installing$$missing"; \
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends --no-remove $$missing >/dev/null; } || \
	  echo "system-deps: apt-get failed; the real-tool tests skip"

bench: $(STAMP)
	@$(BIN)/python -m bench

lab: $(STAMP)
	@$(BIN)/lagprov lab up

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
