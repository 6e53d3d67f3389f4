"""agency_key: real names from the seeds and the corpus, as published and as titles mangle them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxbg.agency import agency_key
from gxbg.report import parse_file
from tests.conftest import shared_file

REAL_NAMES = ["卫辉市应急管理局", "定西市应急管理局", "辉县市人民政府", "延津县应急管理局", "枣庄市台儿庄区应急管理局",
              "平潭综合实验区", "平潭综合实验区管委会办公室", "上海市人民政府办公厅"]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_clean_real_names_are_their_own_key(name):
    assert agency_key(name) == name


@pytest.mark.parametrize(("published", "key"), [
    ("平潭综合实验区 管委会", "平潭综合实验区管委会"),
    ("平潭综合实验区\u3000管委会", "平潭综合实验区管委会"),  # full-width space
    ("平潭综合实验区\xa0管委会", "平潭综合实验区管委会"),  # &nbsp; from HTML
    ("平潭综合实验区\n管委会", "平潭综合实验区管委会"),  # a title split over two lines, joined by the caller
    ("\u3000\u3000卫辉市应急管理局\u200b", "卫辉市应急管理局"),  # leading full-width indent, zero-width space
    ("“辉县市人民政府”", "辉县市人民政府"),
    ("《延津县应急管理局》", "延津县应急管理局"),
    ("【定西市应急管理局】", "定西市应急管理局"),
    ("（定西市应急管理局）", "定西市应急管理局"),
    ("定西市应急管理局：", "定西市应急管理局"),
    ("延津县应急管理局 2023 年", "延津县应急管理局"),  # seed 003's title, spaced
    ("定西市应急管理局2020年度", "定西市应急管理局"),
    ("定西市应急管理局２０２０年", "定西市应急管理局"),  # full-width digits
    ("定西市应急管理局年度", "定西市应急管理局"),
    ("平潭综合实验区二〇二三年度", "平潭综合实验区"),
    ("2019年上海市人民政府办公厅", "上海市人民政府办公厅"),  # the Shanghai title puts the year first
    ("“枣庄市台儿庄区应急管理局”2021年", "枣庄市台儿庄区应急管理局"),
])
def test_published_variants_share_the_key(published, key):
    assert agency_key(published) == key


@pytest.mark.parametrize(("one", "other"), [
    ("枣庄市台儿庄区应急管理局", "台儿庄区应急管理局"),  # the city prefix stays: no guessing
    ("平潭综合实验区", "平潭综合实验区管委会办公室"),
    ("辉县市人民政府", "卫辉市人民政府"),
    ("国家税务总局定西市税务局(本级)", "国家税务总局定西市税务局"),
])
def test_different_names_stay_different(one, other):
    assert agency_key(one) != agency_key(other)


def test_balanced_brackets_inside_a_name_are_kept():
    assert agency_key("国家税务总局定西市税务局（本级）") == "国家税务总局定西市税务局(本级)"
    assert agency_key("(甲)局(乙)") == "(甲)局(乙)"  # starts and ends with brackets, not one pair


def test_a_bare_year_is_not_emptied():
    assert agency_key("2021") == "2021"
    assert agency_key(" “” ") == ""


def test_title_lines_of_the_seeds_give_the_parsed_agency():
    # Seed 004 breaks its title after "2021年"; seed 003 spaces the year out. The text before
    # 政府信息公开 is what a caller joining the title lines passes.
    for prefix in ("003", "004"):
        [path] = sorted(shared_file("seeds").glob(f"{prefix}_*.txt"))
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        joined = "\n".join(lines[:2]).split("政府信息公开")[0]
        assert agency_key(joined) == agency_key(parse_file(path).agency)


def test_corpus_copies_of_one_report_share_the_key():
    folder = shared_file("corpus", "real")
    keys = {agency_key(parse_file(folder / name).agency)
            for name in ("pingtan-2021.html", "pingtan-2023.html", "pingtan-2023.crawled.txt")}
    assert keys == {"平潭综合实验区"}


NAME_CHARS = st.sampled_from(list("平潭综合实验区管委会办公室卫辉市应急管理局县人民政府枣庄台儿上海年度本级2019０１")
                             + list("()（）【】“”《》:：,，. "))


@given(st.text(NAME_CHARS, max_size=30))
def test_key_is_idempotent(name):
    assert agency_key(agency_key(name)) == agency_key(name)


@given(st.text(NAME_CHARS, max_size=30), st.lists(st.sampled_from([" ", "\u3000", "\xa0", "\n", "\t", "\u200b"]),
                                                   max_size=5), st.randoms(use_true_random=False))
def test_whitespace_anywhere_does_not_change_the_key(name, spaces, rnd):
    chars = list(name)
    for space in spaces:
        chars.insert(rnd.randint(0, len(chars)), space)
    assert agency_key("".join(chars)) == agency_key(name)
