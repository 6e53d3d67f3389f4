"""findings.json: a JSON array with one finding per line, blanks as null, Chinese readable."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from gxbg.publish.files import records_json


def test_one_record_per_line_with_blanks_as_null():
    frame = pd.DataFrame({
        "year": pd.array([2023, None], dtype="Int64"), "agency": ["某某局", None],
        "observed": [np.int64(3), "12.5"], "share": [1.5, float("nan")],
    })
    text = records_json(frame)
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 4 and text.endswith("\n")
    assert json.loads(lines[1].rstrip(",")) == {"year": 2023, "agency": "某某局", "observed": 3, "share": 1.5}
    assert json.loads(text) == [
        {"year": 2023, "agency": "某某局", "observed": 3, "share": 1.5},
        {"year": None, "agency": None, "observed": "12.5", "share": None},
    ]
    assert "某某局" in text  # not \\u escapes


def test_no_findings_is_an_empty_array():
    assert json.loads(records_json(pd.DataFrame(columns=["year", "agency"]))) == []
