"""Narrative fact extraction, on the real seed and corpus reports and on small unit cases."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest

from gxbg.report.facts import PATTERNS, Fact, chinese_to_int, extract_facts, parse_number

SEEDS = Path("/work/shared/seeds")
REAL = Path("/work/shared/corpus/real")

# Headings that open each narrative section; 二–四 (tables) are skipped.
HEADINGS = (
    ("overview", re.compile(r"^(?:一、)?总体情况$")),
    ("tables", re.compile(r"^(?:二、)?.{0,6}主动公开政府信息情况$")),
    ("problems", re.compile(r"^(?:五、)?.{0,12}存在的主要问题及改进情况$")),
    ("other", re.compile(r"^(?:六、)?其他需要报告的事项$")),
)


def norm(line: str) -> str:
    return unicodedata.normalize("NFKC", line.replace("\u3000", " ").replace("\xa0", " "))


def split_sections(path: Path) -> dict[str, list[tuple[int, str]]]:
    """(lineno, text) per section; long lines before 一 are preamble prose, counted as overview."""
    out: dict[str, list[tuple[int, str]]] = {"title": [], "overview": [], "problems": [], "other": []}
    current = "title"
    for no, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        text = norm(raw)
        bare = text.strip().lstrip("#").strip()
        for name, regex in HEADINGS:
            if regex.match(bare):
                current = name
        if current == "tables":
            continue
        section = "overview" if current == "title" and len(bare) > 80 else current
        out[section].append((no, text))
    return out


def facts_of(path: Path) -> list[tuple[str, Fact]]:
    return [(section, fact) for section, lines in split_sections(path).items()
            for fact in extract_facts(lines, section)]


def kinds(facts: list[tuple[str, Fact]], kind: str) -> list[Fact]:
    return [fact for _, fact in facts if fact.kind == kind]


def values(facts: list[tuple[str, Fact]], kind: str) -> list[object]:
    return [fact.value for fact in kinds(facts, kind)]


def one(text: str, section: str = "overview") -> list[tuple[str, object, str | None, str | None]]:
    return [(f.kind, f.value, f.unit, f.scope) for f in extract_facts([(1, norm(text))], section)]


COUNT_KINDS = {spec.kind for spec in PATTERNS} - {"fee_none", "fee_amount", "year_mentioned", "published_date"}


# --- real reports ---

def test_shanghai_2019_text():
    facts = facts_of(REAL / "shanghai-bangongting-2019.txt")
    expected = {
        "requests_received": [859],
        "requests_answered": [805],
        "requests_granted_or_partly": [258],
        "requests_unavailable": [265],
        "requests_denied": [35],
        "requests_unprocessed": [158],
        "requests_other": [0],
        "requests_carried_over": [18],
        "requests_carried_forward": [72],
        "review_cases": [7],
        "suit_cases": [9],
        "published_date": ["2020-01-31"],
    }
    for kind, want in expected.items():
        assert values(facts, kind) == want, kind
    # 258 is 予以公开及部分公开, never 予以公开 alone; "主动公开规章13件" is not a count of information.
    assert values(facts, "requests_granted") == []
    assert values(facts, "requests_partly") == []
    assert values(facts, "proactive_published") == []
    assert all(f.line == 14 for f in kinds(facts, "requests_denied") + kinds(facts, "suit_cases"))
    assert kinds(facts, "published_date")[0].line == 2
    assert [f.value for s, f in facts if f.kind == "year_mentioned" and s == "title"] == [2019]
    assert not kinds(facts, "fee_none") and not kinds(facts, "fee_amount")


def test_shanghai_2019_unavailable_snippet():
    (fact,) = kinds(facts_of(REAL / "shanghai-bangongting-2019.txt"), "requests_unavailable")
    assert fact.text == "无法提供265件" and fact.unit == "件"


def test_pingtan_2023_crawled():
    facts = facts_of(REAL / "pingtan-2023.crawled.txt")
    expected = {
        "published_date": ["2024-03-08"],
        "proactive_published": [13561],  # not 公开信息1654条 (no 主动)
        "requests_received": [81],
        "requests_answered": [81],
        "requests_granted_or_partly": [42],
        "requests_denied": [5],
        "requests_unavailable": [31],
        "requests_unprocessed": [1],
        "requests_other": [2],
        "review_cases": [2],
        "suit_cases": [7],
        "fee_none": [None],
    }
    for kind, want in expected.items():
        assert values(facts, kind) == want, kind
    # The run-together tables (…收费5949.088667…, 801000081…) yield no facts.
    assert not kinds(facts, "fee_amount")
    assert not kinds(facts, "requests_carried_forward") and not kinds(facts, "requests_carried_over")
    assert kinds(facts, "fee_none")[0].text == "无收取信息处理费"
    assert kinds(facts, "requests_received")[0].line == 10
    title_years = {f.value for s, f in facts if f.kind == "year_mentioned" and s == "title"}
    assert title_years == {2023}
    # The statistics period "2023年1月1日…2023年12月31日" is dates, not year mentions; 2024 is the plan year.
    assert sorted({f.value for f in kinds(facts, "year_mentioned")}) == [2023, 2024]


def test_pingtan_2021_html_narrative():
    # Crude tag strip; the paragraph text is as published.
    raw = (REAL / "pingtan-2021.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "\n", raw))
    lines = [(no, norm(t)) for no, t in enumerate(text.split("\n"), 1) if t.strip()]
    facts = [("overview", f) for f in extract_facts(lines, "overview")]
    assert values(facts, "requests_received") == [70]  # 共收到70件申请
    assert values(facts, "requests_answered") == [69]  # 办结69件
    assert values(facts, "requests_carried_forward") == [1]  # 1件结转下年度
    assert values(facts, "proactive_published") == [2645]
    assert values(facts, "fee_none") == [None]
    assert not kinds(facts, "fee_amount")  # 行政事业性收费 24252.311082 is another fee


def test_seed_000_fee_only():
    facts = facts_of(SEEDS / "000_2236e2ab28097cf9.txt")
    (fee,) = kinds(facts, "fee_none")
    assert fee.text == "无收取信息处理费" and fee.scope is None and fee.line == 103
    # "12345市长热线留言" and 〔2019〕61号 are not facts.
    assert not [f for _, f in facts if f.kind in COUNT_KINDS]
    years = [(s, f.value, f.scope) for s, f in facts if f.kind == "year_mentioned"]
    assert ("title", 2021, "title") in years
    assert ("overview", 2021, "citation") in years  # 《…关于印发2021年政务公开工作要点的通知》


def test_seed_001_dingxi_2020():
    facts = facts_of(SEEDS / "001_6d7e4eb448e02a30.txt")
    assert values(facts, "published_date") == ["2021-02-08"]
    assert values(facts, "proactive_published") == [197]  # not 公示公告27条, 预警信息12000条
    (received,) = kinds(facts, "requests_received")
    assert (received.value, received.unit, received.line) == (0, "份", 23)
    assert not kinds(facts, "fee_none")  # 六 says only 暂无需要报告的其他事项
    assert {f.value for s, f in facts if f.kind == "year_mentioned" and s == "title"} == {2020}


def test_seed_002_huixian_2021():
    facts = facts_of(SEEDS / "002_80982073e3dd5082.txt")
    assert values(facts, "requests_received") == [75]  # 全年共受理依申请公开75件
    assert values(facts, "proactive_published") == [3200]
    fees = [(f.line, f.scope, f.text) for f in kinds(facts, "fee_none")]
    assert fees == [(15, "general", "未向申请人收取任何费用"), (104, None, "未收取信息处理费")]
    # 12345市长热线14287件, 市长信箱549件 and 行政事业性收费 12372.0506 万元 are not facts.
    assert not kinds(facts, "fee_amount")
    assert {f.kind for _, f in facts} <= {"requests_received", "proactive_published", "fee_none", "year_mentioned"}


def test_seed_003_yanjin_2023():
    facts = facts_of(SEEDS / "003_04d0c90127c5455c.txt")
    (received,) = kinds(facts, "requests_received")
    assert (received.value, received.text) == (0, "收到 0 件政府信息公开申请")
    (fee,) = kinds(facts, "fee_none")
    assert fee.text == "没有产生信息公开处理费" and fee.line == 74
    assert not kinds(facts, "proactive_published")  # 宣传视频 150 余条
    years = {(s, f.value) for s, f in facts if f.kind == "year_mentioned"}
    assert ("title", 2023) in years and ("problems", 2024) in years


def test_seed_004_taierzhuang_2021():
    facts = facts_of(SEEDS / "004_9f425d37dc18d178.txt")
    (received,) = kinds(facts, "requests_received")
    assert (received.value, received.text, received.line) == (0, "未收到政府信息公开申请", 11)
    (fee,) = kinds(facts, "fee_none")
    assert (fee.scope, fee.text) == ("general", "未发生任何收费")
    assert values(facts, "review_cases") == [0]
    assert values(facts, "suit_cases") == [0]
    assert values(facts, "proactive_published") == [22]
    # 信访案件0宗 is not a request count.
    assert len(kinds(facts, "requests_received")) == 1
    assert [f.line for s, f in facts if f.kind == "year_mentioned" and s == "title"] == [1]


# --- numbers ---

@pytest.mark.parametrize(("text", "value"), [
    ("十七", 17), ("一百零三", 103), ("两", 2), ("十", 10), ("二十", 20), ("零", 0), ("〇", 0),
    ("三千五百", 3500), ("一万二千", 12000), ("十万", 100000), ("二〇二一", 2021),
])
def test_chinese_to_int(text: str, value: int):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(("text", "value"), [("1,240", 1240), ("75", 75), ("1.2万", 12000), ("一百零三", 103)])
def test_parse_number(text: str, value: float):
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("全年共收到政府信息公开申请十七件", 17, "件"),
    ("共受理政府信息公开申请一百零三件", 103, "件"),
    ("收到依申请公开两件", 2, "件"),
    ("收到依申请公开0份", 0, "份"),
    ("全年共收到政府信息公开申请75件", 75, "件"),
    ("共受理政府信息公开申请1,240件", 1240, "件"),
    ("本年度共收到申请20件", 20, "件"),
    ("未收到政府信息公开申请", 0, "件"),
])
def test_requests_received_forms(text: str, value: int, unit: str):
    assert one(text) == [("requests_received", value, unit, None)]


def test_result_kinds():
    assert one("予以公开18件、部分公开12件") == [
        ("requests_granted", 18, "件", None), ("requests_partly", 12, "件", None)]
    assert one("予以公开及部分公开258件") == [("requests_granted_or_partly", 258, "件", None)]
    assert one("不予公开35件") == [("requests_denied", 35, "件", None)]
    assert one("因本机关不掌握等原因无法提供265件") == [("requests_unavailable", 265, "件", None)]
    assert one("不予处理158件") == [("requests_unprocessed", 158, "件", None)]
    assert one("其他处理0件") == [("requests_other", 0, "件", None)]
    assert one("结转下年度继续办理3件") == [("requests_carried_forward", 3, "件", None)]
    assert one("含上年度结转申请18件") == [("requests_carried_over", 18, "件", None)]
    assert one("主动公开政府信息197条") == [("proactive_published", 197, "条", None)]
    assert one("主动公开政府信息1.2万余条") == [("proactive_published", 12000, "条", "approximate")]
    assert one("行政复议7件,诉讼9件") == [("review_cases", 7, "件", None), ("suit_cases", 9, "件", None)]


def test_fee_facts():
    assert one("本年度未收取信息处理费", "other") == [("fee_none", None, None, None)]
    assert one("未收取任何费用", "other") == [("fee_none", None, None, "general")]
    assert one("未发生任何收费", "other") == [("fee_none", None, None, "general")]
    assert one("信息处理费:无", "other") == [("fee_none", None, None, None)]
    assert one("收取信息处理费120元", "other") == [("fee_amount", 120.0, "元", None)]
    assert one("收取信息处理费共计1,200.50元", "other") == [("fee_amount", 1200.5, "元", None)]


def test_years_and_dates():
    assert one("2021年政府信息公开工作年度报告", "title") == [("year_mentioned", 2021, "年", "title")]
    assert one("2023 年度,我局", "overview") == [("year_mentioned", 2023, "年", "overview")]
    assert one("发布时间:2021-02-08 16:02", "title") == [("published_date", "2021-02-08", None, "page")]
    assert one("发布日期:2020-01-31", "title") == [("published_date", "2020-01-31", None, "page")]
    assert one("2022年1月20日", "other") == [("published_date", "2022-01-20", None, "signature")]
    assert one("二〇二二年一月二十日", "other") == [("published_date", "2022-01-20", None, "signature")]


# --- what must not become a fact ---

@pytest.mark.parametrize("text", [
    "予以公开占33.9%",
    "申请数量较去年回落12.3%",
    "主动公开规章13件,行政规范性文件60件",
    "于2021年3月5日召开会议",  # a date: no year mention, no count
    "10月29日正式上线运行",
    "(国办公开办函〔2019〕60号)",
    "全年共办理12345市长热线14287件",
    "本年度收取行政事业性收费12372.0506万元",
    "未收取行政事业性收费",
    "承办人大代表建议30件,已办结30件",
    "受理行政许可申请300件",
    "受理办结电话举报和市长留言板等各类信访案件0宗",
    "无论行政复议还是诉讼",
    "统计期限从2019年1月1日到12月31日止",
    "发布时间节点限制",
])
def test_no_false_facts(text: str):
    assert one(text, "other") == []


def test_admin_fee_amount_is_not_processing_fee():
    # 12,372 万元 of 行政事业性收费 beside "no processing fee": only the fee_none fact.
    assert one("行政事业性收费12372万元,未收取信息处理费", "other") == [("fee_none", None, None, None)]


def test_counts_not_read_in_title_block():
    assert one("收到政府信息公开申请75件", "title") == []
    assert one("收到政府信息公开申请75件", "preamble") == [("requests_received", 75, "件", None)]


def test_unknown_section():
    with pytest.raises(ValueError):
        extract_facts([(1, "x")], "tables")


def test_fact_is_frozen():
    fact = extract_facts([(3, "不予公开35件")], "overview")[0]
    assert (fact.line, fact.text) == (3, "不予公开35件")
    with pytest.raises(AttributeError):
        fact.value = 1  # type: ignore[misc]


def test_facts_pickle_whole_as_parse_workers_send_them():
    import pickle

    facts = [Fact("fee_amount", 12.5, "元", 3, "处理费12.5元", "waived"), Fact("fee_none", None, None, 4, "未收取")]
    back = pickle.loads(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == facts and [f.scope for f in back] == ["waived", None]
    with pytest.raises(AttributeError):  # still frozen
        back[0].value = 1
