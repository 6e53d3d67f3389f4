"""Our expectations' kwargs lookups (built from one configuration) give what GX's own methods give."""

from __future__ import annotations

from great_expectations.expectations.expectation import MulticolumnMapExpectation

from gxbg.engines import gx_engine
from gxbg.engines.common import checks_by_table
from tests.helpers import shipped_rules


def test_kwargs_lookups_match_gx_for_every_shipped_expectation():
    checked = 0
    for table, checks in checks_by_table(shipped_rules().checks()).items():
        for expectation in gx_engine.build_suite(table, checks).expectations:
            assert isinstance(expectation, gx_engine.OneConfiguration)
            for method in ("_get_domain_kwargs", "_get_success_kwargs", "_get_runtime_kwargs"):
                ours = getattr(expectation, method)()
                theirs = getattr(MulticolumnMapExpectation, method)(expectation)
                assert ours == theirs, (expectation.meta, method)
            checked += 1
    assert checked > 50
