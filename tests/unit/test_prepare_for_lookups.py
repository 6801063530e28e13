"""A serving process is readied for look-ups: the model compiled before the first call, and
what is alive at start-up kept out of the garbage collector's way."""

from __future__ import annotations

import gc

from vigil.identify import compiled as compiled_module
from vigil.services.identification import prepare_for_lookups


def test_prepare_compiles_the_model_and_freezes_what_is_alive() -> None:
    compiled_module._COMPILED.clear()
    try:
        prepare_for_lookups()
        assert len(compiled_module._COMPILED) == 1
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
