"""Modules that a library's import pulls in but that its code only calls into later, if at all, imported
on first use instead.

GX's import loads scipy.stats (0.6 CPU-s of its ~1.7) for three expectations gxbg never uses (KL
divergence and two KS tests), and altair (0.08 s) for the first one's charts; they read these modules only
inside their methods. While GX is imported, such a module is a DeferredModule; the first attribute read
imports the real one and reads from it.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class DeferredModule(types.ModuleType):
    """Stands for the module of its name; imports it when an attribute is first read."""

    def __getattr__(self, name: str) -> Any:  # only for attributes the stand-in lacks
        return getattr(self.load(), name)

    def load(self) -> types.ModuleType:
        real = self.__dict__.get("_real")
        if real is None:
            with _loading:  # two threads reading at once: one import, and one removal of the stand-in
                real = self.__dict__.get("_real")
                if real is None:
                    if sys.modules.get(self.__name__) is self:
                        del sys.modules[self.__name__]  # else import_module would return this stand-in
                    real = self.__dict__["_real"] = importlib.import_module(self.__name__)
        return real


_loading = threading.RLock()  # reentrant: a real module's import may read another stand-in


@contextmanager
def deferred(*names: str) -> Iterator[None]:
    """Inside the block, importing one of names (not yet imported) binds a DeferredModule. Afterwards
    sys.modules holds the real module if it was loaded, or nothing: a later import anywhere else is
    a normal one."""
    stand_ins = {name: DeferredModule(name) for name in names if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
