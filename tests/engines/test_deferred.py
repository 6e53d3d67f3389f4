"""Modules deferred during GX's import: not loaded by it, loaded and working on first use, and no
stand-in left behind for later imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from gxbg.engines.deferred import DeferredModule, deferred


@pytest.fixture
def fake_module(tmp_path, monkeypatch):
    """A module of our own on sys.path that records each time it is executed."""
    (tmp_path / "gxbg_fake_heavy.py").write_text("import builtins\nbuiltins.gxbg_fake_loads = getattr(builtins, 'gxbg_fake_loads', 0) + 1\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "gxbg_fake_heavy", raising=False)
    import builtins

    monkeypatch.setattr(builtins, "gxbg_fake_loads", 0, raising=False)
    yield builtins
    sys.modules.pop("gxbg_fake_heavy", None)


def test_import_in_the_block_binds_a_stand_in_that_loads_on_first_read(fake_module):
    with deferred("gxbg_fake_heavy"):
        import gxbg_fake_heavy as heavy
    assert isinstance(heavy, DeferredModule)
    assert fake_module.gxbg_fake_loads == 0
    assert "gxbg_fake_heavy" not in sys.modules  # a later import elsewhere is a normal one
    assert heavy.VALUE == 42
    assert fake_module.gxbg_fake_loads == 1
    assert heavy.VALUE == 42 and fake_module.gxbg_fake_loads == 1  # loaded once
    assert heavy.load() is sys.modules["gxbg_fake_heavy"]


def test_read_inside_the_block_loads_the_real_module(fake_module):
    with deferred("gxbg_fake_heavy"):
        import gxbg_fake_heavy as heavy

        assert heavy.VALUE == 42
        assert sys.modules["gxbg_fake_heavy"] is heavy.load()
    assert sys.modules["gxbg_fake_heavy"] is heavy.load()


def test_a_module_already_imported_is_left_alone(fake_module):
    import gxbg_fake_heavy as real

    with deferred("gxbg_fake_heavy"):
        import gxbg_fake_heavy as again
    assert again is real and fake_module.gxbg_fake_loads == 1


def test_missing_attributes_still_raise(fake_module):
    with deferred("gxbg_fake_heavy"):
        import gxbg_fake_heavy as heavy
    with pytest.raises(AttributeError):
        heavy.no_such_name  # noqa: B018


def test_gx_import_leaves_scipy_stats_and_altair_unloaded_until_an_expectation_needs_them():
    # A fresh interpreter: this test process may have imported scipy.stats already.
    code = textwrap.dedent("""
        import sys
        from gxbg.engines import gx_engine
        gx_engine.register_expectations()
        print("stats" if "scipy.stats" in sys.modules else "no stats", "altair" in sys.modules)
        from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
        print(round(float(kl.stats.entropy([0.5, 0.5], [0.25, 0.75])), 4))
        import scipy.stats
        print(kl.stats.load() is scipy.stats)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["no", "stats", "False", "0.1438", "True"]


def test_threads_reading_at_once_load_it_once(fake_module):
    from concurrent.futures import ThreadPoolExecutor

    with deferred("gxbg_fake_heavy"):
        import gxbg_fake_heavy as heavy
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda _: heavy.VALUE, range(32))) == [42] * 32
    assert fake_module.gxbg_fake_loads == 1
