"""A report's tables fingerprint: equal exactly when 二, 三 and 四 print the same values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gxbg.codes import REQUEST_COLUMNS, REQUEST_ROWS
from tests.helpers import make_report

cell = st.one_of(st.none(), st.integers(0, 3))
table = st.lists(st.lists(cell, min_size=len(REQUEST_COLUMNS), max_size=len(REQUEST_COLUMNS)),
                 min_size=len(REQUEST_ROWS), max_size=len(REQUEST_ROWS))  # fmt: skip
active = st.dictionaries(st.sampled_from(["regulations", "normative"]),
                         st.dictionaries(st.sampled_from(["issued", "repealed"]), st.one_of(st.none(), st.floats(0, 3))))  # fmt: skip


def _report(rows, items):
    return make_report(requests=dict(zip(REQUEST_ROWS, rows)), active=items)


def _printed(report) -> list:
    return sorted((item, measure, value) for item, measure, value, _ in report.active_records)


@given(table, active, st.data())
def test_same_hash_exactly_for_the_same_values(rows, items, data):
    other_rows = [list(row) for row in rows]
    if data.draw(st.booleans(), label="change a cell of 三"):
        r, c = data.draw(st.integers(0, len(REQUEST_ROWS) - 1)), data.draw(st.integers(0, len(REQUEST_COLUMNS) - 1))
        other_rows[r][c] = data.draw(cell)
    other_items = data.draw(st.one_of(st.just(items), active), label="二 of the other report")
    one, other = _report(rows, items), _report(other_rows, other_items)
    same = other_rows == rows and _printed(one) == _printed(other)  # an item with no measures prints nothing
    assert (one.fingerprint[0] == other.fingerprint[0]) == same


@given(table, active)
def test_whole_numbers_hash_alike_as_int_or_float_and_nonzero_says_whether_any_value_is(rows, items):
    as_float = [[None if v is None else float(v) for v in row] for row in rows]
    report = _report(rows, items)
    assert report.fingerprint == _report(as_float, items).fingerprint
    values = [v for row in rows for v in row] + [v for measures in items.values() for v in measures.values()]
    assert report.fingerprint[1] == any(v not in (None, 0) for v in values)
