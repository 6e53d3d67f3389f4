"""cells: by_report's shared tables give what a pivot per call gives, and are shared only over the same memory."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gxbg.kinds.cells as cells
from gxbg.kinds.base import failure_frame
from gxbg.kinds.cells import by_report, locate, shared_tables

ROWS = ["a", "b", "c", "d"]

table_cells = st.lists(
    st.tuples(st.sampled_from(["r1", "r2", "r3", "r4"]), st.sampled_from(ROWS + ["x"]), st.none() | st.integers(-5, 5)),
    max_size=14,
    unique_by=lambda cell: cell[:2],  # one value per report and row, as in every table frame
)


def table(rows: list[tuple], keys: str = "category") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["report_id", "row", "v"], dtype=object)
    return frame.astype({"report_id": keys, "row": keys, "v": "Int64"})


@settings(max_examples=200, deadline=None)
@given(rows=table_cells, asked=st.lists(st.sampled_from(ROWS + ["x", "y"]), min_size=1, max_size=4),
       keys=st.sampled_from(["category", "string"]))  # fmt: skip
def test_shared_tables_give_what_each_pivot_gives(rows, asked, keys):
    frame = table(rows, keys)
    alone = by_report(frame, "v", asked)
    with shared_tables():
        by_report(frame, "v", ROWS[:1])  # the shared table is made by another question first
        shared = by_report(frame, "v", asked)
    pd.testing.assert_frame_equal(shared, alone)


def _pivots(monkeypatch) -> list:
    made: list = []
    pivot = cells._pivot
    monkeypatch.setattr(cells, "_pivot", lambda *args: made.append(args[1:]) or pivot(*args))
    return made


def test_one_table_per_column_for_views_over_the_same_memory(monkeypatch):
    frame = table([("r1", "a", 1), ("r1", "b", 2), ("r2", "a", 0), ("r2", "b", 5)])
    made = _pivots(monkeypatch)
    with shared_tables():
        by_report(frame, "v", ["a"])
        by_report(frame[["report_id", "row", "v"]], "v", ["b", "a"])  # what GX hands each expectation
        by_report(frame, "v", ["a", "b"])
    assert len(made) == 1


def test_changed_values_are_never_read_from_a_shared_table(monkeypatch):
    frame = table([("r1", "a", 1), ("r1", "b", 2)])
    changed = frame.assign(v=pd.array([9, 2], dtype="Int64"))  # the same keys' memory, other values
    with shared_tables():
        assert by_report(frame, "v", ["a"]).iloc[0, 0] == 1
        assert by_report(changed, "v", ["a"]).iloc[0, 0] == 9
    made = _pivots(monkeypatch)
    by_report(frame, "v", ["a"])
    by_report(frame, "v", ["a"])
    assert len(made) == 2  # outside shared_tables nothing is kept


def test_a_row_given_twice_still_fails_only_when_asked_for():
    frame = table([("r1", "a", 1), ("r1", "b", 2), ("r1", "b", 3)])
    with shared_tables():
        assert by_report(frame, "v", ["a"]).iloc[0, 0] == 1
        with pytest.raises(ValueError):
            by_report(frame, "v", ["b"])


@pytest.mark.parametrize("keys", ["category", "string"])
def test_locate_puts_values_on_the_rows_of_their_reports(keys):
    frame = table([("r1", "a", 1), ("r1", "t", 2), ("r2", "a", 0), ("r2", "t", 5), ("r3", "a", 1)], keys)
    frame.index = [10, 11, 12, 13, 14]
    wide = by_report(frame, "v", ["t", "a"])
    values = failure_frame(wide["t"], wide["a"])  # one per report, r3 with no "t" row
    located = locate(frame, values, "t")
    assert located.index.tolist() == [11, 13]
    assert located["observed"].tolist() == [2, 5] and located["expected"].tolist() == [1, 0]
    assert np.array_equal(frame.loc[located.index, "report_id"].astype(str), ["r1", "r2"])


def reference_pivot(frame: pd.DataFrame, column: str, rows: list[str]) -> pd.DataFrame:
    """What by_report computed with pandas' pivot before it placed cells by codes."""
    sub = frame.loc[frame["row"].isin(rows), ["report_id", "row", column]]
    wide = sub.pivot(index="report_id", columns="row", values=column)
    return wide.reindex(index=pd.unique(frame["report_id"]), columns=rows).astype("Float64")


@settings(max_examples=300, deadline=None)
@given(rows=table_cells, asked=st.lists(st.sampled_from(ROWS + ["x", "y"]), min_size=1, max_size=4),
       keys=st.sampled_from(["category", "string"]), floats=st.booleans())  # fmt: skip
def test_by_report_is_the_pivot_it_replaced(rows, asked, keys, floats):
    frame = table(rows, keys)
    if floats:
        frame["v"] = frame["v"].astype("Float64") / 4
    got, expected = by_report(frame, "v", asked), reference_pivot(frame, "v", asked)
    pd.testing.assert_frame_equal(got, expected, check_column_type=False)
    pd.testing.assert_index_equal(got.index, expected.index, exact=True)  # same labels and dtype (categories)
    assert got.index.name == "report_id" and got.columns.name == "row"
    assert list(got.index) == list(pd.unique(frame["report_id"]))
