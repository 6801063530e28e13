"""Imports every module that defines tables, so ``Base.metadata`` knows them all.

Alembic, the tests and anything that needs the whole schema import this module. A new area with
tables of its own (``store/<area>_tables.py``) adds its import here.
"""

from __future__ import annotations

import vigil.store.call_tables  # noqa: F401  (recorded calls and risk assessments)
import vigil.store.case_tables  # noqa: F401  (multi-agency cases)
from vigil.store import identify_tables, models
from vigil.store.models import Base

__all__ = ["Base", "identify_tables", "models"]
