# fac-eval — the two commands of the README are `make report` and `make test`.
# Everything runs from a local virtual environment (.venv) installed from the pinned lock file.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SESSION ?= 2022
LANG_REPORT ?= fr
# Options passed to JupyterLab by `make lab`, e.g. LAB_ARGS="--no-browser --port=8890 --ip=127.0.0.1"
LAB_ARGS ?=
LAB_STAMP := $(VENV)/.lab-installed
# Jupyter refuses to run as root unless told: say it only when the user is root (CI, containers)
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install report test lint lab validate batch bench lock clean-reports clean i18n git-filter

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name fac-eval --display-name "fac-eval (Python 3)" >/dev/null
	# the report template by name: jupyter nbconvert --to html --template fac_report NOTEBOOK
	# (a link to the package's folder: the editable install always uses the current template)
	$(BIN)/fac-eval install-template --link >/dev/null
	$(MAKE) --no-print-directory git-filter
	touch $(STAMP)

# The notebooks' outputs never go into git (fac_eval/run/notebook_strip.py, .gitattributes):
# the clean filter is configured in this repository (nothing to do outside one)
git-filter:
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.fac-eval-notebook.clean "$(abspath $(BIN))/python -m fac_eval.run.notebook_strip"; \
	fi

## Produce the report of one session (default 2022): reports/$(SESSION)/rapport_$(SESSION).html
report: $(STAMP)
	$(BIN)/fac-eval run $(SESSION) --lang $(LANG_REPORT)

## Run the whole test suite (the CI runs exactly this; the JupyterLab pins too: `make lab` is tested).
## In parallel (pytest-xdist), one worker per core, each test file on one worker (its module
## fixtures run once); TEST_JOBS=0 runs in this one process, TEST_ARGS adds pytest options
TEST_JOBS ?= auto
TEST_ARGS ?=
test: $(STAMP) $(LAB_STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile $(TEST_ARGS)

## Style and import order (ruff) and static types (mypy, settings in pyproject.toml); the CI runs it
lint: $(STAMP)
	$(BIN)/ruff check fac_eval tests benchmarks
	$(BIN)/mypy

## Open JupyterLab on the notebooks with the project's kernel (options: LAB_ARGS="...")
lab: $(LAB_STAMP) git-filter
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) \
	  --MappingKernelManager.default_kernel_name=fac-eval $(LAB_ARGS)

# JupyterLab's pins, installed once (then `make lab` needs no network)
$(LAB_STAMP): $(STAMP) requirements-lab.lock
	$(BIN)/python -m pip install --quiet -r requirements.lock -r requirements-lab.lock
	touch $(LAB_STAMP)

validate: $(STAMP)
	$(BIN)/fac-eval validate $(SESSION)

batch: $(STAMP)
	$(BIN)/fac-eval batch

bench: $(STAMP)
	$(BIN)/python benchmarks/stats_bench.py
	$(BIN)/python benchmarks/report_bench.py
	$(BIN)/python benchmarks/batch_bench.py
	$(BIN)/python benchmarks/scale_bench.py

## Extract the reports' messages (Python modules and Jinja2 templates, babel.cfg) and update the
## catalogs fac_eval/report/locale/{fr,en}/LC_MESSAGES/fac_eval.po (then translate the new French
## entries: tests/test_i18n.py fails while one is empty)
LOCALE := fac_eval/report/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k NP_:1,2 -k NC_:1c,2 --no-location --sort-output \
	  --width 100 --project fac-eval --version 0.1.0 --copyright-holder fac-eval \
	  -o $(LOCALE)/fac_eval.pot .
	$(BIN)/pybabel update -i $(LOCALE)/fac_eval.pot -d $(LOCALE) -D fac_eval \
	  --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 100
	$(BIN)/python -m fac_eval.report.fill_catalog

## Re-resolve the pinned dependencies from pyproject.toml (needs network access to the package index)
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet --upgrade pip
	.lockvenv/bin/pip install --quiet ".[test]"
	{ echo "# Pinned runtime + test dependencies of fac-eval (Python 3.11). Regenerate with 'make lock'."; \
	  .lockvenv/bin/pip freeze --exclude fac-eval; } > requirements.lock
	.lockvenv/bin/pip freeze --exclude fac-eval > .lockvenv/base.txt
	.lockvenv/bin/pip install --quiet jupyterlab -c .lockvenv/base.txt
	{ echo "# Extra pins for 'make lab' (JupyterLab), installed on top of requirements.lock. Regenerate with 'make lock'."; \
	  .lockvenv/bin/pip freeze --exclude fac-eval | grep -vxFf .lockvenv/base.txt; } > requirements-lab.lock
	rm -rf .lockvenv

clean-reports:
	rm -rf reports/* data/processed/*

clean: clean-reports
	rm -rf $(VENV)
