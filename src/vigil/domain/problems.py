"""The one shape of "this input cannot be used": every problem at once, by field.

Services and domain rules raise a subclass of :class:`FieldProblems` naming what they check
(``InvalidCall``, ``InvalidUser``...); pages show each problem beside its field and the API
answers 422 with the same mapping. Nothing is written when one is raised.
"""

from __future__ import annotations

from collections.abc import Mapping


class FieldProblems(ValueError):
    """``problems`` maps each field (``caller.family_name``, ``questions[2].key``...) to what
    is wrong with it."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {text}" for field, text in problems.items()))
        self.problems = dict(problems)
