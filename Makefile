# Set-up and main jobs. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    := out

.PHONY: run test bench accuracy scores soak train-ner clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Extract from corpus/, load into out/extractions.db, score against gold/dev (table,
## out/scores.json, out/errors.csv, HTML report with the baselines) and, summary only, against
## the sealed gold/test (out/scores-test.json). The previous predictions are kept
## (out/predictions.prev.jsonl) and what changed since is out/diff.html (and diff.txt), linked
## from the report; out/audit.html samples 200 spans for a precision review; with chromium
## installed, out/*.png are screenshots of the pages.
run: $(STAMP)
	mkdir -p $(OUT)
	if [ -f $(OUT)/predictions.jsonl ]; then cp $(OUT)/predictions.jsonl $(OUT)/predictions.prev.jsonl; fi
	$(PY) -m pipeline extract corpus/ --out $(OUT)/predictions.jsonl
	$(PY) -m pipeline load $(OUT)/predictions.jsonl --db sqlite:///$(OUT)/extractions.db
	$(PY) -m pipeline score --gold gold/dev --pred $(OUT)/predictions.jsonl --json $(OUT)/scores.json \
	  --errors $(OUT)/errors.csv
	if [ -f $(OUT)/predictions.prev.jsonl ]; then \
	  $(PY) -m pipeline diff $(OUT)/predictions.prev.jsonl $(OUT)/predictions.jsonl --gold gold/dev --skip-sealed gold \
	    --corpus corpus/ --html $(OUT)/diff.html > $(OUT)/diff.txt && head -n 1 $(OUT)/diff.txt; \
	fi
	$(PY) -m pipeline report --gold gold/dev --pred $(OUT)/predictions.jsonl --out $(OUT)/report.html \
	  --markdown $(OUT)/scores.md $$(test -f $(OUT)/diff.html && echo --diff $(OUT)/diff.html)
	if ls gold/test/*.jsonl >/dev/null 2>&1; then \
	  $(PY) -m pipeline score --gold gold/test --pred $(OUT)/predictions.jsonl --summary-only \
	    --json $(OUT)/scores-test.json; \
	fi
	$(PY) -m pipeline audit $(OUT)/predictions.jsonl --sample 200 --seed 0 --corpus corpus/ --skip-sealed gold \
	  --out $(OUT)/audit.html
	if command -v chromium >/dev/null 2>&1; then \
	  for page in report diff audit; do \
	    if [ -f $(OUT)/$$page.html ]; then $(PY) -m pipeline screenshot $(OUT)/$$page.html $(OUT)/$$page.png; fi; \
	  done; \
	else \
	  echo "note: chromium not installed (apt-get install chromium chromium-driver): no screenshots"; \
	fi

## Regenerate the tracked per-label table docs/SCORES.md (gold/dev, with the baselines).
scores: run
	cp $(OUT)/scores.md docs/SCORES.md

## Every accuracy benchmark side by side with the peers and the last committed figures.
accuracy: $(STAMP)
	$(PY) -m benchmarks.accuracy

test: $(STAMP)
	$(PY) -m pytest -q

## Throughput, scaling, memory and, per text of ../shared/news (Reuters, BBC, People's Daily), whole-process
## CPU against the bare model in alternating rounds (benchmarks/texts.py) -> benchmarks/RESULTS.md. Not in CI.
bench: $(STAMP)
	$(PY) -m benchmarks.run --json benchmarks/results.json

## Update the model's NER on gold/dev ORG spans -> pipeline/models/ner_news (a few minutes; then
## run `make accuracy`: keep the update only if gold/test and the outside benchmarks improve).
train-ner: $(STAMP)
	$(PY) -m pipeline train-ner ../shared/news/*.jsonl --epochs 3 --seed 1

## Soak, not part of `make test` (about an hour on 2 cores): all of ../shared/news with a hostile file
## through `extract --store --n-process 2`, killed with SIGKILL at five random moments and resumed,
## against one clean run -> benchmarks/SOAK.md. A subset: make soak SOAK_ARGS="--limit 1500".
soak: $(STAMP)
	$(PY) -m benchmarks.soak $(SOAK_ARGS)

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
