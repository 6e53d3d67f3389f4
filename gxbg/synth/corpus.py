"""Error-injection corpus: many agencies over consecutive years, with known errors and the truth about them.

build_corpus plans agencies x years and writes each agency's reports as a chain: 上年结转 of year Y is
结转下年度继续办理 of Y−1 in every column, 现行有效件数 of Y is that of Y−1 + 制发 − 废止 (and the trial format's
item counts carry over the same way). Most agencies get almost no requests, a few hundreds; licensing and
penalty decisions reach thousands. The narrative restates table figures and states the processing fee.

It then picks about inject_rate of the reports and gives each one error. Each injector is one small function
registered in INJECTORS under the finding category it must provoke; it changes its report so that only that
category's identities break (when a second category cannot be avoided it records that one as well) and
returns the truth: what a validator should find, where (file, category, section, row, column). Layout damage
(category "layout") must be repaired by the parser with no rule finding at all. A last pass adds what follows
from the injections for other reports: a copied report breaks its successor's carry-over chain, and
review/litigation cases in a year without requests deserve the (expected) warning.

write_corpus renders every report in its layout or file type and writes truth.csv and manifest.csv.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import io
import random
import zipfile
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from gxbg.codes import APPEAL_CODES, APPEAL_GROUPS, APPEAL_SUFFIXES, APPLICANT_COLUMNS, REQUEST_COLUMNS, RESULT_ROWS
from gxbg.synth.writer import (
    random_requests,
    documents_sentence,
    ACTIVE_EXTRA,
    BUREAUS,
    INTRO,
    LAYOUTS,
    MANAGEMENT,
    PLATFORM,
    REQUEST_EXTRA,
    REQUEST_LABELS,
    SECTION_HEADINGS,
    SUPERVISION,
    Block,
    ReportData,
    document_blocks,
    format_number,
    problems_text,
    random_appeals,
    random_report,
    render_blocks,
    request_rows,
)

CATEGORIES = ("row_sum", "column_sum", "balance", "zero_consistency", "value", "year_coverage",
              "fee_narrative", "text_table", "cross_year", "layout")  # fmt: skip
TEXT_KINDS = LAYOUTS  # text layouts of writer.render
FILE_KINDS = ("html", "docx", "pdf")  # gxbg.synth.formats
KINDS = TEXT_KINDS + FILE_KINDS
# Shares of the layouts and file types, roughly as agencies publish (web pages and plain text dominate).
KIND_WEIGHTS = {"tabs": 3, "cells": 2, "spaces": 2, "web": 2, "markdown": 1, "html": 3, "docx": 1, "pdf": 1}
SUFFIXES = {"markdown": ".md", "html": ".html", "docx": ".docx", "pdf": ".pdf"}  # other text layouts: .txt
GB18030_SHARE = 0.1  # text files saved by Chinese Windows tools
DEFAULT_YEARS = (2019, 2020, 2021, 2022, 2023)
REPORTS_DIR = "reports"
TRUTH_FILE = "truth.csv"
MANIFEST_FILE = "manifest.csv"

# ---------------------------------------------------------------------------------------------
# Truth and corpus
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """One finding a validator should report. severity: error | warning (expected on sound data) |
    info (layout damage: a layout note at most, never a rule finding). file is "" for a missing report;
    year_coverage truth is matched by agency and year."""

    file: str
    agency: str
    year: int
    category: str
    severity: str = "error"
    section: str | None = None
    row: str | None = None
    column: str | None = None
    note: str = ""


TRUTH_COLUMNS = [f.name for f in fields(Truth)]
Edit = Callable[[list[Block]], list[Block]]


@dataclass
class Slot:
    """One report due: an agency's year, its figures, how it is published and what was done to it."""

    agency: str
    year: int
    data: ReportData
    kind: str  # one of KINDS
    number: int  # the agency's number (file names)
    encoding: str = "utf-8"
    pdf_pages: str = "dash"
    file: str = ""  # relative to the corpus folder
    written: bool = True  # False: due but missing
    duplicate: bool = False  # a second file for the same agency and year
    injected: str | None = None  # category of the injected error
    truth: list[Truth] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)  # layout damage on the text blocks
    # Layout damage on the tables of HTML, DOCX and PDF files (formats.GridEdit), by table name.
    grid_edits: dict[str, list[Callable]] = field(default_factory=dict)
    wrap: tuple[str, str] = ("", "")  # web-page chrome around the text
    variants: dict = field(default_factory=dict)  # narrative sentence variants chosen
    sentences: dict[str, str] = field(default_factory=dict)  # restating sentences as written

    def truth_item(self, category: str, **where) -> Truth:
        return Truth(self.file if self.written else "", self.agency, self.year, category, **where)


@dataclass
class Corpus:
    seed: int
    years: tuple[int, ...]
    slots: list[Slot]
    targets: set[int] = field(default_factory=set)  # ids of slots picked for injection

    def chain(self, agency: str) -> list[Slot]:
        """The agency's reports due, by year (duplicates left out)."""
        return list(self._chains().get(agency, []))

    def neighbour(self, slot: Slot, step: int) -> Slot | None:
        for other in self._chains().get(slot.agency, []):
            if other.year == slot.year + step:
                return other
        return None

    def _chains(self) -> dict[str, list[Slot]]:
        if not hasattr(self, "_by_agency"):
            by_agency: dict[str, list[Slot]] = {}
            for s in self.slots:
                if not s.duplicate:
                    by_agency.setdefault(s.agency, []).append(s)
            self._by_agency = by_agency
        return self._by_agency

    def truth(self) -> list[Truth]:
        return [t for s in self.slots for t in s.truth]

    def manifest(self) -> list[tuple[str, int]]:
        return list(dict.fromkeys((s.agency, s.year) for s in self.slots))

    def written(self) -> list[Slot]:
        return [s for s in self.slots if s.written]


# ---------------------------------------------------------------------------------------------
# Agencies and their chains of reports
# ---------------------------------------------------------------------------------------------

CITIES = (
    "郑州市 开封市 洛阳市 平顶山市 安阳市 鹤壁市 新乡市 焦作市 濮阳市 许昌市 漯河市 三门峡市 南阳市 商丘市 信阳市 "
    "周口市 驻马店市 济南市 淄博市 枣庄市 东营市 烟台市 潍坊市 济宁市 泰安市 威海市 日照市 临沂市 德州市 聊城市 "
    "滨州市 菏泽市 兰州市 天水市 白银市 定西市 平凉市 庆阳市 武威市 张掖市 酒泉市 陇南市 石家庄市 唐山市 邯郸市 "
    "保定市 沧州市 廊坊市 衡水市 太原市 大同市 长治市 晋城市 朔州市 运城市 临汾市 合肥市 芜湖市 蚌埠市 阜阳市"
).split()
COUNTIES = (
    "卫辉市 辉县市 延津县 获嘉县 原阳县 封丘县 长垣市 临洮县 渭源县 陇西县 通渭县 岷县 漳县 台儿庄区 峄城区 滕州市 "
    "金水区 中原区 二七区 管城回族区 惠济区 上街区 巩义市 荥阳市 新密市 新郑市 登封市 中牟县 祥符区 杞县 通许县 "
    "尉氏县 兰考县 安阳县 汤阴县 滑县 内黄县 林州市 卧龙区 宛城区 南召县 方城县 西峡县 镇平县 内乡县 淅川县 社旗县 "
    "唐河县 新野县 桐柏县 邓州市 鹿邑县 郸城县 淮阳区 太康县 西华县 商水县 沈丘县 项城市 扶沟县 历城区 章丘区 "
    "平阴县 商河县 莱芜区 钢城区 临淄区 博山区 周村区 桓台县 高青县 沂源县 寿光市 青州市 诸城市 安丘市 高密市 "
    "昌邑市 临朐县 昌乐县 曲阜市 邹城市 微山县 鱼台县 金乡县 嘉祥县 汶上县 泗水县 梁山县 榆中县 永登县 皋兰县 "
    "秦安县 甘谷县 武山县 清水县 张家川回族自治县 正定县 行唐县 灵寿县 赞皇县 无极县 平山县 元氏县 赵县 晋州市 "
    "新乐市 清徐县 阳曲县 娄烦县 古交市"
).split()


def agency_names(rng: random.Random, count: int) -> list[str]:
    """count distinct agency names (place + bureau), in random order."""
    names = [p + b for p in CITIES + COUNTIES for b in BUREAUS]
    if count > len(names):  # very large corpora: county bureaus under their city
        names += [c + p + b for c in CITIES for p in COUNTIES for b in BUREAUS]
    if count > len(names):
        raise ValueError(f"at most {len(names)} agencies can be named; ask for fewer reports or more years")
    return rng.sample(names, count)


@dataclass(frozen=True)
class Profile:
    """What stays with an agency from year to year: how busy it is."""

    requests: int  # typical requests a year
    licensing: float
    penalties: float
    enforcement: float


def _scale(rng: random.Random, zero_chance: float, top_exponent: float) -> float:
    return 0.0 if rng.random() < zero_chance else 10 ** rng.uniform(0, top_exponent)


def agency_profile(rng: random.Random) -> Profile:
    roll = rng.random()
    if roll < 0.5:
        requests = 0
    elif roll < 0.85:
        requests = rng.randint(1, 20)
    elif roll < 0.97:
        requests = rng.randint(21, 300)
    else:
        requests = rng.randint(301, 2000)
    return Profile(requests, _scale(rng, 0.3, 3.8), _scale(rng, 0.3, 3.5), _scale(rng, 0.6, 2.5))


def _yearly(rng: random.Random, base: float) -> int:
    return int(round(base * rng.uniform(0.7, 1.3)))


def chain_reports(rng: random.Random, agency: str, years: tuple[int, ...]) -> list[ReportData]:
    """The agency's reports over consecutive years, each carrying over from the one before."""
    profile = agency_profile(rng)
    out: list[ReportData] = []
    prev: ReportData | None = None
    for year in years:
        data = random_report(rng, year=year, agency=agency)
        data.requests = chained_requests(rng, data.format, profile, prev)
        data.appeals = random_appeals(rng, busy=data.requests["new_received"]["total"] > 0)
        chain_active(rng, data, profile, prev)
        if prev is not None and same_tables(prev, data):  # would read as a copy of last year's report
            data.active["licensing"]["decisions"] += rng.randint(1, 5)
        data.processing_fee = processing_fee(rng, data)
        out.append(data)
        prev = data
    return out


def same_tables(a: ReportData, b: ReportData) -> bool:
    return (a.format, a.requests, a.appeals, a.active) == (b.format, b.requests, b.appeals, b.active)


def _volume(rng: random.Random, profile: Profile) -> int:
    if profile.requests == 0:
        return 0 if rng.random() < 0.85 else rng.randint(1, 3)
    return max(0, round(profile.requests * rng.uniform(0.6, 1.5)))


def chained_requests(rng: random.Random, fmt: str, profile: Profile, prev: ReportData | None) -> dict:
    """Table 三 whose carried over is last year's carried forward, at the agency's scale."""
    carried = prev.requests["carried_forward"] if prev is not None else None
    return random_requests(rng, fmt, _volume(rng, profile), carried)


def chain_active(rng: random.Random, data: ReportData, profile: Profile, prev: ReportData | None) -> None:
    """Section 二 with the agency's scale and the carry-over of document and item counts."""
    active = data.active
    same = prev is not None and prev.format == data.format
    for item, base in (("licensing", profile.licensing), ("penalties", profile.penalties),
                       ("enforcement", profile.enforcement)):  # fmt: skip
        active[item]["decisions"] = _yearly(rng, base)
    if data.format == "2021":
        for item in ("regulations", "normative_documents"):
            row = active[item]
            if same:
                before = prev.active[item]["in_force"]
                row["repealed"] = min(row["repealed"], before + row["issued"])
                row["in_force"] = before + row["issued"] - row["repealed"]
        return
    for item in ("regulations", "normative_documents"):
        if same:
            active[item]["total_published"] = prev.active[item]["total_published"] + active[item]["published"]
    for item in ("licensing", "other_services", "penalties", "enforcement", "fees"):
        row = active[item]
        if same:
            row["previous"] = prev.active[item]["previous"] + prev.active[item]["change"]
        row["change"] = max(row["change"], -row["previous"])


def processing_fee(rng: random.Random, data: ReportData) -> float:
    """信息处理费 (元): charged when fee notices went unpaid (三(六)2), otherwise rare; none before 2021."""
    if data.format != "2021":
        return 0.0
    if data.requests["other_unpaid_fee"]["total"] or (data.request_total("new_received") > 50 and rng.random() < 0.1):
        return float(rng.randint(1, 50) * 100)
    return 0.0


# ---------------------------------------------------------------------------------------------
# Narrative: sentences that restate the tables and state the processing fee
# ---------------------------------------------------------------------------------------------

REQUEST_SENTENCES = (
    "本年度共收到政府信息公开申请{new_received}件，上年结转{carried_over}件，办结{results_total}件，"
    "其中予以公开{granted}件，结转下年度继续办理{carried_forward}件。",
    "{year}年度，本机关新收政府信息公开申请{new_received}件，上年结转政府信息公开申请{carried_over}件；"
    "全年办结{results_total}件，其中予以公开{granted}件、部分公开{partly_granted}件，"
    "结转下年度继续办理{carried_forward}件。",
    "全年受理政府信息公开申请{new_received}件（另有上年结转{carried_over}件），依法答复{results_total}件，"
    "其中予以公开{granted}件，结转下年度继续办理{carried_forward}件。",
)
NO_REQUESTS = "本年度未收到政府信息公开申请。"
STATED_ROWS = ("new_received", "carried_over", "results_total", "granted", "partly_granted", "carried_forward")
APPEAL_SENTENCE = "本年度因政府信息公开被申请行政复议{review}件，被提起行政诉讼{suit}件。"
NO_APPEALS = "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。"
FEE_NONE = ("本年度未收取信息处理费。", "本机关在依申请公开工作中均未收取信息处理费。", "信息处理费收取情况：无。")
FEE_AMOUNT = ("本年度按照《政府信息公开信息处理费管理办法》收取信息处理费{amount}元。",
              "本年度共收取信息处理费{amount}元。")  # fmt: skip
NO_CHARGE_AT_ALL = "依申请公开工作中未收取任何费用。"
FORMAT_NOTICE = {
    "2019": "根据《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）要求编制本报告。",
    "2021": "本报告按照《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉"
            "的通知》（国办公开办函〔2021〕30号）要求编制。",
}  # fmt: skip
NOTHING_ELSE = "无其他需要报告的事项。"


def stated_figures(data: ReportData) -> dict[str, int]:
    return {row: data.request_total(row) for row in STATED_ROWS}


def requests_sentence(data: ReportData, variant, stated: dict[str, int] | None = None) -> str:
    figures = stated_figures(data) | (stated or {})
    if variant == "none" and not any(figures.values()):
        return NO_REQUESTS
    template = REQUEST_SENTENCES[0 if variant == "none" else variant]
    return template.format(year=data.year, **figures)


def appeal_cases(data: ReportData) -> dict[str, int]:
    suit = data.appeals["suit_direct_total"] + data.appeals["suit_after_review_total"]
    return {"review": data.appeals["review_total"], "suit": suit}


def appeals_sentence(data: ReportData, variant, stated: dict[str, int] | None = None) -> str:
    if variant is None:
        return ""
    cases = appeal_cases(data) | (stated or {})
    return APPEAL_SENTENCE.format(**cases) if any(cases.values()) else NO_APPEALS


def fee_sentence(data: ReportData, variant: int) -> str:
    if data.processing_fee:
        return FEE_AMOUNT[variant % len(FEE_AMOUNT)].format(amount=format_number(data.processing_fee))
    return FEE_NONE[variant % len(FEE_NONE)]


def narrate(rng: random.Random, slot: Slot) -> None:
    """Overview, problems and other matters for the slot's figures; remembers the restating sentences."""
    data, v = slot.data, slot.variants
    zero = not any(stated_figures(data).values())
    v["requests"] = "none" if zero and rng.random() < 0.6 else rng.randrange(len(REQUEST_SENTENCES))
    v["appeals"] = None if rng.random() < 0.3 else "cases"
    v["fee"] = rng.randrange(6)
    v["no_charge"] = data.format == "2021" and not data.processing_fee and rng.random() < 0.2
    fees = data.active["fees"].get("amount_10k_yuan", 0.0)
    v["fees_sentence"] = bool(fees) and rng.random() < 0.5
    slot.sentences = {"requests": requests_sentence(data, v["requests"]), "appeals": appeals_sentence(data, v["appeals"])}
    intro = INTRO.format(year=data.year, agency=data.agency) + (FORMAT_NOTICE[data.format] if rng.random() < 0.5 else "")
    active = (f"全年通过门户网站主动公开政府信息{rng.randint(20, 3000)}条，发布政策解读{rng.randint(0, 40)}篇。"
              + documents_sentence(data)
              + (f"全年收取行政事业性收费{format_number(fees)}万元。" if v["fees_sentence"] else "")
              + "".join(ACTIVE_EXTRA))  # fmt: skip
    requests = (slot.sentences["requests"] + rng.choice(REQUEST_EXTRA) + slot.sentences["appeals"]
                + (NO_CHARGE_AT_ALL if v["no_charge"] else ""))  # fmt: skip
    data.overview = "\n".join([
        intro, "（一）主动公开情况", active, "（二）依申请公开情况", requests,
        "（三）政府信息管理", "".join(rng.sample(MANAGEMENT, 3)),
        "（四）政府信息公开平台建设", "".join(rng.sample(PLATFORM, 2)),
        "（五）监督保障", "".join(rng.sample(SUPERVISION, 2)),
    ])  # fmt: skip
    data.problems = problems_text(rng)
    if rng.random() < 0.3:  # plans for next year, as many reports end
        data.problems = data.problems.replace("今后，", f"{data.year + 1}年，", 1)
    slot.sentences["fee"] = fee_sentence(data, v["fee"])
    data.other = slot.sentences["fee"] + rng.choice(("", NOTHING_ELSE))


def restate(slot: Slot) -> None:
    """After an injection changed figures the narrative restates: it follows the (wrong) table, so only the
    injected category breaks, not text-vs-table as well."""
    data = slot.data
    for name, build in (("requests", requests_sentence), ("appeals", appeals_sentence)):
        old, new = slot.sentences[name], build(data, slot.variants[name])
        if old and new != old:
            data.overview = data.overview.replace(old, new, 1)
            slot.sentences[name] = new


def set_fee_statement(slot: Slot, text: str) -> None:
    data = slot.data
    data.other = data.other.replace(slot.sentences["fee"], text, 1) if slot.sentences["fee"] else text + data.other
    slot.sentences["fee"] = text


# ---------------------------------------------------------------------------------------------
# Building the corpus
# ---------------------------------------------------------------------------------------------


def available_kinds() -> tuple[str, ...]:
    """Layouts and file types this installation can write and read back."""
    from gxbg.documents import SUPPORTED_SUFFIXES

    kinds = list(TEXT_KINDS)
    if importlib.util.find_spec("gxbg.synth.formats") is not None:
        kinds.append("html")
        if importlib.util.find_spec("docx") is not None and ".docx" in SUPPORTED_SUFFIXES:
            kinds.append("docx")
        if importlib.util.find_spec("reportlab") is not None and ".pdf" in SUPPORTED_SUFFIXES:
            kinds.append("pdf")
    return tuple(kinds)


def build_corpus(
    n: int,
    seed: int = 0,
    *,
    years: tuple[int, ...] = DEFAULT_YEARS,
    inject_rate: float = 0.33,
    kinds: tuple[str, ...] | None = None,
) -> Corpus:
    """n reports due (agencies x consecutive years), about inject_rate of them with one injected error."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if not 0 <= inject_rate <= 1:
        raise ValueError("inject_rate must be between 0 and 1")
    years = tuple(sorted(years))
    if any(b != a + 1 for a, b in zip(years, years[1:])):
        raise ValueError(f"years must be consecutive, got {years}")
    kinds = _check_kinds(kinds)
    rng = random.Random(seed)
    slots: list[Slot] = []
    for number, agency in enumerate(agency_names(rng, -(-n // len(years))), 1):
        for data in chain_reports(rng, agency, years[: n - len(slots)]):
            slot = Slot(agency, data.year, data, kind=_pick_kind(rng, kinds), number=number)
            if slot.kind in TEXT_KINDS and rng.random() < GB18030_SHARE:
                slot.encoding = "gb18030"
            slot.pdf_pages = rng.choice(("dash", "bare", "chinese"))
            slot.file = file_name(slot)
            narrate(rng, slot)
            slots.append(slot)
    corpus = Corpus(seed, years, slots)
    inject(rng, corpus, inject_rate)
    add_consequences(corpus)
    return corpus


def _check_kinds(kinds: tuple[str, ...] | None) -> tuple[str, ...]:
    available = available_kinds()
    if kinds is None:
        return available
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown layout or file type {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    missing = [k for k in kinds if k not in available]
    if missing:
        raise ValueError(f"cannot write {', '.join(missing)} here (missing optional packages or readers)")
    if not kinds:
        raise ValueError("no layout or file type given")
    return tuple(kinds)


def _pick_kind(rng: random.Random, kinds: tuple[str, ...]) -> str:
    return rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]


def file_name(slot: Slot, tag: str = "") -> str:
    return f"{REPORTS_DIR}/{slot.number:04d}-{slot.year}{tag}{SUFFIXES.get(slot.kind, '.txt')}"


def inject(rng: random.Random, corpus: Corpus, rate: float) -> None:
    """Pick round(rate x reports) reports; give each the least used category that applies to it."""
    slots = list(corpus.slots)
    targets = rng.sample(range(len(slots)), round(rate * len(slots)))
    corpus.targets = {id(slots[i]) for i in targets}
    used = dict.fromkeys(CATEGORIES, 0)
    for i in targets:
        for category in sorted(CATEGORIES, key=lambda c: (used[c], rng.random())):
            truth = INJECTORS[category](rng, slots[i], corpus)
            if truth:
                slots[i].injected = category
                for t in truth:  # a duplicate's truth goes with the second file, added last
                    owner = slots[i] if t.file in ("", slots[i].file) else next(s for s in reversed(corpus.slots) if s.file == t.file)
                    owner.truth.append(t)
                used[category] += 1
                break


def add_consequences(corpus: Corpus) -> None:
    """Cross-year breaks that follow from an injection elsewhere, and warnings sound data deserves."""
    for slot in corpus.written():
        prev = corpus.neighbour(slot, -1)
        if prev is not None and prev.written:
            recorded = {(t.section, t.row, t.column) for t in slot.truth if t.category == "cross_year"}
            for section, row, column in chain_breaks(prev.data, slot.data):
                if (section, row, column) not in recorded:
                    note = f"follows from {prev.injected or slot.injected}"
                    slot.truth.append(slot.truth_item("cross_year", section=section, row=row, column=column, note=note))
        slot.truth += expected_warnings(slot)


def chain_breaks(prev: ReportData, cur: ReportData) -> list[tuple[str, str, str]]:
    """Cells of cur that do not carry over from prev, the year before: (section, row, column)."""
    breaks = [("requests", "carried_over", col) for col in REQUEST_COLUMNS
              if cur.requests["carried_over"][col] != prev.requests["carried_forward"][col]]  # fmt: skip
    if cur.format == prev.format == "2021":
        for item in ("regulations", "normative_documents"):
            now, before = cur.active[item], prev.active[item]
            if now["in_force"] != before["in_force"] + now["issued"] - now["repealed"]:
                breaks.append(("active", item, "in_force"))
    return breaks


def expected_warnings(slot: Slot) -> list[Truth]:
    """Review or litigation cases in a year without requests: a warning, not an error (they may stem from
    requests of earlier years)."""
    req = slot.data.requests
    if req["new_received"]["total"] + req["carried_over"]["total"]:
        return []
    return [slot.truth_item("zero_consistency", severity="warning", section="appeals", row="total", column=group,
                            note="expected warning: cases without requests")  # fmt: skip
            for group in APPEAL_GROUPS if slot.data.appeals[f"{group}_total"]]


# ---------------------------------------------------------------------------------------------
# Injectors: (rng, slot, corpus) -> truth, or None (and no change) when the report does not lend itself
# ---------------------------------------------------------------------------------------------

Injector = Callable[[random.Random, Slot, Corpus], "list[Truth] | None"]
# Rows whose figures another check reads (三(六)2 implies a processing fee): injectors leave them alone.
FEE_ROW = "other_unpaid_fee"


def _result_rows(data: ReportData) -> list[str]:
    return [r for r in RESULT_ROWS if r in data.requests and r != FEE_ROW]


def _bump(data: ReportData, row: str, column: str, k: int) -> None:
    """Add k to one applicant cell and to its row's total (the row still sums)."""
    data.requests[row][column] += k
    data.requests[row]["total"] += k


def inject_row_sum(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """Move k requests between two result rows of one column: column sums hold, both row totals are off."""
    req = slot.data.requests
    rows = _result_rows(slot.data)
    options = [(col, donor, receiver) for col in APPLICANT_COLUMNS for donor in rows if req[donor][col]
               for receiver in rows if receiver != donor and req[receiver]["total"]]  # fmt: skip
    if not options:
        return None
    col, donor, receiver = rng.choice(options)
    k = rng.randint(1, min(req[donor][col], 5))
    req[donor][col] -= k
    req[receiver][col] += k
    return [slot.truth_item("row_sum", section="requests", row=r, column="total", note=f"within_column {col} {k}")
            for r in (donor, receiver)]


def inject_column_sum(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """Move k requests between two applicant columns of one result row (row sums hold, two (七)总计 are off);
    or, in 四, a total that is not the sum of its four results."""
    req = slot.data.requests
    options = [(row, a, b) for row in _result_rows(slot.data) for a in APPLICANT_COLUMNS if req[row][a]
               for b in APPLICANT_COLUMNS if b != a and req["results_total"][b]]  # fmt: skip
    if options:
        row, a, b = rng.choice(options)
        k = rng.randint(1, min(req[row][a], 5))
        req[row][a] -= k
        req[row][b] += k
        return [slot.truth_item("column_sum", section="requests", row="results_total", column=c, note=f"within_row {row} {k}")
                for c in (a, b)]
    appeals = slot.data.appeals
    groups = [g for g in APPEAL_GROUPS if appeals[f"{g}_total"]]
    if not groups:
        return None
    group = rng.choice(groups)
    appeals[f"{group}_total"] += rng.choice((1, 2, 10))
    restate(slot)
    return [slot.truth_item("column_sum", section="appeals", row="total", column=group, note="appeals_total")]


def inject_balance(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """More (or fewer) new requests in one column than the results and carried forward account for."""
    req = slot.data.requests
    col = rng.choice(APPLICANT_COLUMNS)
    k = rng.randint(1, 5)
    # Fewer only while 一 + 二 stays above 0: at 0 the year would have results without requests.
    if min(req["new_received"][col], req["new_received"][col] + req["carried_over"][col] - 1) >= k and rng.random() < 0.5:
        k = -k
    _bump(slot.data, "new_received", col, k)
    restate(slot)
    return [slot.truth_item("balance", section="requests", row="new_received", column=c, note=f"new_received {k:+d}")
            for c in (col, "total")]


def inject_zero_consistency(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """Results reported in a year without any request (一 + 二 = 0); or, in 四, a result under a zero total.
    Either also breaks a sum, recorded too."""
    data = slot.data
    req = data.requests
    if not any(req[row]["total"] for row in req) and rng.random() < 0.5:
        col, k = rng.choice(APPLICANT_COLUMNS), rng.randint(1, 5)
        for row in ("granted", "results_total"):
            _bump(data, row, col, k)
        restate(slot)
        zero = [slot.truth_item("zero_consistency", section="requests", row="results_total", column=c,
                                note="results_without_requests") for c in (col, "total")]  # fmt: skip
        return zero + [slot.truth_item("balance", section="requests", row="new_received", column=c,
                                       note="follows from results_without_requests") for c in (col, "total")]  # fmt: skip
    groups = [g for g in APPEAL_GROUPS if not data.appeals[f"{g}_total"]]
    if not groups:
        return None
    group, result = rng.choice(groups), rng.choice(APPEAL_SUFFIXES[:4])
    data.appeals[f"{group}_{result}"] = rng.randint(1, 3)
    return [slot.truth_item("zero_consistency", section="appeals", row=result, column=group, note="result_under_zero_total"),
            slot.truth_item("column_sum", section="appeals", row="total", column=group,
                            note="follows from result_under_zero_total")]


def inject_value(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """A negative or fractional count, or negative money, where no sum reads it."""
    data = slot.data
    active = data.active
    options = [("enforcement", "decisions", "negative"), ("enforcement", "decisions", "fraction")]
    if data.format == "2019":
        options += [("other_services", "decisions", "negative"), ("procurement", "amount", "negative")]
    elif not slot.variants.get("fees_sentence"):
        options.append(("fees", "amount_10k_yuan", "negative"))
    appeals = [g for g in APPEAL_GROUPS if data.appeals[f"{g}_total"] and not data.appeals[f"{g}_other"]]
    options += [("appeals", g, "negative") for g in appeals]
    item, measure, how = rng.choice(options)
    if item == "appeals":  # 其他结果 -1 and 结果维持 +1: the total still adds up
        data.appeals[f"{measure}_other"] = -1
        data.appeals[f"{measure}_upheld"] += 1
        return [slot.truth_item("value", section="appeals", row="other", column=measure, note="negative appeals")]
    value = active[item][measure] or rng.randint(1, 50)
    if how == "fraction":
        active[item][measure] = abs(value) + 0.5
    else:
        active[item][measure] = -abs(value)
    return [slot.truth_item("value", section="active", row=item, column=measure, note=f"{how} {item}.{measure}")]


def inject_year_coverage(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """A report that is missing, sent twice, late, dated another year in its narrative, or last year's
    copied. Only where neither neighbouring year is injected, so each chain break has one cause."""
    prev, nxt = corpus.neighbour(slot, -1), corpus.neighbour(slot, 1)
    if any(s is not None and id(s) in corpus.targets for s in (prev, nxt)):
        return None
    variants = ["missing", "duplicate", "late", "narrative_year"]
    copyable = (prev is not None and prev.data.format == slot.data.format
                and any(prev.data.requests["new_received"][c] for c in APPLICANT_COLUMNS))  # fmt: skip
    if copyable:
        variants.append("copied")
    how = rng.choice(variants)
    return YEAR_COVERAGE[how](rng, slot, corpus, prev)


def _missing(rng, slot, corpus, prev) -> list[Truth]:
    slot.written = False
    return [slot.truth_item("year_coverage", note="missing")]


def _duplicate(rng, slot, corpus, prev) -> list[Truth]:
    again = copy.copy(slot)
    again.kind = rng.choice([k for k in available_kinds() if k in TEXT_KINDS + ("html",) and k != slot.kind])
    again.edits, again.grid_edits, again.truth, again.duplicate, again.encoding = [], {}, [], True, "utf-8"
    again.file = file_name(again, "-2")
    again.injected = "year_coverage"
    corpus.slots.append(again)
    return [again.truth_item("year_coverage", note=f"duplicate of {slot.file}")]


def deadline(data: ReportData) -> date:
    """31 January of the next year for departments, 31 March for people's governments."""
    return date(data.year + 1, 3, 31) if data.agency.endswith("人民政府") else date(data.year + 1, 1, 31)


def _late(rng, slot, corpus, prev) -> list[Truth]:
    slot.data.published = (deadline(slot.data) + timedelta(days=rng.randint(10, 200))).isoformat()
    return [slot.truth_item("year_coverage", note=f"late_publication {slot.data.published}")]


def _narrative_year(rng, slot, corpus, prev) -> list[Truth]:
    data = slot.data
    data.overview = data.overview.replace(f"{data.year}年", f"{data.year - 1}年")
    return [slot.truth_item("year_coverage", section="overview", note=f"narrative_year {data.year - 1}")]


def _copied(rng, slot, corpus, prev) -> list[Truth]:
    """Last year's report with its years moved on by one: every figure is last year's."""
    year, published = slot.data.year, slot.data.published
    data = copy.deepcopy(prev.data)
    data.year = year
    data.published = published
    data.problems = data.problems.replace(f"{year}年", f"{year + 1}年")
    data.overview = data.overview.replace(f"{year - 1}年", f"{year}年")
    slot.data = data
    slot.variants = dict(prev.variants)
    slot.sentences = {k: v.replace(f"{year - 1}年", f"{year}年") for k, v in prev.sentences.items()}
    return [slot.truth_item("year_coverage", note=f"copied from {prev.file}")]


YEAR_COVERAGE = {"missing": _missing, "duplicate": _duplicate, "late": _late, "narrative_year": _narrative_year,
                 "copied": _copied}  # fmt: skip


def inject_fee_narrative(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """2021 format: unpaid fee notices but "no processing fee"; a fee both denied and stated; or no word
    on the processing fee at all."""
    data = slot.data
    if data.format != "2021":
        return None
    variants = ["contradiction", "silent"]
    req = data.requests
    donors = [(row, col) for row in _result_rows(data) for col in APPLICANT_COLUMNS if req[row][col]]
    if req[FEE_ROW]["total"] or donors:
        variants.append("unpaid_without_fee")
    how = rng.choice(variants)
    if how == "unpaid_without_fee":
        if not req[FEE_ROW]["total"]:
            row, col = rng.choice(donors)
            _bump(data, row, col, -1)
            _bump(data, FEE_ROW, col, 1)
            restate(slot)
        data.processing_fee = 0.0
        set_fee_statement(slot, FEE_NONE[0])
        return [slot.truth_item("fee_narrative", section="other", note="unpaid_without_fee")]
    if how == "contradiction":
        data.processing_fee = data.processing_fee or float(rng.randint(1, 20) * 100)
        set_fee_statement(slot, fee_sentence(data, slot.variants["fee"]))
        denial = "依申请公开工作中未收取信息处理费。"
        data.overview = data.overview.replace(NO_CHARGE_AT_ALL, "") + "\n" + denial
        return [slot.truth_item("fee_narrative", section="other", note="contradiction: fee stated and denied")]
    data.overview = data.overview.replace(NO_CHARGE_AT_ALL, "")
    set_fee_statement(slot, "")
    data.other = data.other or NOTHING_ELSE
    return [slot.truth_item("fee_narrative", section="other", note="silent: no statement on the processing fee")]


def inject_text_table(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """The narrative states a count the table does not hold."""
    data = slot.data
    options = []
    if slot.sentences["requests"]:
        variant = slot.variants["requests"]
        rows = [r for r in STATED_ROWS if r != "partly_granted" or variant == 1]
        options += [("requests", r) for r in rows]
    if slot.sentences["appeals"]:
        options += [("appeals", "review"), ("appeals", "suit")]
    what, row = rng.choice(options)
    true = data.request_total(row) if what == "requests" else appeal_cases(data)[row]
    stated = true + rng.randint(1, max(3, true // 10)) if true < 3 or rng.random() < 0.5 else true - rng.randint(1, 3)
    if what == "requests":
        variant = slot.variants["requests"]
        new = requests_sentence(data, 0 if variant == "none" else variant, {row: stated})
        truth = slot.truth_item("text_table", section="overview", row=row, column="total",
                                note=f"{row} stated {stated}, table {true}")  # fmt: skip
    else:
        new = appeals_sentence(data, "cases", {row: stated})
        column = "review" if row == "review" else None
        truth = slot.truth_item("text_table", section="overview", row="total", column=column,
                                note=f"{row} stated {stated}, table {true}")  # fmt: skip
    data.overview = data.overview.replace(slot.sentences[what], new, 1)
    slot.sentences[what] = new
    return [truth]


def inject_cross_year(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """上年结转 that is not last year's 结转下年度 (the year still balances); or 现行有效件数 that does not follow
    from last year's (later years follow this one, so only this year breaks)."""
    prev = corpus.neighbour(slot, -1)
    if prev is None or not prev.written or prev.injected == "year_coverage":
        return None
    data = slot.data
    variants = ["carried_over"] + (["in_force"] if data.format == prev.data.format == "2021" else [])
    if rng.choice(variants) == "carried_over":
        col, k = rng.choice(APPLICANT_COLUMNS), rng.randint(1, 5)
        for row in ("carried_over", "granted", "results_total"):
            _bump(data, row, col, k)
        restate(slot)
        return [slot.truth_item("cross_year", section="requests", row="carried_over", column=c, note=f"carried_over {k:+d}")
                for c in (col, "total")]  # fmt: skip
    item = rng.choice(("regulations", "normative_documents"))
    later = [s for s in corpus.chain(slot.agency) if s.year >= slot.year]
    k = rng.randint(1, 20)
    if min(s.data.active[item]["in_force"] for s in later) >= k and rng.random() < 0.5:
        k = -k
    for s in later:
        s.data.active[item]["in_force"] += k
    return [slot.truth_item("cross_year", section="active", row=item, column="in_force", note=f"in_force {k:+d}")]


# --- layout damage: the parser must read the right figures back --------------------------------


def _table_at(blocks: list[Block], section: str) -> int:
    """Index of the table block under the section's heading (numbered or not)."""
    name = dict(SECTION_HEADINGS)[section][2:]
    heading = next(i for i, (kind, text) in enumerate(blocks) if kind == "heading" and str(text).endswith(name))
    return next(i for i in range(heading + 1, len(blocks)) if blocks[i][0] == "table")


def _request_row_index(fmt: str, row: str) -> int:
    return 3 + [code for code, _ in REQUEST_LABELS[fmt]].index(row)  # after three header rows


def _request_row_edit(fmt: str, row: str, change: Callable[[list[str], int], list[str]]) -> Edit:
    labels = dict(REQUEST_LABELS[fmt])
    position = _request_row_index(fmt, row)

    def edit(blocks: list[Block]) -> list[Block]:
        i = _table_at(blocks, "requests")
        rows = list(blocks[i][1])  # type: ignore[arg-type]
        rows[position] = tuple(change(list(rows[position]), len(labels[row]) + 1))
        return blocks[:i] + [("table", rows)] + blocks[i + 1 :]

    return edit


def _grid_request_edit(slot: Slot, row: str, change: Callable[[list[str]], list[str]]) -> None:
    """change(the row's value texts, left to right) -> the texts to write, one cell each (HTML writes a row's
    cells in column order, so a list one longer or shorter is a <tr> with a cell more or fewer)."""
    from gxbg.synth.formats import REQUEST_LABEL_COLS, Grid, Span

    index = _request_row_index(slot.data.format, row)

    def edit(grid: Grid) -> Grid:
        values = sorted((s for s in grid.spans if s.row == index and s.col >= REQUEST_LABEL_COLS), key=lambda s: s.col)
        others = [s for s in grid.spans if not (s.row == index and s.col >= REQUEST_LABEL_COLS)]
        texts = change([s.text for s in values])
        return Grid(grid.name, grid.height, grid.width,
                    others + [Span(t, index, REQUEST_LABEL_COLS + i) for i, t in enumerate(texts)])  # fmt: skip

    slot.grid_edits.setdefault("requests", []).append(edit)


def _edit_request_values(slot: Slot, row: str, change: Callable[[list[str]], list[str]], padding: bool = True) -> None:
    """Damage to the seven values of a 三 row, in a text layout's table or a file's grid: change(values) ->
    the values to write. padding False: a text row ends after its values (no empty padding cells), as a
    row that lost or gained a cell does."""
    if slot.kind not in TEXT_KINDS:
        _grid_request_edit(slot, row, change)
        return

    def text_change(cells: list[str], first: int) -> list[str]:
        return cells[:first] + change(cells[first : first + 7]) + (cells[first + 7 :] if padding else [])

    slot.edits.append(_request_row_edit(slot.data.format, row, text_change))


# Word and PDF tables are rectangular: a cell there is blank, never gone or one too many.
RECTANGULAR = ("docx", "pdf")


def _damage_missing_cell(rng, slot) -> Truth | None:
    # In a row of zeros a lost cell cannot be told from a blank one: only rows with requests.
    rows = [r for r in request_rows(slot.data.format) if slot.data.requests[r]["total"]]
    if slot.kind in RECTANGULAR or not rows:
        return None
    row = rng.choice(rows)
    p = rng.randrange(len(REQUEST_COLUMNS))
    _edit_request_values(slot, row, lambda values: values[:p] + values[p + 1 :], padding=False)
    return slot.truth_item("layout", severity="info", section="requests", row=row, note=f"missing_cell {REQUEST_COLUMNS[p]}")


def _damage_extra_cell(rng, slot) -> Truth | None:
    if slot.kind in RECTANGULAR:
        return None
    row = rng.choice(request_rows(slot.data.format))
    p, q = rng.randrange(len(REQUEST_COLUMNS) + 1), rng.randrange(len(REQUEST_COLUMNS))
    _edit_request_values(slot, row, lambda values: values[:p] + [values[q]] + values[p:], padding=False)
    return slot.truth_item("layout", severity="info", section="requests", row=row, note="extra_cell")


BLANK_MARKS = ("/", "—", "-", "无")


def _damage_blank_zero(rng, slot) -> Truth | None:
    """Zeros printed as "/" or "—" (real reports do so): blanks, not errors."""
    req = slot.data.requests
    rows = [r for r in req if any(v == 0 for v in req[r].values())]
    if not rows:
        return None
    row, mark = rng.choice(rows), rng.choice(BLANK_MARKS)
    _edit_request_values(slot, row, lambda values: [mark if v == "0" else v for v in values])
    return slot.truth_item("layout", severity="info", section="requests", row=row, note=f"blank_cell {mark}")


def _damage_unit(rng, slot) -> Truth | None:
    req = slot.data.requests
    cells = [(r, i) for r in req for i, c in enumerate(REQUEST_COLUMNS) if req[r][c]]
    if not cells:
        return None
    row, p = rng.choice(cells)
    _edit_request_values(slot, row, lambda values: values[:p] + [values[p] + "件"] + values[p + 1 :])
    return slot.truth_item("layout", severity="info", section="requests", row=row, note="unit_in_cell")


HEADER_TYPOS = {"2021": (("本年废止件数", "本年度止件数"), ("现行有效件数", "现行有效件数量")),
                "2019": (("本年新制作数量", "本年新制做数量"), ("对外公开总数量", "对外公开总数"))}  # fmt: skip


def _damage_label_typo(rng, slot) -> Truth:
    from gxbg.synth.formats import Grid

    official, typo = rng.choice(HEADER_TYPOS[slot.data.format])

    def fix(text: str) -> str:
        return typo if text == official else text

    def edit(blocks: list[Block]) -> list[Block]:
        i = _table_at(blocks, "active")
        rows = [tuple(map(fix, r)) for r in blocks[i][1]]  # type: ignore[union-attr]
        return blocks[:i] + [("table", rows)] + blocks[i + 1 :]

    def grid_edit(grid: Grid) -> Grid:
        return Grid(grid.name, grid.height, grid.width, [replace(s, text=fix(s.text)) for s in grid.spans])

    if slot.kind in TEXT_KINDS:
        slot.edits.append(edit)
    else:
        slot.grid_edits.setdefault("active", []).append(grid_edit)
    return slot.truth_item("layout", severity="info", section="active", note=f"label_typo {typo}")


def _damage_heading(rng, slot) -> Truth:
    section = rng.choice(("active", "requests", "appeals", "problems", "other"))
    heading = dict(SECTION_HEADINGS)[section]

    def edit(blocks: list[Block]) -> list[Block]:
        return [("heading", heading[2:]) if b == ("heading", heading) else b for b in blocks]

    slot.edits.append(edit)
    return slot.truth_item("layout", severity="info", section=section, note="heading_unnumbered")


def _damage_cells_table(rng, slot) -> Truth | None:
    """One table written one cell per line inside an otherwise tabular text."""
    if slot.kind == "cells":
        return None
    section = rng.choice(("active", "requests", "appeals"))

    def edit(blocks: list[Block]) -> list[Block]:
        i = _table_at(blocks, section)
        text = "\n\n".join(c for r in blocks[i][1] for c in r if c)  # type: ignore[union-attr]
        return blocks[:i] + [("raw", text)] + blocks[i + 1 :]

    slot.edits.append(edit)
    return slot.truth_item("layout", severity="info", section=section, note="one_cell_per_line")


CHROME_HEAD = ("首页 > 政务公开 > 政府信息公开年报\n{title}\n来源：{agency}  发布时间：{published}\n字号：[ 大 中 小 ]\n\n",
               "当前位置：首页 > 信息公开 > 年度报告\n\n{title}\n\n")  # fmt: skip
CHROME_TAIL = ("\n\n分享到：微信 微博\n[ 打印本页 | 关闭窗口 ]\n", "\n\n责任编辑：办公室\n上一篇：关于印发工作要点的通知\n下一篇：无\n")


def _damage_chrome(rng, slot) -> Truth | None:
    if slot.kind == "web":
        return None
    data = slot.data
    head = rng.choice(CHROME_HEAD).format(title=data.title, agency=data.agency, published=data.published or "")
    slot.wrap = (head, rng.choice(CHROME_TAIL))
    return slot.truth_item("layout", severity="info", note="web_chrome")


def _damage_indent(rng, slot) -> Truth | None:
    if slot.kind == "pdf":  # reportlab drops a paragraph's leading spaces, full-width ones too
        return None

    def edit(blocks: list[Block]) -> list[Block]:
        return [(k, "\u3000\u3000" + str(p)) if k in ("para", "heading") else (k, p) for k, p in blocks]

    slot.edits.append(edit)
    return slot.truth_item("layout", severity="info", note="full_width_indent")


LAYOUT_DAMAGE = (_damage_missing_cell, _damage_extra_cell, _damage_blank_zero, _damage_unit, _damage_label_typo,
                 _damage_heading, _damage_cells_table, _damage_chrome, _damage_indent)  # fmt: skip


# HTML, DOCX and PDF files: the damage that a file's tables and paragraphs can show (each function declines
# what its file type cannot: cells gone or added in Word and PDF tables, indents in a PDF).
FILE_DAMAGE = (_damage_missing_cell, _damage_extra_cell, _damage_blank_zero, _damage_unit, _damage_label_typo,
               _damage_heading, _damage_indent)  # fmt: skip


def inject_layout(rng: random.Random, slot: Slot, corpus: Corpus) -> list[Truth] | None:
    """Damage as published reports show it; the figures stay right and no rule may fire."""
    damages = LAYOUT_DAMAGE if slot.kind in TEXT_KINDS else FILE_DAMAGE
    for damage in rng.sample(damages, len(damages)):
        truth = damage(rng, slot)
        if truth is not None:
            return [truth]
    return None


INJECTORS: dict[str, Injector] = {
    "row_sum": inject_row_sum,
    "column_sum": inject_column_sum,
    "balance": inject_balance,
    "zero_consistency": inject_zero_consistency,
    "value": inject_value,
    "year_coverage": inject_year_coverage,
    "fee_narrative": inject_fee_narrative,
    "text_table": inject_text_table,
    "cross_year": inject_cross_year,
    "layout": inject_layout,
}

# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def render_slot(slot: Slot) -> bytes:
    """The file's bytes, in the slot's layout or file type."""
    data = slot.data
    if slot.kind in TEXT_KINDS:
        blocks = document_blocks(data)
        for edit in slot.edits:
            blocks = edit(blocks)
        text = slot.wrap[0] + render_blocks(data, blocks, slot.kind) + slot.wrap[1]
        return text.encode(slot.encoding)
    from gxbg.synth import formats

    if slot.kind == "html":
        return formats.to_html(data, slot.edits, slot.grid_edits).encode("utf-8")
    if slot.kind == "docx":
        return stable_zip(formats.to_docx(data, slot.edits, slot.grid_edits))
    from reportlab import rl_config

    invariant, rl_config.invariant = rl_config.invariant, 1  # no creation time or random file id in the PDF
    try:
        return formats.to_pdf(data, page_numbers=slot.pdf_pages, edits=slot.edits, grid_edits=slot.grid_edits)
    finally:
        rl_config.invariant = invariant


def stable_zip(data: bytes) -> bytes:
    """The same ZIP (a DOCX) with fixed member times, so a seed gives the same bytes on every run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            member.compress_type, member.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            dst.writestr(member, src.read(info))
    return out.getvalue()


def write_corpus(corpus: Corpus, out: str | Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """Reports under out/reports, out/truth.csv and out/manifest.csv (agency, year of every report due)."""
    out = Path(out)
    (out / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
    written = corpus.written()
    for i, slot in enumerate(written, 1):
        (out / slot.file).write_bytes(render_slot(slot))
        if progress and (i % 500 == 0 or i == len(written)):
            progress(i, len(written))
    with open(out / TRUTH_FILE, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(TRUTH_COLUMNS)
        for t in corpus.truth():
            writer.writerow(["" if v is None else v for v in (getattr(t, c) for c in TRUTH_COLUMNS)])
    with open(out / MANIFEST_FILE, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["agency", "year"])
        writer.writerows(corpus.manifest())
    return out


def figures_match(report, data: ReportData, blanks: bool = False) -> bool:
    """A parsed report's figures (gxbg.report.Report) equal the ones written (blanks: a zero printed "/" or
    "—" may read as blank). How layout damage is judged: the figures must read back right."""
    for row, cols in data.requests.items():
        for value, column in zip(report.request_values[row], REQUEST_COLUMNS):
            if value != cols[column] and not (blanks and value is None and cols[column] == 0):
                return False
    if list(report.appeal_values) != [data.appeals[c] for c in APPEAL_CODES]:
        return False
    parsed = {(item, measure): value for item, measure, value, _ in report.active_records}
    return all(parsed.get((item, m)) == v for item, measures in data.active.items() for m, v in measures.items())
