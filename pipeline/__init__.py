"""News extraction pipeline: spaCy NER plus rules, normalized values, scored against gold."""

__version__ = "0.1.0"
