"""Memory housekeeping for bulk work: pausing the cyclic garbage collector."""

from __future__ import annotations

import contextlib
import gc
import typing

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused(*, keep: bool = True) -> typing.Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is read or written.

    Reading builds millions of objects and no reference cycles; the collector would
    walk all of them again and again as they pile up (a third of the time at 100k
    residents). With ``keep`` (reading: the objects built are a graph, long-lived by
    nature) they are then handed to the oldest generation at once (``gc.freeze`` then
    ``gc.unfreeze``) rather than walked once more by the next young collection; this is
    skipped when the program has frozen objects of its own. The collector is switched
    back on if it was on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_on:
            gc.enable()
