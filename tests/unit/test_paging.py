from __future__ import annotations

import pytest

from vigil.services.paging import Page, parse_page_number


@pytest.mark.parametrize(("asked", "page"), [(None, 1), ("", 1), ("3", 3), (2, 2)])
def test_a_list_opens_on_the_page_asked_for_or_the_first(asked: str | int | None,
                                                         page: int) -> None:
    problems: dict[str, str] = {}
    assert parse_page_number(asked, problems) == page
    assert problems == {}


@pytest.mark.parametrize("asked", ["0", "-1", "two", 0])
def test_a_page_that_cannot_be_is_named_in_the_problems(asked: str | int) -> None:
    problems: dict[str, str] = {}
    parse_page_number(asked, problems)
    assert problems == {"page": "must be a whole number from 1"}


def test_the_page_count_rounds_up_and_is_never_zero() -> None:
    assert Page(items=[], total=0, page=1, page_size=50).pages == 1
    assert Page(items=[], total=101, page=1, page_size=50).pages == 3
