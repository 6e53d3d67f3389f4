"""The auditor site's plots, drawn once per run with matplotlib as SVG and inlined in index.html.

API (used by gxbg.publish.site):
    category_plot(findings) -> str | None     findings by category, stacked by severity
    coverage_plot(reports)  -> str | None     agency x year: report missing / clean / warnings / errors
    error_rate_plot(reports) -> str | None    share of each agency's reports with an error
Each takes the run's findings or reports table and returns an <svg> element (None: nothing to draw).

Text stays text in the SVG (svg.fonttype "none"), so the browser sets the Chinese in the labels
with the page's own CJK font stack, exactly as it sets the page: a machine that builds the site
needs no Chinese font, and the plots never show tofu where the page itself does not. Margins are
sized from the label lengths rather than measured, since a build machine without a CJK font cannot
measure Chinese text.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import warnings

import matplotlib

matplotlib.use("Agg")  # no display; pyplot is not used at all (Figure objects are thread-safe)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from gxbg.agency import agency_key  # noqa: E402

SEVERITY_COLORS = {"error": "#d64541", "warning": "#f0a202", "info": "#4a90d9"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
CATEGORY_NAMES = {
    "balance": "收支平衡", "row_sum": "行合计", "column_sum": "列合计", "value": "取值",
    "zero_consistency": "零值一致", "layout": "版式与解析", "parse": "无法解析", "narrative": "正文与表格",
    "year_coverage": "应报未报",
}  # fmt: skip
COVERAGE = [("missing", "缺报告", "#dcdcdc"), ("clean", "无问题", "#5cb85c"),
            ("warning", "有警告", "#f0a202"), ("error", "有错误", "#d64541")]  # fmt: skip
UNKNOWN_AGENCY = "（未识别机关）"
MAX_AGENCIES = 40  # rows in the coverage grid and bars in the error-rate plot
MAX_YEARS = 12
LABEL_CHARS = 22  # longer agency names are cut with "…"
FONT_SIZE = 10
PLOT_INCHES = 4.6  # width of the bars or grid; labels come on top of it
# Used for layout only when installed; the browser draws the text (see module doc).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback",
             "Microsoft YaHei", "PingFang SC", "SimHei")  # fmt: skip


def _styled(draw):
    """Run a plot function with the site's matplotlib settings, without touching the global ones."""

    @functools.wraps(draw)
    def run(*args, **kwargs):
        with matplotlib.rc_context(_rc()), warnings.catch_warnings(), _quiet_font_lookup():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
            return draw(*args, **kwargs)

    return run


class _quiet_font_lookup:
    """Font lookup notes ("using weight 500", missing glyphs) say nothing to a user: the browser sets the text."""

    def __enter__(self):
        self.logger = logging.getLogger("matplotlib.font_manager")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


def category_label(code: str) -> str:
    name = CATEGORY_NAMES.get(code)
    return f"{name} {code}" if name else code


@_styled
def category_plot(findings: pd.DataFrame) -> str | None:
    if findings.empty:
        return None
    counts = findings.groupby(["category", "severity"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[s for s in SEVERITY_COLORS if s in counts.columns])
    counts = counts.loc[counts.sum(axis=1).sort_values(kind="stable").index]  # largest on top
    labels = [category_label(c) for c in counts.index]
    fig, ax = _bar_figure(labels, "问题数", legend=True)
    left = np.zeros(len(counts))
    for severity in counts.columns:
        values = counts[severity].to_numpy()
        ax.barh(range(len(counts)), values, left=left, color=SEVERITY_COLORS[severity],
                label=f"{SEVERITY_NAMES[severity]} {severity}", height=0.7)  # fmt: skip
        left += values
    for y, total in enumerate(left):
        ax.text(total, y, f" {int(total)}", va="center", fontsize=FONT_SIZE - 1)
    ax.set_xlim(0, left.max() * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 ticks
    fig.legend(loc="upper left", bbox_to_anchor=(0.01, 0.995), ncols=3, fontsize=FONT_SIZE - 1, frameon=False,
               handlelength=1.2)  # fmt: skip
    return _svg(fig, "按类别统计的问题")


def agency_table(reports: pd.DataFrame) -> pd.DataFrame:
    """Parsed reports with an agency key and display name (one name per key: the most common)."""
    parsed = reports[reports["status"] == "ok"].copy()
    names = parsed["agency"].fillna("").astype(str).str.strip()
    parsed["agency_key"] = [agency_key(n) if n else "" for n in names]
    parsed["agency_name"] = names.where(names != "", UNKNOWN_AGENCY)
    shown = parsed.groupby("agency_key")["agency_name"].agg(lambda s: s.value_counts().index[0])
    parsed["agency_name"] = parsed["agency_key"].map(shown)
    return parsed


@_styled
def coverage_plot(reports: pd.DataFrame) -> str | None:
    parsed = agency_table(reports)
    parsed = parsed[parsed["year"].notna()]
    if parsed.empty:
        return None
    years = list(range(int(parsed["year"].min()), int(parsed["year"].max()) + 1))[-MAX_YEARS:]
    parsed = parsed[parsed["year"].isin(years)]
    state = np.select([parsed["errors"] > 0, parsed["warnings"] > 0], [3, 2], default=1)
    grid = (
        parsed.assign(state=state)
        .groupby(["agency_name", "year"])["state"].max()
        .unstack(fill_value=0)
        .reindex(columns=years, fill_value=0)
    )  # fmt: skip
    # agencies with the most missing and failing years first
    badness = (grid == 0).sum(axis=1) + 2 * (grid == 3).sum(axis=1) + (grid == 2).sum(axis=1)
    order = pd.DataFrame({"bad": badness, "name": grid.index}).sort_values(["bad", "name"], ascending=[False, True])
    grid = grid.loc[order.index[:MAX_AGENCIES]].iloc[::-1]  # worst at the top
    labels = [_short(n) for n in grid.index]
    fig, ax = _grid_figure(labels, len(years))
    cmap = ListedColormap([color for _, _, color in COVERAGE])
    ax.pcolormesh(np.arange(len(years) + 1), np.arange(len(grid) + 1), grid.to_numpy(), cmap=cmap,
                  vmin=-0.5, vmax=3.5, edgecolors="white", linewidth=1.5)  # fmt: skip
    ax.set_xticks(np.arange(len(years)) + 0.5, [str(y) for y in years], fontsize=FONT_SIZE - 1)
    ax.set_yticks(np.arange(len(grid)) + 0.5, labels, fontsize=FONT_SIZE)
    ax.tick_params(length=0)
    ax.set_frame_on(False)
    handles = [Patch(color=color, label=f"{name} {code}") for code, name, color in COVERAGE]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 0.995), ncols=2, fontsize=FONT_SIZE - 1,
               frameon=False, handlelength=1.2, columnspacing=1.2)  # fmt: skip
    return _svg(fig, "机关 × 年度 报告覆盖情况")


@_styled
def error_rate_plot(reports: pd.DataFrame) -> str | None:
    parsed = agency_table(reports)
    if parsed.empty:
        return None
    per = parsed.groupby("agency_name").agg(reports=("status", "size"), failing=("errors", lambda s: int((s > 0).sum())))
    per = per[per["failing"] > 0]  # agencies without errors would be empty bars
    if per.empty:
        return None
    per["rate"] = per["failing"] / per["reports"]
    per = per.sort_values(["rate", "failing", "reports"], ascending=False).head(MAX_AGENCIES).iloc[::-1]
    labels = [_short(n) for n in per.index]
    fig, ax = _bar_figure(labels, "含错误的报告占比")
    ax.barh(range(len(per)), per["rate"].to_numpy(), color=SEVERITY_COLORS["error"], height=0.7)
    for y, (rate, failing, total) in enumerate(per[["rate", "failing", "reports"]].itertuples(index=False)):
        ax.text(rate, y, f" {failing}/{total}", va="center", fontsize=FONT_SIZE - 1)
    ax.set_xlim(0, 1.15)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25%", "50%", "75%", "100%"])
    return _svg(fig, "各机关含错误的报告占比")


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def _text_inches(text: str, size: float = FONT_SIZE) -> float:
    """Width of a label: CJK characters are one em wide, others about 0.6 em."""
    ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.62 for ch in text)
    return ems * size / 72


def _bar_figure(labels: list[str], xlabel: str, legend: bool = False) -> tuple[Figure, object]:
    left, bottom, top, row = max(_text_inches(label) for label in labels) + 0.2, 0.55, 0.45 if legend else 0.15, 0.3
    width, height = left + PLOT_INCHES + 0.5, bottom + row * len(labels) + top
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((left / width, bottom / height, PLOT_INCHES / width, row * len(labels) / height))
    ax.set_yticks(range(len(labels)), labels, fontsize=FONT_SIZE)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlabel(xlabel, fontsize=FONT_SIZE)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _grid_figure(labels: list[str], columns: int) -> tuple[Figure, object]:
    left, bottom, top, row, cell = max(_text_inches(label) for label in labels) + 0.2, 0.35, 0.6, 0.26, 0.5
    width, height = max(left + cell * columns + 0.2, 3.6), bottom + row * len(labels) + top
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((left / width, bottom / height, cell * columns / width, row * len(labels) / height))
    return fig, ax


def _svg(fig: Figure, title: str) -> str:
    fig.suptitle("")  # the page gives each plot its heading
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE: inlined in HTML
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)  # RDF boilerplate
    return re.sub(r"<svg\b", f'<svg role="img" aria-label="{_attr(title)}"', svg, count=1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@functools.cache
def _rc() -> dict:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "gxbg",  # stable ids: the same data gives the same file
        "font.family": "sans-serif",
        "font.sans-serif": [*(name for name in CJK_FONTS if name in installed), "DejaVu Sans"],
    }
