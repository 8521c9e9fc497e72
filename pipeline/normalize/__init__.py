"""Pure normalizers: text of a span in, value object (or None with a reason) out; no spaCy."""
