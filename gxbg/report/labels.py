"""Label tables: how section headings and row labels are written, as data.

Patterns run on text with all whitespace removed and NFKC applied (full-width brackets are ASCII).
Each pattern includes the row's enumerator ("一、", "(三)", "2.") so that, in text where cells run
together, what lies between two labels is exactly the numbers.
"""

from __future__ import annotations

import re


def last_char_hint(words) -> re.Pattern[str]:
    """A pattern for any of the words' last characters: a line can hold one of the words only if it holds
    that character (even with spaces inside the word), so one search rejects most lines cheaply."""
    return re.compile("[" + re.escape("".join(sorted({w[-1] for w in words}))) + "]")

_CN = "一二三四五六七八九十"
# Sub-rows are numbered 1-8: one digit, so a run of numbers before "2.其他..." keeps its own digits.
ENUM = rf"(?:[{_CN}]+[、.]|\([{_CN}]+\)|[{_CN}]+\)|[1-9][.、)]|\([1-9]\))?"
REQ_TAIL = r"(?:,?行政机关不再处理其政府信息公开申请|、?行政机关不再处理其政府信息公开申请)?"

# Section headings: (code, pattern of the heading text without its number).
SECTION_HEADINGS = (
    ("overview", r"(?:年度)?总体情况"),
    ("active", r"(?:行政机关)?主动公开政府信息(?:的)?情况"),
    ("requests", r"(?:行政机关)?收到和处理政府信息公开申请(?:的)?情况"),
    ("appeals", r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议[、,和及]*(?:提起)?行政诉讼(?:的)?情况"),
    ("problems", r"(?:政府信息公开|政务信息公开|政务公开)?(?:工作)?存在的主要问题(?:及|和|与)改进(?:情况|措施)"),
    ("other", r"其他需要报告的事项"),
)
SECTION_NUMBER = r"(?:[一二三四五六][、.]|\([一二三四五六]\))"

# Table 三 labels: (code, pattern). Group labels have codes starting with "group_".
REQUEST_LABELS = (
    ("new_received", r"本年新收(?:政府信息公开)?申请(?:数量)?"),
    ("carried_over", r"上年结转(?:政府信息公开)?申请(?:数量)?"),
    ("group_results", r"本年度办理结果"),
    ("granted", r"(?<!不)予以公开"),
    ("partly_granted", r"部分公开(?:\((?:区分处理的)?[^()]{0,20}\))?"),
    ("group_denied", r"不予公开"),
    ("denied_state_secret", r"(?:属于)?国家秘密"),
    ("denied_other_law", r"(?:其他)?法律(?:行政)?法规禁止公开"),
    ("denied_three_safety", r"(?:危及)?[\"“”']?三安全一稳定[\"“”']?"),
    ("denied_third_party", r"(?:保护)?第三方合法权益"),
    ("denied_internal_affairs", r"(?:属于)?三类内部事务信息"),
    ("denied_process_info", r"(?:属于)?四类过程性信息"),
    ("denied_enforcement_file", r"(?:属于)?行政执法案卷"),
    ("denied_admin_inquiry", r"(?:属于)?行政查询事项"),
    ("group_unavailable", r"无法提供"),
    ("unavailable_not_held", r"本机关不掌握(?:相关政府信息)?"),
    ("unavailable_needs_creation", r"没有现成信息(?:需要另行制作)?"),
    ("unavailable_unclear", r"补正后申请内容仍不明确"),
    ("group_unprocessed", r"不予处理"),
    ("unprocessed_complaint", r"信访举报投诉类(?:申请)?"),
    ("unprocessed_repeat", r"重复申请"),
    ("unprocessed_publication", r"要求提供公开出版物"),
    ("unprocessed_excessive", r"(?:无正当理由)?大量反复(?:申请)?"),
    ("unprocessed_confirmation", r"要求(?:行政机关)?确认或重新(?:出具已获取信息)?"),
    ("group_other", r"其他处理"),
    # Long labels wrap: the distinctive start is enough, the rest is optional.
    ("other_no_correction", r"(?:申请人)?(?:无正当理由)?逾期不(?:补正)?" + REQ_TAIL),
    ("other_unpaid_fee", r"(?:申请人)?逾期未按(?:收费)?(?:通知)?(?:要求)?(?:缴纳)?(?:费用)?" + REQ_TAIL),
    ("other_misc", r"(?<=[.、)])其他(?!法律|处理|结果|组织|需要)"),
    ("results_total", r"(?<=[)、.])总计"),
    ("carried_forward", r"结转下年度(?:继续办理)?"),
)

# Header cells of table 三 and 四 (never values, never rows).
REQUEST_HEADER = re.compile(
    r"^(?:\(?本列数据的勾稽关系.*|.*第三项加第四项之和\)?|申请人情况|自然人|法人或其他组织|商业企业|科研机构|"
    r"社会公益组织|法律服务机构|其他|总计|信息内容)$"
)

# Section 二 rows: (item code, pattern).
ACTIVE_LABELS = (
    ("regulations", r"规章"),
    ("normative_documents", r"(?:行政)?规范性文件"),
    ("licensing", r"行政许可"),
    ("other_services", r"其他对外管理服务事项"),
    ("penalties", r"行政处罚"),
    ("enforcement", r"行政强制"),
    ("fees", r"行政事业性收费"),
    ("procurement", r"政府集中采购"),
)
ACTIVE_ITEM_HEADING = re.compile(r"第二十条第\(?([一二三四五六七八九十]+)\)?项")

# Section 二 header cells: official text -> (format evidence). Typos map to the official text.
ACTIVE_HEADERS = {
    "本年制发件数": "2021",
    "本年废止件数": "2021",
    "现行有效件数": "2021",
    "本年处理决定数量": "2021",
    "本年新制作数量": "2019",
    "本年新公开数量": "2019",
    "对外公开总数量": "2019",
    "上一年项目数量": "2019",
    "本年增/减": "2019",
    "处理决定数量": "2019",
    "采购项目数量": "2019",
    "采购总金额": "2019",
}
KNOWN_TYPOS = {"本年度止件数": "本年废止件数", "本年增/": "本年增/减", "本年度废止件数": "本年废止件数"}

# Table 四 header words (any cell made only of these is a header, however it is split).
APPEAL_HEADER_WORDS = re.compile(
    r"^(?:行政复议|行政诉讼|结果|维持|纠正|其他|尚未|审结|总|计|总计|未经复议直接起诉|复议后起诉|结果维持|结果纠正|其他结果|尚未审结)+$"
)


def compile_labels(labels: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """One alternation with a named group per code, each with its enumerator in front."""
    parts = [f"(?P<{code}>{ENUM}{pattern})" for code, pattern in labels]
    return re.compile("|".join(parts))


REQUEST_LABEL_RE = compile_labels(REQUEST_LABELS)
ACTIVE_LABEL_RE = compile_labels(ACTIVE_LABELS)

ACTIVE_HEADER = re.compile(
    r"^(?:第二十条.*|信息内容|本年.*|现行有效.*|对外公开.*|上一年.*|处理决定.*|采购.*|.*单位.*|.*保留.*小数.*)$"
)
