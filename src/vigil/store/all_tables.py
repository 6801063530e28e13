"""Imports every module that defines tables, so ``Base.metadata`` knows them all.

Alembic, the tests and anything that needs the whole schema import this module. A new area with
tables of its own (``store/<area>_tables.py``) adds its import here.
"""

from __future__ import annotations

import vigil.store.call_detail_tables  # noqa: F401  (call references, people's descriptions)
import vigil.store.call_tables  # noqa: F401  (recorded calls and risk assessments)
import vigil.store.case_tables  # noqa: F401  (multi-agency cases)
import vigil.store.supervision_tables  # noqa: F401  (supervisor alerts, call flags)
from vigil.store import identify_tables, models
from vigil.store.models import Base

__all__ = ["Base", "identify_tables", "models"]
