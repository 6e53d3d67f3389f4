"""gxbg parse FILE... [--json]: print each parsed report."""

from __future__ import annotations

import json
import sys

import pandas as pd

from gxbg.report import ParseError, parse_file

JSON_KEYS = ("source", "agency", "year", "format", "published", "encoding", "active", "requests", "appeals",
             "narrative", "layout")


def add_parser(sub) -> None:
    p = sub.add_parser("parse", help="解析报告并输出 (parse reports and print them)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="JSON, one document per file (a list when several)")
    p.set_defaults(run=run)


def run(args) -> int:
    failed = 0
    out = []
    for path in args.files:
        try:
            report = parse_file(path)
        except ParseError as exc:
            failed += 1
            print(f"gxbg: {path}: {exc.reason}", file=sys.stderr)
            continue
        if args.json:
            data = report.to_dict()
            out.append({key: data[key] for key in JSON_KEYS} | {"report_id": report.report_id})
        else:
            print(summary(report))
    if args.json:
        doc = out[0] if len(out) == 1 and len(args.files) == 1 else out
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return 1 if failed else 0


def summary(report) -> str:
    req = report.requests
    lines = [
        f"{report.source}",
        f"  机关 agency: {report.agency}  年度 year: {report.year}  格式 format: {report.format}  "
        f"发布 published: {report.published}  编码 encoding: {report.encoding}",
        f"  三 requests: 新收 {_v(req.at['new_received', 'total'])}  结转 {_v(req.at['carried_over', 'total'])}  "
        f"办结 {_v(req.at['results_total', 'total'])}  结转下年 {_v(req.at['carried_forward', 'total'])}",
        f"  四 appeals: 复议 {_v(report.appeals.at['review_total', 'value'])}  直接起诉 "
        f"{_v(report.appeals.at['suit_direct_total', 'value'])}  复议后起诉 {_v(report.appeals.at['suit_after_review_total', 'value'])}",
        f"  版式说明 layout notes: {len(report.layout)}",
    ]
    lines += [f"    {n.severity:7} {n.code:20} 行 {n.line or '-':>5}  {n.message}" for n in report.layout]
    return "\n".join(lines)


def _v(value) -> str:
    return "空" if value is None or pd.isna(value) else str(value)
