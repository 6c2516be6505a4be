"""
Pausing Python's cyclic garbage collector around bulk builds of acyclic
objects: the one place the library touches :mod:`gc`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["cyclic_gc_paused"]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """
    Pause Python's cyclic garbage collector for the duration of the block.

    Only for blocks that build many small objects which form no reference
    cycles (cues, changes, strings): every collection the allocations would
    trigger there scans a growing heap and can find no garbage, so on long
    transcripts those scans cost a quarter of the time and grow with the
    length. Reference counting still frees everything as usual, and the
    collector is switched back on (only if it was on) when the block ends,
    even on an error; its next regular run sees the new objects once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
