"""Real published reports that come as text: browser copy and a crawler's run-together text."""

from __future__ import annotations

import pandas as pd

from gxbg.report import parse_file
from tests.conftest import shared_file

NA = None

# Table 三 of shanghai-bangongting-2019 as published (blank cells are None).
SHANGHAI_REQUESTS = {
    "new_received": [821, 35, NA, NA, 2, 1, 859],
    "carried_over": [18, NA, NA, NA, NA, NA, 18],
    "granted": [258, 12, NA, NA, 1, 1, NA],
    "partly_granted": [3, NA, NA, NA, NA, NA, NA],
    "denied_state_secret": [14, NA, NA, NA, NA, NA, NA],
    "denied_internal_affairs": [5, NA, NA, NA, NA, NA, NA],
    "denied_process_info": [3, 1, NA, NA, NA, NA, NA],
    "denied_admin_inquiry": [10, 2, NA, NA, NA, NA, NA],
    "unavailable_not_held": [252, 12, NA, NA, 1, NA, NA],
    "unavailable_needs_creation": [44, 3, NA, NA, NA, NA, NA],
    "unavailable_unclear": [25, NA, NA, NA, NA, NA, NA],
    "unprocessed_complaint": [148, 1, NA, NA, NA, NA, NA],
    "unprocessed_repeat": [5, 4, NA, NA, NA, NA, NA],
    "other_misc": [NA] * 7,
    "results_total": [767, 35, NA, NA, 2, 1, 805],
    "carried_forward": [72, NA, NA, NA, NA, NA, 72],
}

# Table 三 of pingtan-2023 (values from pingtan-2023.html).
PINGTAN_2023 = {
    "new_received": [80, 1, 0, 0, 0, 0, 81],
    "granted": [22, 0, 0, 0, 0, 0, 22],
    "partly_granted": [19, 1, 0, 0, 0, 0, 20],
    "denied_third_party": [1, 0, 0, 0, 0, 0, 1],
    "denied_process_info": [1, 0, 0, 0, 0, 0, 1],
    "denied_enforcement_file": [1, 0, 0, 0, 0, 0, 1],
    "denied_admin_inquiry": [2, 0, 0, 0, 0, 0, 2],
    "unavailable_not_held": [31, 0, 0, 0, 0, 0, 31],
    "unprocessed_repeat": [1, 0, 0, 0, 0, 0, 1],
    "other_no_correction": [1, 0, 0, 0, 0, 0, 1],
    "other_misc": [1, 0, 0, 0, 0, 0, 1],
    "results_total": [80, 1, 0, 0, 0, 0, 81],
}


def row(report, code):
    return [None if pd.isna(v) else int(v) for v in report.requests.loc[code]]


def test_shanghai_browser_copy():
    r = parse_file(shared_file("corpus", "real", "shanghai-bangongting-2019.txt"))
    assert (r.agency, r.year, r.format, r.published) == ("上海市人民政府办公厅", 2019, "2019", "2020-01-31")
    for code, expected in SHANGHAI_REQUESTS.items():
        assert row(r, code) == expected, code
    blank_rows = ["denied_other_law", "denied_three_safety", "denied_third_party", "denied_enforcement_file",
                  "unprocessed_publication", "unprocessed_excessive", "unprocessed_confirmation"]
    for code in blank_rows:
        assert row(r, code) == [None] * 7, code
    appeals = [None if pd.isna(v) else int(v) for v in r.appeals["value"]]
    assert appeals == [5, NA, NA, 2, 7, 8, NA, NA, 1, 9, NA, NA, NA, NA, NA]
    assert r.active_value("procurement", "amount") == 251000
    assert any(n.code == "unit_in_cell" for n in r.layout)
    assert not [n for n in r.layout if n.code in ("missing_cell", "extra_cell", "not_assessable", "missing_row")]


def test_pingtan_crawled_run_together_cells_recovered():
    r = parse_file(shared_file("corpus", "real", "pingtan-2023.crawled.txt"))
    assert (r.agency, r.year, r.format, r.published) == ("平潭综合实验区", 2023, "2021", "2024-03-08")
    for code in r.requests.index:
        assert row(r, code) == PINGTAN_2023.get(code, [0] * 7), code
    assert r.appeals["value"].tolist() == [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]
    assert r.active_value("penalties", "decisions") == 1330
    assert r.active_value("fees", "amount_10k_yuan") == 5949.088667
    # "77132470" is 77/132/470 or 7/713/2470 or ...: not guessed
    assert r.active_value("normative_documents", "in_force") is None
    assert any(n.code == "not_assessable" and n.row == "normative_documents" for n in r.layout)
    assert len(r.sections) == 6


def test_text_copies_parse_to_the_same_tables_as_the_html():
    for text_name, html_name in [("shanghai-bangongting-2019.txt", "shanghai-bangongting-2019.html"),
                                 ("pingtan-2023.crawled.txt", "pingtan-2023.html")]:
        text = parse_file(shared_file("corpus", "real", text_name))
        html = parse_file(shared_file("corpus", "real", html_name))
        assert text.requests.equals(html.requests), text_name
        assert text.appeals["value"].equals(html.appeals["value"]), text_name
        assert (text.agency, text.year, text.format, text.published) == (html.agency, html.year, html.format, html.published)
