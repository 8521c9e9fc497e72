# Set-up and main jobs. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    := out

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Extract from corpus/, load into out/extractions.db, then, when gold/ exists, score against it
## (table, out/scores.json, out/errors.csv) and write the HTML report with the baselines.
run: $(STAMP)
	mkdir -p $(OUT)
	$(PY) -m pipeline extract corpus/ --out $(OUT)/predictions.jsonl
	$(PY) -m pipeline load $(OUT)/predictions.jsonl --db sqlite:///$(OUT)/extractions.db
	if ls gold/*.jsonl >/dev/null 2>&1; then \
	  $(PY) -m pipeline score --gold gold/ --pred $(OUT)/predictions.jsonl --json $(OUT)/scores.json \
	    --errors $(OUT)/errors.csv && \
	  $(PY) -m pipeline report --gold gold/ --pred $(OUT)/predictions.jsonl --out $(OUT)/report.html \
	    --markdown docs/SCORES.md; \
	fi

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m benchmarks.run --json benchmarks/results.json

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
