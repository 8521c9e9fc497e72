"""Small typed objects of the data flow and the value objects of docs/annotation-guidelines.md.

The value models forbid unknown keys, so a gold file or an extractor output with a misspelt
field fails validation instead of silently scoring as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

Label = Literal["ORG", "DATE", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"]
LABELS: tuple[str, ...] = ("ORG", "DATE", "MONEY", "PERCENT", "QUANTITY", "CARDINAL")
Modifier = Literal["approx", "min", "max"] | None
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrgValue(_Value):
    canonical: str


class TimexValue(_Value):
    timex_type: TimexType
    timex_value: str
    start: str | None
    end: str | None


class MoneyValue(_Value):
    amount: float | None
    amount_max: float | None
    currency: str
    modifier: Modifier


class PercentValue(_Value):
    amount: float
    amount_max: float | None
    unit: Literal["percent", "percentage_point"]
    modifier: Modifier


class QuantityValue(_Value):
    amount: float
    amount_max: float | None
    unit: str
    modifier: Modifier
    si_amount: float
    si_unit: str


class CardinalValue(_Value):
    amount: float
    amount_max: float | None
    modifier: Modifier
    kind: Literal["count", "factor"]
    counted: str | None


VALUE_MODELS: dict[str, type[_Value]] = {
    "ORG": OrgValue,
    "DATE": TimexValue,
    "MONEY": MoneyValue,
    "PERCENT": PercentValue,
    "QUANTITY": QuantityValue,
    "CARDINAL": CardinalValue,
}


class Span(BaseModel):
    """One mention: offsets are code-point indices into the raw text, end exclusive. `source`
    says which rule produced a predicted span (docs/sources.md); gold spans have none (and a
    dump leaves out a missing one), and scoring never compares it."""

    model_config = ConfigDict(extra="forbid")

    start: int
    end: int
    label: Label
    text: str
    value: dict[str, Any] | None = None
    source: str | None = Field(default=None, exclude_if=lambda source: source is None)

    @model_validator(mode="after")
    def _check(self) -> "Span":
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad offsets {self.start}-{self.end}")
        if self.value is not None:
            VALUE_MODELS[self.label].model_validate(self.value)
        return self

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)


class Document(BaseModel):
    """A document with its spans: the extractor's output line and the gold line share it."""

    id: str
    text: str | None = None
    meta: dict[str, Any] = {}
    spans: list[Span] = []


@dataclass(frozen=True)
class Article:
    """A raw article as read from disk: text untouched, meta as given by its source."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def dct(self) -> str | None:
        return self.meta.get("dct")


@dataclass(frozen=True)
class ReadError:
    """An input that could not become an article; reported, never fatal to the batch."""

    id: str
    source: str
    reason: str


ReadResult = Union[Article, ReadError]
