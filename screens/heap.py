"""Keep Python's cyclic garbage collector off the key-press path.

A loaded triage queue is a few hundred thousand long-lived objects (a row, its cells as
Rich ``Text``, the table's row records, for thousands of disputes). Every full
(generation 2) collection walks all of them: ≈ 120 ms on the UI thread at 1M leads,
whenever the collector decides to, so now and then a key press waited for it.

:func:`settle` runs after a big load: it collects what is garbage now, then freezes the
survivors (:func:`gc.freeze`), so later collections only walk objects made since. The
next :func:`settle` unfreezes first, so whatever died meanwhile (the previous queue's
rows) is collected then and not kept forever. :func:`release` unfreezes for good (the
screen going away).
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect garbage now, then leave every surviving object out of later collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def release() -> None:
    """Hand the frozen objects back to the collector."""
    gc.unfreeze()
