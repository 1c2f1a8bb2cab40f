# One command to run the platform, one to test it. Both set up what they need first.
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := chromium fonts-noto-core fonts-dejavu-core

.PHONY: run test setup system-deps quality demo messages clean

# Re-run when the packaging or the identification engine's compiled kernel changes (pip builds it in place).
$(BIN)/.installed: pyproject.toml setup.py gmmp/identification/engine/_kernel.pyx
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

setup: $(BIN)/.installed

# Browser tests need Debian's Chromium; PDFs need fonts with Arabic glyphs. Installed when missing (as root).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

demo: setup
	$(BIN)/gmmp demo

run: setup demo
	@echo ""
	@echo "  GMMP platform: http://$(HOST):$(PORT)/   (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@echo "  Demo logins, password gmmp-demo-2026: prefecture.paris, consulat.paris, consulat.paris.chef,"
	@echo "  dgef, dmsf, maece, pof.casablanca, cra.vincennes, secretariat, admin (see README.md)"
	@echo ""
	@echo "  Background worker (notifications, e-mails on this console, daily jobs) runs beside the server."
	@$(BIN)/gmmp worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gmmp runserver $(HOST):$(PORT)

test: setup system-deps
	$(BIN)/pytest

quality: setup
	$(BIN)/ruff format --check gmmp tests bench
	$(BIN)/ruff check gmmp tests bench
	$(BIN)/mypy gmmp
	$(BIN)/djlint gmmp --lint
	$(BIN)/gmmp makemigrations --check --dry-run

messages: setup
	cd gmmp && GMMP_DATA_DIR=../var ../$(BIN)/gmmp makemessages -l ar -l en --no-obsolete --no-location --ignore "identification/engine/*" --ignore "*/tests/*" && GMMP_DATA_DIR=../var ../$(BIN)/gmmp compilemessages

clean:
	rm -rf $(VENV) var
