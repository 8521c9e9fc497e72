import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT / "gold"


@pytest.fixture(scope="session")
def nlp():
    """The full pipeline, loaded once per test session."""
    from pipeline.config import Settings
    from pipeline.nlp import build_pipeline

    return build_pipeline(Settings().model)


@pytest.fixture(scope="session")
def corpus_records(nlp):
    """Extractor output for the whole corpus, computed once."""
    from pipeline.annotate import annotate
    from pipeline.read import read_inputs

    return list(annotate(nlp, read_inputs([CORPUS])))


# Commands the tests start (`python -m pipeline ...`, any cwd) import this checkout's package, not
# whichever one the virtualenv has installed in editable mode.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
