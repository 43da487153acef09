"""What an action on several rows did to each: the rows it found (locked) and why it refused some of them.

A bulk service (batch 通过, batch 销号) locks every chosen row in one query, checks each with the rules of
the one-at-a-time service and writes the rest together; one row refused does not stop the others. The
one-at-a-time service is the same bulk service applied to one row, answering with ``one``: the row, or
the refusal raised, so both ways in refuse with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError

Row = TypeVar("Row")


@dataclass
class Outcomes(Generic[Row]):
    found: dict[int, Row]  # every chosen row the user may act on, by id, in id order
    refused: dict[int, Exception] = field(
        default_factory=dict
    )  # id → the ValidationError or PermissionDenied

    def passing(self, check: Callable[[Row], None]) -> list[Row]:
        """The found rows ``check`` lets through; a row it raises for is refused with that exception."""
        passed = []
        for pk, row in self.found.items():
            try:
                check(row)
            except (ValidationError, PermissionDenied) as exc:
                self.refused[pk] = exc
            else:
                passed.append(row)
        return passed

    def one(self, pk: int, *, missing: Exception) -> Row:
        """The one-at-a-time answer: the row acted on, or its refusal raised (``missing`` when not found)."""
        if pk not in self.found:
            raise missing
        if pk in self.refused:
            raise self.refused[pk]
        return self.found[pk]
