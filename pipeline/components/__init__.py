"""spaCy factories of the pipeline, one per file; importing this package registers them."""

from pipeline.components import boilerplate, merge, sentences  # noqa: F401
from pipeline.components import orgs  # noqa: F401
from pipeline.components import dates  # noqa: F401
from pipeline.components import amounts  # noqa: F401
