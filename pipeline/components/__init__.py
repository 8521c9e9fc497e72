"""spaCy factories of the pipeline, one per file; importing this package registers them."""

from pipeline.components import boilerplate, merge  # noqa: F401
