from __future__ import annotations

import pytest

from vigil.domain.people import PartialDate


@pytest.mark.parametrize("text", ["1970", "1970-05", "1970-05-17", "2000-02-29"])
def test_partial_dates_of_birth_read_back_as_written(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


@pytest.mark.parametrize(("text", "why"), [
    ("17/05/1970", "not a date"),
    ("1970-13", "months run 1 to 12"),
    ("1970-02-30", "that month has 28 days"),
    ("2001-02-29", "that month has 28 days"),
])
def test_impossible_dates_of_birth_say_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        PartialDate.parse(text)
