"""One page of a long list, as every list page and API shows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """The items on one page, with how many there are in all."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def parse_page_number(page: str | int | None, problems: dict[str, str]) -> int:
    """The page asked for (1 when none is given); a bad one is added to ``problems``."""
    if page in (None, ""):
        return 1
    try:
        number = int(page)
    except ValueError:
        number = 0
    if number < 1:
        problems["page"] = "must be a whole number from 1"
    return number
