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


@pytest.fixture
def gc_calls(monkeypatch):
    """gc.freeze and gc.unfreeze recorded instead of done. Counting frozen objects is no stable check:
    frozen objects that die leave the count."""
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    return calls


def test_frozen_leaves_a_callers_freeze_alone(gc_calls, monkeypatch):
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1000)
    with collector.frozen():
        pass
    assert gc_calls == []


def test_frozen_freezes_and_unfreezes_when_nothing_is_frozen(gc_calls, monkeypatch):
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 0)
    with collector.frozen():
        assert gc_calls == ["freeze"]
    assert gc_calls == ["freeze", "unfreeze"]


class _Node:  # tracked by the collector, like a parsed report's objects
    pass


def test_what_a_paused_block_made_leaves_the_young_generation_unwalked():
    gc.collect()
    with collector.paused():
        made = [_Node() for _ in range(50_000)]
    assert gc.get_count()[0] < 1000  # no pass is due: nothing young is left to walk
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert not any(id(o) in young for o in made[::1000])
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(o) in oldest for o in made[::1000])
    assert gc.get_freeze_count() == 0


def test_paused_leaves_a_callers_freeze_alone(gc_calls, monkeypatch):
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1000)
    with collector.paused():
        pass
    assert gc_calls == [] and gc.isenabled()


def test_freeze_for_exit_freezes_what_is_alive():
    try:
        collector.freeze_for_exit()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
