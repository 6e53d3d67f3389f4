"""Stable codes for the annual report (see shared/reference/report-format.md).

Everything downstream (frames, rules, JSON, findings) speaks these names.
"""

from __future__ import annotations

FORMATS = ("2019", "2021")

# Table 三 columns, in form order.
REQUEST_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
)
APPLICANT_COLUMNS = REQUEST_COLUMNS[:-1]

# Table 三 rows, in form order.
REQUEST_ROWS = (
    "new_received",
    "carried_over",
    "granted",
    "partly_granted",
    "denied_state_secret",
    "denied_other_law",
    "denied_three_safety",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_inquiry",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "unprocessed_complaint",
    "unprocessed_repeat",
    "unprocessed_publication",
    "unprocessed_excessive",
    "unprocessed_confirmation",
    "other_no_correction",
    "other_unpaid_fee",
    "other_misc",
    "results_total",
    "carried_forward",
)
# Result rows summed by (七)总计.
RESULT_ROWS = REQUEST_ROWS[2:23]
# Rows the 2019 trial format does not have (null there, not zero).
ROWS_ABSENT_2019 = ("other_no_correction", "other_unpaid_fee")

# Result categories of 三, used by narrative and text-table checks.
RESULT_GROUPS = {
    "granted": ("granted",),
    "partly_granted": ("partly_granted",),
    "denied": RESULT_ROWS[2:10],
    "unavailable": RESULT_ROWS[10:13],
    "unprocessed": RESULT_ROWS[13:18],
    "other": RESULT_ROWS[18:21],
}

# Table 四.
APPEAL_GROUPS = ("review", "suit_direct", "suit_after_review")
APPEAL_SUFFIXES = ("upheld", "corrected", "other", "pending", "total")
APPEAL_CODES = tuple(f"{g}_{s}" for g in APPEAL_GROUPS for s in APPEAL_SUFFIXES)

# Section 二: item -> measures, per format.
ACTIVE_ITEMS = {
    "2021": {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalties": ("decisions",),
        "enforcement": ("decisions",),
        "fees": ("amount_10k_yuan",),
    },
    "2019": {
        "regulations": ("made", "published", "total_published"),
        "normative_documents": ("made", "published", "total_published"),
        "licensing": ("previous", "change", "decisions"),
        "other_services": ("previous", "change", "decisions"),
        "penalties": ("previous", "change", "decisions"),
        "enforcement": ("previous", "change", "decisions"),
        "fees": ("previous", "change"),
        "procurement": ("projects", "amount"),
    },
}
# Measures that hold money (decimals allowed) or may be negative.
MONEY_MEASURES = ("amount_10k_yuan", "amount")
SIGNED_MEASURES = ("change",)

# Article 20 item number (第二十条第(X)项) of each section-二 row.
ACTIVE_ARTICLE_ITEM = {
    "regulations": "一",
    "normative_documents": "一",
    "licensing": "五",
    "other_services": "五",
    "penalties": "六",
    "enforcement": "六",
    "fees": "八",
    "procurement": "九",
}

SECTIONS = ("overview", "active", "requests", "appeals", "problems", "other")
SECTION_NUMERALS = dict(zip(SECTIONS, "一二三四五六"))
NARRATIVE_SECTIONS = ("preamble", "overview", "problems", "other")


def format_for_year(year: int | None) -> str | None:
    """The format a report of this year must use."""
    if year is None:
        return None
    return "2019" if year < 2021 else "2021"
