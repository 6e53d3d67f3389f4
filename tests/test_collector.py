"""gxbg.collector: the garbage collector paused or frozen for a block, and restored after."""

from __future__ import annotations

import gc

import pytest

from gxbg import collector


def test_paused_restores_the_collector_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector.paused():
        assert not gc.isenabled()
        1 / 0
    assert gc.isenabled()


def test_paused_keeps_a_callers_choice():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_frozen_hands_objects_back_even_after_an_error():
    with pytest.raises(ZeroDivisionError), collector.frozen():
        assert gc.get_freeze_count() > 0
        1 / 0
    assert gc.get_freeze_count() == 0


def test_frozen_leaves_a_callers_freeze_alone(monkeypatch):
    # Counting frozen objects is not a stable check: frozen objects that die leave the count.
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1000)
    with collector.frozen():
        pass
    assert calls == []


def test_frozen_freezes_and_unfreezes_when_nothing_is_frozen(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 0)
    with collector.frozen():
        assert calls == ["freeze"]
    assert calls == ["freeze", "unfreeze"]
