"""Detection quality: precision and recall per finding category on an error-injection corpus.

Generates a corpus (gxbg.synth.corpus: agencies over consecutive years, about a third of the reports with
one injected error each, the truth beside them), validates it end to end with `gxbg validate` (with the
manifest as --expect when the command accepts it) and matches the findings to the truth. Prints one JSON
object.

Matching: a finding matches a truth item of its category in the same file (year_coverage: the same agency
and year, since a missing report has no file), at the same row and column where both give one. Precision =
matching findings / findings of the category (errors and warnings; info notes never count); recall = truth
items matched by at least one finding. Layout damage is judged apart: the figures must parse back right
and no rule may fire.

Usage: .venv/bin/python bench/quality.py [--reports 2000] [--seed 7] [--inject-rate 0.33] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gxbg.agency import agency_key
from gxbg.synth.corpus import CATEGORIES, MANIFEST_FILE, REPORTS_DIR, build_corpus, figures_match, write_corpus

GOAL = 0.98
COUNTED = ("error", "warning")  # info findings are notes, never detections
# text_table findings are located at the fact's row (the kind of statement); truth names the table row.
FACT_ROWS = {
    "requests_received": "new_received", "requests_answered": "results_total", "requests_granted": "granted",
    "requests_partly": "partly_granted", "requests_carried_forward": "carried_forward",
    "requests_carried_over": "carried_over", "review_cases": "total", "suit_cases": "total",
}  # fmt: skip
RULE_CATEGORIES = [c for c in CATEGORIES if c != "layout"]
EXAMPLES = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000, help="reports due (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--inject-rate", type=float, default=0.33)
    parser.add_argument("--types", default=None, help="layouts and file types, comma-separated (default: all)")
    parser.add_argument("--keep", type=Path, default=None, help="write the corpus and findings here and keep them")
    args = parser.parse_args(argv)
    kinds = tuple(args.types.split(",")) if args.types else None
    with tempfile.TemporaryDirectory(prefix="gxbg-quality-") as tmp:
        folder = args.keep or Path(tmp)
        result = run(folder, args.reports, args.seed, args.inject_rate, kinds)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def run(folder: Path, reports: int, seed: int, inject_rate: float, kinds) -> dict:
    started = time.perf_counter()
    corpus = build_corpus(reports, seed, inject_rate=inject_rate, kinds=kinds)
    write_corpus(corpus, folder)
    generated = time.perf_counter() - started
    findings, seconds, expect_used = validate(folder)
    truth = corpus.truth()
    out = {
        "reports_due": len(corpus.manifest()),
        "files": len(corpus.written()),
        "reports_with_injected_error": sum(1 for s in corpus.slots if s.injected),
        "seed": seed,
        "kinds": collections.Counter(s.kind for s in corpus.written()),
        "manifest_passed": expect_used,
        "generate_seconds": round(generated, 1),
        "validate_seconds": round(seconds, 1),
    }
    out |= score(truth, findings, folder)
    out["error_free_reports"] = error_free(corpus, findings, folder)
    out["layout_damage"] = layout_damage(corpus, findings, folder)
    out["goal"] = {"precision": GOAL, "recall": GOAL, "error_findings_on_error_free_reports": 0}
    failing = [c for c, s in out["categories"].items()
               if (s["precision"] or 0) < GOAL or (s["recall"] or 0) < GOAL]  # fmt: skip
    out["failing_categories"] = failing
    out["meets_goal"] = not failing and out["error_free_reports"]["error_findings"] == 0 \
        and out["layout_damage"]["with_rule_findings"] == 0 and out["layout_damage"]["figures_wrong"] == 0
    return out


# --- validation --------------------------------------------------------------------------------


def validate(folder: Path) -> tuple[list[dict], float, bool]:
    """Findings of `gxbg validate` over the corpus's reports, the seconds it took, whether --expect was given."""
    out = folder / "validated"
    command = [sys.executable, "-m", "gxbg", "validate", str(folder / REPORTS_DIR), "--out", str(out),
               "--fail-on", "never"]  # fmt: skip
    options = _validate_options()
    expect = "--expect" in options
    if expect:
        command += ["--expect", str(folder / MANIFEST_FILE)]
    command += [flag for flag in ("--no-data-docs", "--no-site") if flag in options]  # findings are enough here
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ | {"PYTHONUNBUFFERED": "1"})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"gxbg validate failed ({done.returncode}):\n{done.stderr[-3000:]}")
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows, seconds, expect


def _validate_options() -> str:
    """The help text of `gxbg validate`: which options this version accepts."""
    return subprocess.run([sys.executable, "-m", "gxbg", "validate", "--help"], capture_output=True, text=True).stdout


def _file(source: str, folder: Path) -> str | None:
    try:
        return Path(source).resolve().relative_to(folder.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def _years(finding: dict) -> set[int | None]:
    """The years a year-coverage finding is about: its report's, and a year it names as expected (a gap
    is reported at the next report: "缺少 2022 年度报告")."""
    return {_year(finding.get("year")), _year(finding.get("expected"))}


def _year(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


# --- matching ----------------------------------------------------------------------------------


def _where(truth, finding: dict, folder: Path) -> bool:
    if truth.category == "year_coverage":
        same = agency_key(finding.get("agency") or "") == agency_key(truth.agency) and truth.year in _years(finding)
    else:
        same = _file(finding["source"], folder) == truth.file
    if not same:
        return False
    row, column = finding.get("row") or None, finding.get("column") or None
    if truth.category == "text_table" and row in FACT_ROWS:
        row, column = FACT_ROWS[row], None  # the facts table's one value column says nothing of the table's
    return all(t is None or f is None or t == f for t, f in ((truth.row, row), (truth.column, column)))


def score(truth: list, findings: list[dict], folder: Path) -> dict:
    """Per category: truth items found (recall) and findings that match a truth item (precision)."""
    counted = [f for f in findings if f["severity"] in COUNTED]
    by_file: dict[tuple, list] = collections.defaultdict(list)
    for t in truth:
        key = (t.category, agency_key(t.agency), t.year) if t.category == "year_coverage" else (t.category, t.file)
        by_file[key].append(t)
    detected: set[int] = set()
    per_category = {c: {"findings": 0, "true_findings": 0, "false": [], "rule_ids": collections.Counter()}
                    for c in RULE_CATEGORIES}  # fmt: skip
    for f in counted:
        category = f["category"]
        if category not in per_category:
            continue
        stats = per_category[category]
        stats["findings"] += 1
        stats["rule_ids"][f["rule_id"]] += 1
        if category == "year_coverage":
            keys = [(category, agency_key(f.get("agency") or ""), y) for y in _years(f)]
        else:
            keys = [(category, _file(f["source"], folder))]
        hits = [t for key in keys for t in by_file.get(key, []) if _where(t, f, folder)]
        if hits:
            stats["true_findings"] += 1
            detected.update(id(t) for t in hits)
        elif len(stats["false"]) < EXAMPLES:
            stats["false"].append(_brief(f, folder))
    categories, variants = {}, {}
    for category in RULE_CATEGORIES:
        items = [t for t in truth if t.category == category]
        found = [t for t in items if id(t) in detected]
        stats = per_category[category]
        categories[category] = {
            "truth": len(items),
            "detected": len(found),
            "recall": _ratio(len(found), len(items)),
            "findings": stats["findings"],
            "true_findings": stats["true_findings"],
            "precision": _ratio(stats["true_findings"], stats["findings"]),
            "rule_ids": dict(stats["rule_ids"].most_common()),
            "missed": [_truth_brief(t) for t in items if id(t) not in detected][:EXAMPLES],
            "false": stats["false"],
        }
        variants[category] = _variants(items, detected)
    return {"categories": categories, "recall_by_variant": variants}


def _variants(items: list, detected: set[int]) -> dict:
    out: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for t in items:
        name = "expected warning" if t.severity == "warning" else (t.note.split()[0].rstrip(":") if t.note else "-")
        if t.note.startswith("follows"):
            name = t.note
        out[name][0] += 1
        out[name][1] += id(t) in detected
    return {name: {"truth": n, "detected": d} for name, (n, d) in sorted(out.items())}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _brief(f: dict, folder: Path) -> dict:
    return {"file": _file(f["source"], folder) or f["source"], "rule_id": f["rule_id"], "row": f.get("row"),
            "column": f.get("column"), "message": (f.get("message") or "")[:160]}  # fmt: skip


def _truth_brief(t) -> dict:
    return {"file": t.file, "agency": t.agency, "year": t.year, "row": t.row, "column": t.column, "note": t.note}


# --- error-free reports and layout damage --------------------------------------------------------


def _involved(corpus) -> tuple[set[str], set[tuple[str, int]]]:
    """Files with an error to find, and agency-years with a year-coverage error (both copies of a duplicate)."""
    files = {t.file for t in corpus.truth() if t.severity == "error"}
    years = {(agency_key(t.agency), t.year) for t in corpus.truth() if t.category == "year_coverage"}
    return files, years


def error_free(corpus, findings: list[dict], folder: Path) -> dict:
    """Reports with nothing wrong (layout damage included): they must have no error finding at all."""
    files, years = _involved(corpus)
    clean = {s.file for s in corpus.written() if s.file not in files and (agency_key(s.agency), s.year) not in years}
    errors = [f for f in findings if f["severity"] == "error" and _file(f["source"], folder) in clean]
    return {
        "files": len(clean),
        "with_error_findings": len({_file(f["source"], folder) for f in errors}),
        "error_findings": len(errors),
        "rule_ids": dict(collections.Counter(f["rule_id"] for f in errors).most_common()),
        "examples": [_brief(f, folder) for f in errors[:EXAMPLES]],
    }


def layout_damage(corpus, findings: list[dict], folder: Path) -> dict:
    """Damaged reports (text layouts, HTML, DOCX, PDF): right figures parsed back, no rule finding, and
    whether the parser noted it."""
    from gxbg.report import parse_file

    damaged = [s for s in corpus.written() if s.injected == "layout"]
    by_file = collections.defaultdict(list)
    for f in findings:
        by_file[_file(f["source"], folder)].append(f)
    wrong, ruled, noted, variants, kinds = [], [], 0, collections.Counter(), collections.Counter()
    for slot in damaged:
        variants[slot.truth[0].note.split()[0]] += 1
        kinds[slot.kind] += 1
        if not figures_match(parse_file(folder / slot.file), slot.data, blanks=slot.truth[0].note.startswith("blank_cell")):
            wrong.append(slot.file)
        mine = by_file.get(slot.file, [])
        rules = [f for f in mine if f["category"] != "layout" and f["severity"] in COUNTED
                 and not _expected(slot, f)]  # fmt: skip
        if rules:
            ruled.append({"file": slot.file, "damage": slot.truth[0].note, "rule_ids": sorted({f["rule_id"] for f in rules})})
        noted += any(f["category"] == "layout" for f in mine)
    return {
        "reports": len(damaged),
        "by_damage": dict(sorted(variants.items())),
        "by_kind": dict(sorted(kinds.items())),
        "figures_wrong": len(wrong),
        "figures_wrong_files": wrong[:EXAMPLES],
        "with_rule_findings": len(ruled),
        "rule_finding_examples": ruled[:EXAMPLES],
        "noted_by_parser": noted,
    }


def _expected(slot, finding: dict) -> bool:
    """A finding the report's truth expects anyway (the warning on cases without requests)."""
    return any(t.category == finding["category"] and t.severity == "warning" for t in slot.truth)


if __name__ == "__main__":
    raise SystemExit(main())
