"""Parser throughput on synthetic seed-sized reports, one core.

Texts are generated into memory first, so only parse_text is timed. Prints one JSON object.
Usage: .venv/bin/python bench/parse.py [--reports K] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict

from gxbg.synth import LAYOUTS, random_report, render

GOAL_REPORTS_PER_S = 1000


def generate(count: int, seed: int) -> list[tuple[str, str]]:
    """(layout, text) pairs, layouts cycled so each gets an equal share."""
    rng = random.Random(seed)
    return [(LAYOUTS[i % len(LAYOUTS)], render(random_report(rng), LAYOUTS[i % len(LAYOUTS)]))
            for i in range(count)]


def time_parsing(texts: list[tuple[str, str]]) -> tuple[float, dict[str, dict[str, float]]]:
    from gxbg.report import parse_text

    per_layout: dict[str, dict[str, float]] = defaultdict(lambda: {"reports": 0, "seconds": 0.0, "errors": 0})
    started = time.perf_counter()
    for i, (layout, text) in enumerate(texts):
        t0 = time.perf_counter()
        try:
            parse_text(text, source=f"bench-{i}.txt")
        except Exception:  # a crash is a finding for the parser, not a reason to stop the benchmark
            per_layout[layout]["errors"] += 1
        per_layout[layout]["seconds"] += time.perf_counter() - t0
        per_layout[layout]["reports"] += 1
    return time.perf_counter() - started, dict(per_layout)


def summary(texts: list[tuple[str, str]], seconds: float, per_layout: dict[str, dict[str, float]]) -> dict:
    by_layout = {
        layout: {
            "reports": int(s["reports"]),
            "seconds": round(s["seconds"], 4),
            "reports_per_s": round(s["reports"] / s["seconds"], 1) if s["seconds"] else None,
            "errors": int(s["errors"]),
        }
        for layout, s in sorted(per_layout.items())
    }
    rate = len(texts) / seconds if seconds else None
    return {
        "reports": len(texts),
        "mean_bytes": round(sum(len(t.encode()) for _, t in texts) / max(len(texts), 1)),
        "seconds": round(seconds, 4),
        "reports_per_s": round(rate, 1) if rate else None,
        "goal_reports_per_s": GOAL_REPORTS_PER_S,
        "meets_goal": bool(rate and rate >= GOAL_REPORTS_PER_S),
        "errors": sum(v["errors"] for v in by_layout.values()),
        "by_layout": by_layout,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000, help="number of reports (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the generated reports")
    args = parser.parse_args(argv)
    texts = generate(args.reports, args.seed)
    seconds, per_layout = time_parsing(texts)
    json.dump(summary(texts, seconds, per_layout), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
