"""Synthetic annual reports: consistent random figures, rendered in the layouts met in published reports.

Tests round-trip these through the parser; demos and benchmarks use them as realistic input. Label texts
follow the official forms (国办公开办函〔2019〕60号 and 〔2021〕30号); layouts imitate the seeds in
shared/seeds (tab rows, one cell per line, space-separated cells, web-page chrome, Markdown).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from gxbg.codes import (
    ACTIVE_ITEMS,
    APPEAL_CODES,
    APPEAL_GROUPS,
    APPEAL_SUFFIXES,
    APPLICANT_COLUMNS,
    FORMATS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULT_ROWS,
    ROWS_ABSENT_2019,
    format_for_year,
)

LAYOUTS = ("tabs", "cells", "spaces", "web", "markdown")

Number = int | float

# ---------------------------------------------------------------------------------------------
# Label tables (official texts)
# ---------------------------------------------------------------------------------------------

SECTION_HEADINGS = (
    ("overview", "一、总体情况"),
    ("active", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)

# Section 二 per format: (article-20 item numeral, column headers, ((item code, row label), ...)).
# Values follow the measure order of codes.ACTIVE_ITEMS.
ACTIVE_TABLES = {
    "2021": (
        ("一", ("本年制发件数", "本年废止件数", "现行有效件数"),
         (("regulations", "规章"), ("normative_documents", "行政规范性文件"))),
        ("五", ("本年处理决定数量",), (("licensing", "行政许可"),)),
        ("六", ("本年处理决定数量",), (("penalties", "行政处罚"), ("enforcement", "行政强制"))),
        ("八", ("本年收费金额（单位：万元）",), (("fees", "行政事业性收费"),)),
    ),
    "2019": (
        ("一", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
         (("regulations", "规章"), ("normative_documents", "规范性文件"))),
        ("五", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项"))),
        ("六", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("penalties", "行政处罚"), ("enforcement", "行政强制"))),
        ("八", ("上一年项目数量", "本年增/减"), (("fees", "行政事业性收费"),)),
        ("九", ("采购项目数量", "采购总金额"), (("procurement", "政府集中采购"),)),
    ),
}
ACTIVE_WIDTH = 4  # 信息内容 + at most three measures

# Section 三 header rows as the merged form prints them in tab-separated text (seed 000).
REQUEST_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
REQUEST_HEADER = (
    (REQUEST_NOTE, "", "申请人情况", "", "", "", "", "", "总计", "", ""),
    ("", "", "自然人", "法人或其他组织", "", "", "", "", "", "", ""),
    ("", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "", "", ""),
)
REQUEST_WIDTH = 11  # up to three label cells, one empty spacer, seven values

# Section 三 rows: (row code, label cells of the merged first columns). Empty strings are merged cells.
_REQUEST_LABELS_COMMON = (
    ("new_received", ("一、本年新收政府信息公开申请数量",)),
    ("carried_over", ("二、上年结转政府信息公开申请数量",)),
    ("granted", ("三、本年度办理结果", "(一) 予以公开")),
    ("partly_granted", ("", "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)")),
    ("denied_state_secret", ("", "(三) 不予公开", "1.属于国家秘密")),
    ("denied_other_law", ("", "", "2.其他法律行政法规禁止公开")),
    ("denied_three_safety", ("", "", "3.危及“三安全一稳定”")),
    ("denied_third_party", ("", "", "4.保护第三方合法权益")),
    ("denied_internal_affairs", ("", "", "5.属于三类内部事务信息")),
    ("denied_process_info", ("", "", "6.属于四类过程性信息")),
    ("denied_enforcement_file", ("", "", "7.属于行政执法案卷")),
    ("denied_admin_inquiry", ("", "", "8.属于行政查询事项")),
    ("unavailable_not_held", ("", "(四) 无法提供", "1.本机关不掌握相关政府信息")),
    ("unavailable_needs_creation", ("", "", "2.没有现成信息需要另行制作")),
    ("unavailable_unclear", ("", "", "3.补正后申请内容仍不明确")),
    ("unprocessed_complaint", ("", "(五) 不予处理", "1.信访举报投诉类申请")),
    ("unprocessed_repeat", ("", "", "2.重复申请")),
    ("unprocessed_publication", ("", "", "3.要求提供公开出版物")),
    ("unprocessed_excessive", ("", "", "4.无正当理由大量反复申请")),
    ("unprocessed_confirmation", ("", "", "5.要求行政机关确认或重新出具已获取信息")),
)
_REQUEST_LABELS_TAIL = (
    ("results_total", ("", "(七) 总计")),
    ("carried_forward", ("四、结转下年度继续办理",)),
)
REQUEST_LABELS = {
    "2021": _REQUEST_LABELS_COMMON
    + (
        ("other_no_correction",
         ("", "(六) 其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")),
        ("other_unpaid_fee",
         ("", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")),
        ("other_misc", ("", "", "3.其他")),
    )
    + _REQUEST_LABELS_TAIL,
    # The trial format has (六)其他处理 as one row without sub-rows.
    "2019": _REQUEST_LABELS_COMMON + (("other_misc", ("", "(六) 其他处理")),) + _REQUEST_LABELS_TAIL,
}

_RESULTS5 = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
APPEAL_HEADER = (
    ("行政复议", "", "", "", "", "行政诉讼") + ("",) * 9,
    _RESULTS5 + ("未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""),
    ("",) * 5 + _RESULTS5 * 2,
)

# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


@dataclass
class ReportData:
    """The figures and texts of one report, keyed by the stable codes of gxbg.codes."""

    agency: str
    year: int
    format: str  # "2019" | "2021"
    active: dict[str, dict[str, Number]]  # item -> measure -> value (money as float)
    requests: dict[str, dict[str, int]]  # row -> column -> count; 2019 lacks ROWS_ABSENT_2019
    appeals: dict[str, int]  # APPEAL_CODES -> count
    published: str | None = None  # ISO date
    overview: str = ""  # narrative of 一, paragraphs separated by "\n"
    problems: str = ""  # narrative of 五
    other: str = ""  # narrative of 六
    processing_fee: float = 0.0  # 信息处理费 in 元 stated in 六 (not the 行政事业性收费 of 二(八))

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def request_total(self, row: str) -> int:
        return self.requests[row]["total"]


def request_rows(fmt: str) -> tuple[str, ...]:
    """Rows of table 三 that exist in this format."""
    if fmt == "2019":
        return tuple(r for r in REQUEST_ROWS if r not in ROWS_ABSENT_2019)
    return REQUEST_ROWS


# ---------------------------------------------------------------------------------------------
# Random figures
# ---------------------------------------------------------------------------------------------

PLACES = (
    "新乡市", "卫辉市", "辉县市", "延津县", "获嘉县", "原阳县", "封丘县", "长垣市", "定西市", "临洮县",
    "枣庄市台儿庄区", "郑州市金水区", "洛阳市", "开封市祥符区", "安阳县", "南阳市卧龙区",
)
BUREAUS = (
    "应急管理局", "财政局", "教育局", "民政局", "自然资源局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会",
    "市场监督管理局", "统计局", "医疗保障局", "人民政府",
)

# Relative frequency of each outcome of a request (most are granted or "not held").
RESULT_WEIGHTS = {
    "granted": 30, "partly_granted": 8,
    "denied_state_secret": 0.5, "denied_other_law": 0.5, "denied_three_safety": 0.5,
    "denied_third_party": 2, "denied_internal_affairs": 1.5, "denied_process_info": 2,
    "denied_enforcement_file": 1, "denied_admin_inquiry": 1,
    "unavailable_not_held": 20, "unavailable_needs_creation": 4, "unavailable_unclear": 2,
    "unprocessed_complaint": 4, "unprocessed_repeat": 3, "unprocessed_publication": 1,
    "unprocessed_excessive": 1, "unprocessed_confirmation": 1,
    "other_no_correction": 3, "other_unpaid_fee": 1, "other_misc": 5,
}
# Applicants are overwhelmingly natural persons.
APPLICANT_WEIGHTS = (85, 9, 1, 1, 3, 1)


def random_report(
    rng: random.Random,
    *,
    year: int | None = None,
    format: str | None = None,  # noqa: A002 - mirrors Report.format
    agency: str | None = None,
) -> ReportData:
    """A report whose figures satisfy every identity of the form; narrative restates some of them."""
    year, fmt = _year_and_format(rng, year, format)
    agency = agency or random_agency(rng)
    requests = random_requests(rng, fmt)
    data = ReportData(
        agency=agency,
        year=year,
        format=fmt,
        active=random_active(rng, fmt),
        requests=requests,
        appeals=random_appeals(rng, busy=requests["new_received"]["total"] > 0),
        published=random_published(rng, year, agency),
    )
    data.processing_fee = _random_processing_fee(rng, data)
    data.overview = overview_text(rng, data)
    data.problems = problems_text(rng)
    data.other = other_text(rng, data)
    return data


def _year_and_format(rng: random.Random, year: int | None, fmt: str | None) -> tuple[int, str]:
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if year is None:
        if fmt == "2019":
            year = rng.choice((2019, 2020))
        elif fmt == "2021":
            year = rng.randint(2021, 2024)
        else:
            year = rng.randint(2019, 2024)
    return year, fmt or format_for_year(year)


def random_agency(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(BUREAUS)


def random_published(rng: random.Random, year: int, agency: str) -> str | None:
    """A date within the deadline: 31 January for departments, 31 March for governments."""
    if rng.random() < 0.1:
        return None
    first = date(year + 1, 1, 5)
    last = date(year + 1, 3, 31) if agency.endswith("人民政府") else date(year + 1, 1, 31)
    return (first + timedelta(days=rng.randint(0, (last - first).days))).isoformat()


def split_count(rng: random.Random, n: int, weights: tuple[float, ...] | list[float]) -> list[int]:
    """n units dealt into len(weights) bins at random; the parts always sum to n."""
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        counts[i] += 1
    return counts


def _request_volume(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.5:
        return 0
    if roll < 0.85:
        return rng.randint(1, 20)
    if roll < 0.97:
        return rng.randint(21, 300)
    return rng.randint(301, 2000)


def random_requests(
    rng: random.Random, fmt: str, volume: int | None = None, carried_over: dict[str, int] | None = None
) -> dict[str, dict[str, int]]:
    """Table 三 column by column: new + carried over = results + carried forward.

    volume: requests received this year; carried_over: last year's carried forward per applicant column
    (the corpus generator's chains). Each is random when not given.
    """
    rows = request_rows(fmt)
    results = [r for r in RESULT_ROWS if r in rows]
    weights = [RESULT_WEIGHTS[r] for r in results]
    table: dict[str, dict[str, int]] = {row: {} for row in rows}
    new = split_count(rng, _request_volume(rng) if volume is None else volume, APPLICANT_WEIGHTS)
    for col, received in zip(APPLICANT_COLUMNS, new):
        if carried_over is not None:
            carried = carried_over[col]
        else:
            carried = rng.randint(0, received // 4) if rng.random() < 0.4 else 0
        forward = rng.randint(0, (received + carried) // 6) if rng.random() < 0.3 else 0
        done = received + carried - forward
        column = {"new_received": received, "carried_over": carried, "results_total": done,
                  "carried_forward": forward}
        column.update(zip(results, split_count(rng, done, weights)))
        for row in rows:
            table[row][col] = column[row]
    for row in rows:
        table[row]["total"] = sum(table[row][c] for c in APPLICANT_COLUMNS)
    return table


def random_appeals(rng: random.Random, *, busy: bool) -> dict[str, int]:
    """Table 四: rare, and rarer still without requests (cases may stem from earlier years)."""
    chance = 0.25 if busy else 0.03
    out: dict[str, int] = {}
    for group in APPEAL_GROUPS:
        parts = [rng.randint(0, 3) for _ in range(4)] if rng.random() < chance else [0] * 4
        out.update({f"{group}_{s}": v for s, v in zip(APPEAL_SUFFIXES, parts + [sum(parts)])})
    return {code: out[code] for code in APPEAL_CODES}


def _heavy_count(rng: random.Random, zero_chance: float, top_exponent: float) -> int:
    """Counts spread over orders of magnitude (licensing and penalties reach thousands)."""
    if rng.random() < zero_chance:
        return 0
    return int(10 ** rng.uniform(0, top_exponent))


def _money(rng: random.Random, zero_chance: float, top: float) -> float:
    """An amount with 0-4 decimals, log-uniform up to top."""
    if rng.random() < zero_chance:
        return 0.0
    return round(10 ** rng.uniform(-2, math.log10(top)), rng.randint(0, 4))


def _documents_2021(rng: random.Random, rare: bool) -> dict[str, Number]:
    issued = _heavy_count(rng, 0.9 if rare else 0.4, 0.6 if rare else 1.5)
    repealed = _heavy_count(rng, 0.8, 0.8)
    return {"issued": issued, "repealed": repealed, "in_force": issued + _heavy_count(rng, 0.3, 2)}


def _documents_2019(rng: random.Random, rare: bool) -> dict[str, Number]:
    made = _heavy_count(rng, 0.9 if rare else 0.4, 0.6 if rare else 1.5)
    published = made if rng.random() < 0.8 else rng.randint(0, made)
    return {"made": made, "published": published, "total_published": published + _heavy_count(rng, 0.3, 2)}


def _catalog_2019(rng: random.Random, zero_chance: float, top_exponent: float) -> dict[str, Number]:
    """Item-catalogue rows of the trial format: previous count, change (may be negative), decisions."""
    previous = _heavy_count(rng, 0.3, 2.5)
    change = rng.randint(-min(previous, 10), 30) if rng.random() < 0.5 else 0
    return {"previous": previous, "change": change, "decisions": _heavy_count(rng, zero_chance, top_exponent)}


def _active_2021(rng: random.Random) -> dict[str, dict[str, Number]]:
    return {
        "regulations": _documents_2021(rng, rare=True),
        "normative_documents": _documents_2021(rng, rare=False),
        "licensing": {"decisions": _heavy_count(rng, 0.3, 3.8)},
        "penalties": {"decisions": _heavy_count(rng, 0.3, 3.5)},
        "enforcement": {"decisions": _heavy_count(rng, 0.6, 2.5)},
        "fees": {"amount_10k_yuan": _money(rng, 0.6, 20000)},
    }


def _active_2019(rng: random.Random) -> dict[str, dict[str, Number]]:
    fees_previous = _heavy_count(rng, 0.5, 1.3)
    projects = _heavy_count(rng, 0.5, 1.7)
    return {
        "regulations": _documents_2019(rng, rare=True),
        "normative_documents": _documents_2019(rng, rare=False),
        "licensing": _catalog_2019(rng, 0.3, 3.8),
        "other_services": _catalog_2019(rng, 0.5, 2.5),
        "penalties": _catalog_2019(rng, 0.3, 3.5),
        "enforcement": _catalog_2019(rng, 0.6, 2.5),
        "fees": {"previous": fees_previous, "change": rng.randint(-min(fees_previous, 3), 3)},
        "procurement": {"projects": projects, "amount": _money(rng, 0.0, 5000) if projects else 0.0},
    }


def random_active(rng: random.Random, fmt: str) -> dict[str, dict[str, Number]]:
    active = _active_2021(rng) if fmt == "2021" else _active_2019(rng)
    # Keep the form's item and measure order so renderers can iterate the dicts directly.
    return {item: {m: active[item][m] for m in measures} for item, measures in ACTIVE_ITEMS[fmt].items()}


def _random_processing_fee(rng: random.Random, data: ReportData) -> float:
    """Fee notices (三(六)2) imply fees were charged; otherwise a fee is rare."""
    if data.format != "2021":
        return 0.0
    unpaid = data.requests["other_unpaid_fee"]["total"]
    if unpaid or (data.request_total("new_received") > 50 and rng.random() < 0.1):
        return float(rng.randint(1, 50) * 100)
    return 0.0


# ---------------------------------------------------------------------------------------------
# Narrative
# ---------------------------------------------------------------------------------------------

INTRO = (
    "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "按照上级关于政务公开工作的部署要求，扎实推进政府信息公开工作，现将有关情况报告如下。"
)
MANAGEMENT = (
    "加强政府信息资源的规范化、标准化、信息化管理，严格落实信息发布保密审查制度，明确审核程序和责任。",
    "按照政府信息公开目录和编制指南要求，规范政府信息类别，严把法律关、政策关、文字关和保密关。",
    "建立健全政府信息公开属性源头认定机制，公文办理时同步明确公开属性，确保应公开尽公开。",
    "系统梳理本机关制发的规范性文件，列明文号、成文日期、发布时间和有效性等信息，提供文本下载功能。",
)
PLATFORM = (
    "充分依托门户网站政府信息公开专栏，及时更新法定主动公开内容，持续优化栏目设置和页面布局。",
    "用好政务新媒体，做好信息发布、政策解读和回应关切工作，方便公众及时获取政府信息。",
    "在政务服务大厅设置政务公开专区，为群众提供政府信息查询、信息公开申请和办事咨询等服务。",
    "定期检查网站栏目更新情况，及时清理空白栏目和过时信息，保障网站安全平稳运行。",
)
SUPERVISION = (
    "将政务公开工作纳入年度目标考核，明确专人负责信息公开日常管理工作，以考核促落实。",
    "定期开展政务公开自查，对发现的问题建立台账、限时整改，确保各项任务落实到位。",
    "加强业务培训，组织工作人员学习政府信息公开相关法规制度，不断提升工作水平。",
    "建立政务公开工作责任制，主要领导亲自抓、分管领导具体抓，工作人员具体承办，形成工作合力。",
)
PROBLEMS = (
    "主动公开的意识还不够强，部分科室对政务公开工作重视程度不够",
    "公开信息的质量和时效有待提升，政策解读形式不够丰富",
    "工作人员业务能力有待提高，队伍力量配备相对薄弱",
    "网上互动交流还不够，与公众的有效互动有待加强",
)
IMPROVEMENTS = (
    "加强业务培训，强化公开意识",
    "健全解读机制，丰富解读形式，提升解读质量",
    "完善信息发布审核机制，确保信息公开及时准确",
    "加强平台建设，优化栏目设置，方便公众查阅",
)
# Sentences without figures that pad the narrative to the length of real reports.
ACTIVE_EXTRA = (
    "围绕重点领域信息公开，及时发布财政预决算、重大建设项目、公共资源配置等信息，不断提升主动公开的深度和广度。",
    "坚持政策文件与解读材料同步组织、同步审签、同步部署，通过图表图解、简明问答等形式增强解读效果。",
)
REQUEST_EXTRA = (
    "严格按照法定时限和程序办理政府信息公开申请，规范登记、审核、办理、答复、归档等环节，做到依法依规、及时准确。",
    "对申请内容不明确的，及时告知申请人补正；对不属于本机关公开职责范围的，告知申请人并说明理由。",
)
CLOSING = (
    "今后，我们将继续以《中华人民共和国政府信息公开条例》为遵循，不断完善工作机制，"
    "推动政府信息公开工作制度化、规范化、标准化，切实保障人民群众的知情权、参与权、表达权和监督权。"
)
NUMERALS = "一二三四五六七八九十"


def _enumerate_points(points: list[str]) -> str:
    """'一是…；二是…。' as reports write their lists of problems and measures."""
    return "；".join(f"{NUMERALS[i]}是{p}" for i, p in enumerate(points)) + "。"


def documents_sentence(data: ReportData) -> str:
    a = data.active
    if data.format == "2021":
        return (f"本年度制发行政规范性文件{a['normative_documents']['issued']}件，"
                f"作出行政许可决定{a['licensing']['decisions']}件、行政处罚决定{a['penalties']['decisions']}件。")
    return (f"本年度新制作规范性文件{a['normative_documents']['made']}件，"
            f"作出行政许可处理决定{a['licensing']['decisions']}件、行政处罚处理决定{a['penalties']['decisions']}件。")


def _requests_sentence(data: ReportData) -> str:
    return (f"本年度共收到政府信息公开申请{data.request_total('new_received')}件，"
            f"上年结转{data.request_total('carried_over')}件，办结{data.request_total('results_total')}件，"
            f"其中予以公开{data.request_total('granted')}件，"
            f"结转下年度继续办理{data.request_total('carried_forward')}件。")


def overview_text(rng: random.Random, data: ReportData) -> str:
    published = rng.randint(20, 3000)
    return "\n".join([
        INTRO.format(year=data.year, agency=data.agency),
        "（一）主动公开情况",
        f"全年通过门户网站主动公开政府信息{published}条，发布政策解读{rng.randint(0, 40)}篇。"
        + documents_sentence(data) + "".join(ACTIVE_EXTRA),
        "（二）依申请公开情况",
        _requests_sentence(data) + rng.choice(REQUEST_EXTRA),
        "（三）政府信息管理",
        "".join(rng.sample(MANAGEMENT, 3)),
        "（四）政府信息公开平台建设",
        "".join(rng.sample(PLATFORM, 2)),
        "（五）监督保障",
        "".join(rng.sample(SUPERVISION, 2)),
    ])


def problems_text(rng: random.Random) -> str:
    return "\n".join([
        "（一）存在的主要问题",
        "过去一年，政府信息公开工作稳步推进，但仍存在一些不足：" + _enumerate_points(rng.sample(PROBLEMS, 2)),
        "（二）改进情况",
        "针对上述问题，下一步将重点做好以下工作：" + _enumerate_points(rng.sample(IMPROVEMENTS, 3)),
        CLOSING,
    ])


def fee_sentence(data: ReportData) -> str:
    if not data.processing_fee:
        return "本年度未收取信息处理费。"
    return f"本年度按照《政府信息公开信息处理费管理办法》收取信息处理费{format_number(data.processing_fee)}元。"


def other_text(rng: random.Random, data: ReportData) -> str:
    tail = rng.choice(("", "无其他需要报告的事项。"))
    return fee_sentence(data) + tail


# ---------------------------------------------------------------------------------------------
# Document blocks (layout-neutral)
# ---------------------------------------------------------------------------------------------

Row = tuple[str, ...]
# (kind, payload): kind is title | heading | para | table | sign | raw; payload is str or list[Row].
Block = tuple[str, object]


def format_number(value: Number) -> str:
    """Ints as is; money as given (12372.0506), integral amounts without a decimal point."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _pad(cells: Row, width: int) -> Row:
    return cells + ("",) * (width - len(cells))


def active_table(data: ReportData) -> list[Row]:
    rows: list[Row] = []
    for numeral, headers, items in ACTIVE_TABLES[data.format]:
        rows.append(_pad((f"第二十条第（{numeral}）项",), ACTIVE_WIDTH))
        rows.append(_pad(("信息内容", *headers), ACTIVE_WIDTH))
        for item, label in items:
            measures = ACTIVE_ITEMS[data.format][item]
            values = tuple(format_number(data.active[item][m]) for m in measures)
            rows.append(_pad((label, *values), ACTIVE_WIDTH))
    return rows


def request_table(data: ReportData) -> list[Row]:
    """Label cells, one spacer, seven values, padded like the merged form in seed 000."""
    rows: list[Row] = list(REQUEST_HEADER)
    for code, labels in REQUEST_LABELS[data.format]:
        values = tuple(str(data.requests[code][c]) for c in REQUEST_COLUMNS)
        rows.append(_pad((*labels, "", *values), REQUEST_WIDTH))
    return rows


def appeal_table(data: ReportData) -> list[Row]:
    return [*APPEAL_HEADER, tuple(str(data.appeals[c]) for c in APPEAL_CODES)]


def _paragraphs(text: str) -> list[Block]:
    return [("para", p) for p in text.split("\n") if p.strip()]


def document_blocks(data: ReportData) -> list[Block]:
    headings = dict(SECTION_HEADINGS)
    blocks: list[Block] = [("title", data.title), ("heading", headings["overview"])]
    blocks += _paragraphs(data.overview)
    blocks += [("heading", headings["active"]), ("table", active_table(data))]
    blocks += [("heading", headings["requests"]), ("table", request_table(data))]
    blocks += [("heading", headings["appeals"]), ("table", appeal_table(data))]
    blocks += [("heading", headings["problems"]), *_paragraphs(data.problems)]
    blocks += [("heading", headings["other"]), *_paragraphs(data.other or fee_sentence(data))]
    if data.published:
        blocks.append(("sign", f"{data.agency}\n{_chinese_date(data.published)}"))
    return blocks


def _chinese_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------


def _tab_rows(rows: list[Row]) -> str:
    return "\n".join("\t".join(r) for r in rows)


def _cell_lines(rows: list[Row]) -> str:
    # One non-empty cell per line, blank lines between (seed 001): merged cells vanish.
    return "\n\n".join(c for r in rows for c in r if c)


def _space_rows(rows: list[Row]) -> str:
    return "\n".join(_space_join([c for c in r if c]) for r in rows)


def _space_join(cells: list[str]) -> str:
    # 2-4 spaces, varying but deterministic, as hand-aligned text does.
    out = cells[0] if cells else ""
    for i, cell in enumerate(cells[1:]):
        out += " " * (2 + i % 3) + cell
    return out


TABLE_STYLES = {"tabs": _tab_rows, "cells": _cell_lines, "spaces": _space_rows, "web": _tab_rows,
                "markdown": _tab_rows}


def _block_text(block: Block, layout: str) -> str:
    kind, payload = block
    if kind == "table":
        return TABLE_STYLES[layout](payload)  # type: ignore[arg-type]
    text = str(payload)
    if layout == "markdown":
        return _markdown_prefix(kind, text) + text
    return text


def _markdown_prefix(kind: str, text: str) -> str:
    if kind == "title":
        return "# "
    if kind == "heading":
        return "## "
    if kind == "para" and text.startswith("（") and "。" not in text:
        return "### "  # narrative sub-headings such as （一）主动公开情况 (seed 000)
    return ""


def _body(blocks: list[Block], layout: str) -> str:
    return "\n\n".join(_block_text(b, layout) for b in blocks)


def _web_head(data: ReportData) -> str:
    stamp = ""
    if data.published:
        day = date.fromisoformat(data.published)
        stamp = f"发布时间:{data.published} {8 + day.day % 10:02d}:{(day.month * 7 + day.day) % 60:02d} "
    return (f"当前位置:首页 > 政务公开 > 部门信息公开 > {data.agency} > 政府信息公开年报\n"
            f"{data.title}\n\n\n{stamp}字号:[ ] 视力保护色:\n\n")


def _web_tail(data: ReportData) -> str:
    return f"\n\n\n责任编辑:{data.agency}\n分享到:\n[ 打印本页 | 关闭窗口 ]"


def render(data: ReportData, layout: str) -> str:
    """The report as text in one of LAYOUTS."""
    return render_blocks(data, document_blocks(data), layout)


def render_blocks(data: ReportData, blocks: list[Block], layout: str) -> str:
    """render() from blocks the caller may have altered (gxbg.synth.corpus damages layouts so).
    A block of kind "raw" is written as is in every layout."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    if layout == "web":
        return _web_head(data) + _body(blocks, "tabs") + _web_tail(data)
    return _body(blocks, layout) + "\n"
