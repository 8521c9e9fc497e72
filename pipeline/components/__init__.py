"""spaCy factories of the pipeline, one per file; importing this package registers them."""

from pipeline.components import merge  # noqa: F401
