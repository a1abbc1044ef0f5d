# Two commands on a fresh machine: `make run` and `make test`. Both create .venv and install.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test lock clean-out

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m sitroom.geo.build -q
	touch $(STAMP)

install: $(STAMP)

# The main job on the bundled demo corpus; outputs in ./out
run: install
	$(BIN)/sitroom run --out out

test: install
	$(BIN)/python -m pytest -q

# Re-pin requirements.lock from requirements.in (run after changing dependencies).
lock:
	rm -rf .venv-lock && $(PY) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --upgrade pip
	.venv-lock/bin/python -m pip install -q -r requirements.in
	.venv-lock/bin/python -m pip freeze --exclude-editable > requirements.lock
	! grep -n '@ file:' requirements.lock || { echo 'requirements.lock names local files; pin those by version' >&2; exit 1; }
	rm -rf .venv-lock
