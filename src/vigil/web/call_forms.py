"""The call form's fields: their names and labels, the repeatable witness and suspect rows,
and the form turned into a :class:`NewCall`.

Field names are the service's problem keys (``caller.family_name``, ``witnesses.0.phone``,
``answers.threats``), so every problem lands beside its field and in the summary's link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from vigil.domain.risk import THRIVE_FIELDS, Answer, AnswerStatus, Questionnaire
from vigil.services.call_people import MAX_EXTRA_PEOPLE
from vigil.services.calls import NewCall, PersonIn

PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "phone", "email", "address",
                 "postcode")
SUSPECT_FIELDS = ("nickname", "description")
PERSON_LABELS = {"given_name": "Given name", "family_name": "Family name",
                 "date_of_birth": "Date of birth", "phone": "Phone", "email": "E-mail",
                 "address": "Address", "postcode": "Postcode", "nickname": "Nickname",
                 "description": "Description"}
CALL_FIELDS = ("occurred_at", "place_address", "place_postcode", "place_latitude",
               "place_longitude", "category", "detailed_type", "description")
GROUPS = {"witnesses": "Witness", "suspects": "Suspect"}
DECLINED, NOT_ASKED = "_declined", "_not_asked"
_ROW = re.compile(r"^(witnesses|suspects)\.(\d{1,2})\.")


def labels(questionnaire: Questionnaire) -> dict[str, str]:
    """Every field's label as the error summary names it."""
    names = {f"{who}.{k}": f"{who.capitalize()}: {v.lower() if k != 'given_name' else v}"
             for who in ("caller", "victim") for k, v in PERSON_LABELS.items()}
    for group, word in GROUPS.items():
        names[group] = f"{word}s"
        for index in range(MAX_EXTRA_PEOPLE + 1):
            names |= {f"{group}.{index}.{k}": f"{word} {index + 1}: {v.lower()}"
                      for k, v in PERSON_LABELS.items()}
    names |= {"occurred_at": "When it happened", "place_address": "Where: address",
              "place_postcode": "Where: postcode", "place_latitude": "Where: latitude",
              "place_longitude": "Where: longitude", "category": "Category",
              "detailed_type": "Type of ASB", "description": "What happened"}
    names |= {f"answers.{q.key}": q.text for q in questionnaire.questions}
    names |= {f"thrive.{k}": f"THRIVE: {label}" for k, label in THRIVE_FIELDS}
    return names


def row_counts(values: Mapping[str, str]) -> dict[str, int]:
    """How many witness and suspect rows the form shows: as many as were sent (at least
    one each, so a single witness and suspect need no script), plus one more when the
    handler pressed "Add another", less the one removed."""
    counts = {group: 1 for group in GROUPS}
    for name in values:
        match = _ROW.match(name)
        if match:
            group, index = match.group(1), int(match.group(2))
            counts[group] = max(counts[group], index + 1)
    more = values.get("more", "")
    if more in GROUPS:
        counts[more] = min(counts[more] + 1, MAX_EXTRA_PEOPLE)
    return counts


def without_row(values: Mapping[str, str], target: str) -> dict[str, str]:
    """The form's values with the row ``witnesses.1`` (say) taken out and the later rows of
    its group moved up, so the numbers stay 1, 2, 3 with no gap."""
    match = re.fullmatch(r"(witnesses|suspects)\.(\d{1,2})", target)
    if match is None:
        return dict(values)
    group, gone = match.group(1), int(match.group(2))
    kept: dict[str, str] = {}
    for name, value in values.items():
        row = _ROW.match(name)
        if row is None or row.group(1) != group:
            kept[name] = value
            continue
        index = int(row.group(2))
        if index != gone:
            field = name[row.end():]
            kept[f"{group}.{index - 1 if index > gone else index}.{field}"] = value
    return kept


def _person(values: Mapping[str, str], prefix: str, names: tuple[str, ...] = PERSON_FIELDS
            ) -> PersonIn:
    return PersonIn(**{k: values.get(f"{prefix}.{k}", "") for k in names})


def call_from_form(values: Mapping[str, str], questionnaire: Questionnaire) -> NewCall:
    """The form's fields as a call to record (radio ``_declined``/``_not_asked`` for the
    questions the caller declined or was not asked)."""
    answers: dict[str, Answer] = {}
    for question in questionnaire.questions:
        chosen = values.get(f"answers.{question.key}", "")
        reason = values.get(f"answers.{question.key}.reason", "")
        if chosen == DECLINED:
            answers[question.key] = Answer(AnswerStatus.DECLINED, reason=reason)
        elif chosen == NOT_ASKED:
            answers[question.key] = Answer(AnswerStatus.NOT_ASKED, reason=reason)
        elif chosen:
            answers[question.key] = Answer(AnswerStatus.ANSWERED, chosen, reason)
    counts = row_counts({k: v for k, v in values.items() if k != "more"})
    return NewCall(
        caller=_person(values, "caller"),
        victim=_person(values, "victim") if values.get("victim_differs") else None,
        witnesses=tuple(_person(values, f"witnesses.{i}")
                        for i in range(counts["witnesses"])),
        suspects=tuple(_person(values, f"suspects.{i}", PERSON_FIELDS + SUSPECT_FIELDS)
                       for i in range(counts["suspects"])),
        answers=answers, thrive={k: values.get(f"thrive.{k}", "") for k, _ in THRIVE_FIELDS},
        **{k: values.get(k, "") for k in CALL_FIELDS})
