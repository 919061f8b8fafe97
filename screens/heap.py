"""Keep Python's cyclic garbage collector off the key-press path.

Every full (generation 2) collection walks every object the process holds, whenever the
collector decides to. Two heaps are big and long-lived: the app itself once the
dashboard's first refresh is drawn (modules, widgets, caches: a full collection took
~80 ms of the UI thread at 1M leads, the dashboard's longest refresh stall), and a
loaded triage queue (a row, its cells as Rich ``Text``, the table's row records, for
thousands of disputes: ≈ 120 ms).

:func:`settle` runs after such a load: it collects what is garbage now, then freezes the
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
