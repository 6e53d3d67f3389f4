"""Keeping Python's cyclic garbage collector off a large batch's objects.

A batch holds millions of long-lived objects (parsed reports) and creates no reference cycles worth
collecting; each full pass of the collector walks all of them, which cost whole CPU-seconds at
10,000 reports while reports arrived, while they were validated and while their pages were written.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, back to how it was after (a caller's own choice is kept)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _age_all()
            gc.enable()


def _age_all() -> None:
    """Everything alive to the oldest generation at once, none of it walked. What the block made is young:
    else the first allocation after it sets off a pass over all of it (0.25 s after parsing 10,000
    reports). freeze() then unfreeze() does it; left out when a caller has frozen objects of its own,
    which unfreeze() would release too."""
    if not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()


@contextmanager
def frozen() -> Iterator[None]:
    """What is alive now left out of the collector's passes during the block, handed back after.
    Nothing is lost; a caller's own freeze is left alone."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def freeze_for_exit() -> None:
    """For a command that exits once it has published a run: everything alive now (the batch) is left out of
    the collector's passes for the rest of the process. Each pass over 10,000 parsed reports costs ~0.5 s,
    and one comes in any case: during publishing, or at the interpreter's exit. Not for a process that runs
    on (a flow's worker): what is frozen is never collected."""
    gc.freeze()
