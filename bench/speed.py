"""End-to-end speed and memory: validate 1,000, 5,000 and 10,000 reports; the naive way for comparison.

A corpus is generated first (gxbg.synth.corpus, not timed: agencies over consecutive years, a third of
the reports with an injected error, text layouts and HTML pages). Each batch size then runs in a fresh
Python process: import gxbg, load the rules, validate_paths (parse, both engines, findings) and write the
findings files; at the largest size also publish (auditor site and GX Data Docs) when the publishers are
installed. Each batch size runs twice, the same way: once timed, once with its memory sampled. The
sampling (TreeMemory, a thread of this parent process) takes ~0.8 CPU-s during a 10,000-report run, CPU
the run, busy on both cores, would otherwise have had (~0.2-0.4 s of its wall time). Peak memory is the
sampled peak of the run's process tree's summed PSS (forked parse workers and the engines' second process
share pages with the main process; PSS counts each shared page once), and never less than the main
process's own ru_maxrss. Two upper bounds that count shared pages in every process are
printed beside it: the tree's summed RSS, and ru_maxrss of the main process plus its largest child.

The naive way runs in its own process on the first `--naive` reports: each report parsed and validated
on its own (pandera and one GX validation per table per report, as a checkpoint per report would), the
same reports validated as one batch beside it for the ratio.

The machine is shared: CPU seconds and the load average are reported beside wall-clock times.
Prints one JSON object. Usage:
  .venv/bin/python bench/speed.py [--sizes 1000,5000,10000] [--naive 200] [--seed 11] [--types LIST]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STARTED = time.perf_counter()

GOALS = {"reports_per_s_at_10000": 1000, "peak_memory_mb": 1024, "naive_ratio": 100, "publish_seconds_at_10000": 30}
TEXT_AND_WEB = "tabs,cells,spaces,web,markdown,html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000", help="batch sizes (default 1000,5000,10000)")
    parser.add_argument("--naive", type=int, default=200, help="reports validated the naive way (default 200; 0: skip)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--types", default=TEXT_AND_WEB, help=f"layouts and file types (default {TEXT_AND_WEB})")
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus and outputs in this folder")
    parser.add_argument("--child", choices=["batch", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--publish", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = CHILDREN[args.child](args)
        print(json.dumps(result))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="gxbg-speed-") as tmp:
        folder = args.keep or Path(tmp)
        result = run(folder, sizes, args.naive, args.seed, tuple(args.types.split(",")))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def run(folder: Path, sizes: list[int], naive: int, seed: int, kinds: tuple[str, ...]) -> dict:
    from gxbg.synth.corpus import build_corpus, write_corpus

    started = time.perf_counter()
    wanted = max(sizes + [naive])
    corpus = build_corpus(wanted + wanted // 50 + 10, seed, kinds=kinds)  # headroom: some reports are "missing"
    write_corpus(corpus, folder / "corpus")
    files = [str(folder / "corpus" / s.file) for s in corpus.written()]
    out = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "corpus": {"files": len(files), "kinds": list(kinds), "seed": seed,
                   "reports_with_injected_error": sum(1 for s in corpus.slots if s.injected),
                   "generate_seconds": round(time.perf_counter() - started, 1)},
        "batches": [],
    }  # fmt: skip
    for size in sizes:
        publish = size == max(sizes)
        batch = child(folder, "batch", files[:size], f"out-{size}", publish=publish, sample=False)
        sampled = child(folder, "batch", files[:size], f"out-{size}", publish=publish)
        out["batches"].append(batch | {key: sampled[key] for key in SAMPLED} | {"sampled_run": {
            "end_to_end_seconds": sampled["end_to_end_seconds"], "cpu_seconds": sampled["cpu_seconds"],
            "sampler_cpu_seconds": sampled["sampler_cpu_seconds"]}})
    out["linearity"] = linearity(out["batches"])
    if naive:
        naive_run = child(folder, "naive", files[:naive], "out-naive", sample=False)  # timed as the batches are
        out["naive"] = naive_run | ratios(naive_run, out["batches"])
    out["goals"] = GOALS
    out["verdict"] = verdict(out)
    return out


# What a batch's sampled run adds to its timed run.
SAMPLED = ("peak_tree_rss_mb", "peak_tree_pss_mb", "pss_samples")


def child(folder: Path, kind: str, files: list[str], name: str, publish: bool = False, sample: bool = True) -> dict:
    """Run one measurement in a fresh interpreter; its JSON result plus the load around it, and the
    sampled memory of its process tree unless sample is False."""
    listing = folder / f"{name}.files"
    listing.write_text("\n".join(files), encoding="utf-8")
    command = [sys.executable, __file__, "--child", kind, "--files", str(listing), "--out", str(folder / name)]
    if publish:
        command.append("--publish")
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        tree = TreeMemory(process.pid) if sample else None
        stdout, stderr = process.communicate()
        memory = tree.stop() if tree else {}
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{stderr[-4000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    return result | memory | {"process_seconds": round(wall, 2), "load_before": round(load_before, 2),
                              "load_after": round(os.getloadavg()[0], 2)}  # fmt: skip


# --- children --------------------------------------------------------------------------------


class TreeMemory:
    """Peak memory of a process tree (the measured child and its children), sampled by a thread of this
    (parent) process: the sum of resident sizes (RSS: counts a page shared by forked processes once in
    each), every `interval`, and the sum of proportional set sizes (PSS: a shared page split between its
    sharers, so the sum is the memory the run really holds).

    PSS is read from /proc/PID/smaps_rollup, which walks every page of every process: ~35 ms per sample
    of a 10,000-report run, which at every 50 ms took ~40% of a core from the run it measured. It is
    sampled at most ~10% of the time (after each reading, nine times its cost passes before the next);
    memory peaks last seconds (the validation), far longer than the interval that leaves."""

    def __init__(self, pid: int, interval: float = 0.05, pss_share: float = 0.1):
        import psutil

        self.psutil, self.interval, self.pss_share = psutil, interval, pss_share
        self.root, self._stop = psutil.Process(pid), threading.Event()
        self.peak_rss = self.peak_pss = self.pss_samples = 0
        self.cpu = 0.0
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _tree(self) -> list:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except self.psutil.Error:  # the child has exited
            return []

    def _sum(self, processes: list, read) -> int:
        total = 0
        for process in processes:
            try:
                total += read(process)
            except self.psutil.Error:  # a worker that just exited
                continue
        return total

    def _sample(self) -> None:
        next_pss, cpu_at_start = 0.0, time.thread_time()
        while not self._stop.is_set():
            processes = self._tree()
            self.peak_rss = max(self.peak_rss, self._sum(processes, lambda p: p.memory_info().rss))
            if time.perf_counter() >= next_pss:
                started = time.perf_counter()
                pss = self._sum(processes, lambda p: getattr(p.memory_full_info(), "pss", 0))
                self.peak_pss, self.pss_samples = max(self.peak_pss, pss), self.pss_samples + 1
                took = time.perf_counter() - started
                next_pss = time.perf_counter() + took * (1 - self.pss_share) / self.pss_share
            self._stop.wait(self.interval)
        self.cpu = time.thread_time() - cpu_at_start

    def stop(self) -> dict:
        self._stop.set()
        self.thread.join()
        return {"peak_tree_rss_mb": round(self.peak_rss / 2**20), "peak_tree_pss_mb": round(self.peak_pss / 2**20),
                "pss_samples": self.pss_samples, "sampler_cpu_seconds": round(self.cpu, 2)}  # fmt: skip


def _cpu() -> tuple[float, float]:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _files(args) -> list[Path]:
    return [Path(line) for line in args.files.read_text(encoding="utf-8").splitlines() if line]


def _memory() -> dict:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "peak_rss_mb": round(me.ru_maxrss / 1024),  # Linux: KiB
        "peak_worker_rss_mb": round(kids.ru_maxrss / 1024),
    }


def child_batch(args) -> dict:
    """validate_paths + findings files on the listed files, timed by phase."""
    files = _files(args)
    t0 = time.perf_counter()
    from gxbg import collector, pipeline
    from gxbg.kinds.ruleset import load_ruleset
    from gxbg.publish.files import write_outputs
    from gxbg.rules import default_rules_dir

    ruleset = load_ruleset(default_rules_dir())
    parsed_at: list[float] = []
    cpu0, t1 = _cpu(), time.perf_counter()
    result = pipeline.validate_paths(files, ruleset, progress=lambda done, total: parsed_at.append(time.perf_counter()))
    t2 = time.perf_counter()
    if hasattr(collector, "freeze_for_exit"):
        collector.freeze_for_exit()  # as `gxbg validate` does: this child too ends after writing
    write_outputs(args.out, result.findings, result.reports)
    t3 = time.perf_counter()
    cpu1 = _cpu()
    out = {
        "reports": len(files),
        "findings": len(result.findings),
        "import_and_rules_seconds": round(t1 - t0, 2),
        "parse_seconds": round(parsed_at[-1] - t1, 2) if parsed_at else None,
        "engines_and_findings_seconds": round(t2 - parsed_at[-1], 2) if parsed_at else None,
        "write_findings_seconds": round(t3 - t2, 2),
        "end_to_end_seconds": round(t3 - t1, 2),
        "reports_per_s": round(len(files) / (t3 - t1), 1),
        "cpu_seconds": {"main": round(cpu1[0] - cpu0[0], 2), "workers": round(cpu1[1] - cpu0[1], 2)},
        "parallel_parse": hasattr(pipeline, "parse_files_parallel"),
    }
    if args.publish:
        out["publish"] = _publish(pipeline, result, args.out)
    return out | _memory()


def _publish(pipeline, result, out: Path) -> dict:
    if not hasattr(pipeline, "publish"):
        return {"skipped": "gxbg.pipeline.publish is not available"}
    started = time.perf_counter()
    published = pipeline.publish(out / "published", result)
    return {"seconds": round(time.perf_counter() - started, 2), "skipped": published.skipped,
            "what": sorted(published.paths)}  # fmt: skip


def child_naive(args) -> dict:
    """The same reports report by report (one validation per table per report), then as one batch."""
    files = _files(args)
    from gxbg import engines, pipeline
    from gxbg.engines import engine_module
    from gxbg.findings import combine, parse_findings
    from gxbg.kinds.ruleset import load_ruleset
    from gxbg.publish.files import write_outputs
    from gxbg.rules import default_rules_dir

    ruleset = load_ruleset(default_rules_dir())
    for engine in ("pandera", "gx"):
        engine_module(engine)  # imports are not the naive way's fault
    # A checkpoint per report validates report after report in one process: a batch of one report is not
    # shared with a forked process here (the batch below is, as any batch of two or more).
    engines.BACKGROUND_MIN_REPORTS = 2
    warm, _ = pipeline.parse_files(files[:1])
    pipeline.check_reports(warm, ruleset)

    started = time.perf_counter()
    parts, statuses = [], []
    for path in files:
        reports, status = pipeline.parse_files([path])
        statuses.append(status)
        for report in reports:
            parts.append(pipeline.check_reports([report], ruleset))
    import pandas as pd

    status = pd.concat(statuses, ignore_index=True)
    findings = combine(parts + [parse_findings(status)])
    write_outputs(args.out / "naive", findings, pipeline.report_table(status, findings))
    naive = time.perf_counter() - started

    started = time.perf_counter()
    result = pipeline.validate_paths(files, ruleset)
    write_outputs(args.out / "batched", result.findings, result.reports)
    batched = time.perf_counter() - started
    same = _same_findings(findings, result.findings)
    return {
        "reports": len(files),
        "naive_seconds": round(naive, 2),
        "naive_seconds_per_report": round(naive / len(files), 4),
        "batched_seconds": round(batched, 2),
        "batched_seconds_per_report": round(batched / len(files), 4),
        "same_findings_apart_from_batch_rules": same,
    } | _memory()


def _same_findings(naive, batched) -> bool:
    """Per-report rules find the same either way (year-coverage and cross-year need the batch)."""
    keep = ~naive["category"].isin(["year_coverage", "cross_year"])
    cols = ["source", "rule_id", "row", "column"]
    a = set(map(tuple, naive.loc[keep, cols].astype(str).to_numpy()))
    b = set(map(tuple, batched.loc[~batched["category"].isin(["year_coverage", "cross_year"]), cols].astype(str).to_numpy()))
    return a == b


CHILDREN = {"batch": child_batch, "naive": child_naive}

# --- summaries -------------------------------------------------------------------------------


def linearity(batches: list[dict]) -> dict:
    """Least-squares fit seconds = fixed + per_report x reports over the batch sizes."""
    xs = [b["reports"] for b in batches]
    ys = [b["end_to_end_seconds"] for b in batches]
    out = {"ms_per_report": {str(x): round(1000 * y / x, 3) for x, y in zip(xs, ys)}}
    if len(xs) < 2:
        return out
    n, mx, my = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    fixed = my - slope * mx
    worst = max(abs(y - (fixed + slope * x)) / y for x, y in zip(xs, ys))
    out |= {"fixed_seconds": round(fixed, 2), "marginal_ms_per_report": round(1000 * slope, 3),
            "marginal_reports_per_s": round(1 / slope, 1) if slope > 0 else None,
            "worst_relative_residual": round(worst, 3), "linear": worst < 0.1}  # fmt: skip
    return out


def ratios(naive: dict, batches: list[dict]) -> dict:
    largest = max(batches, key=lambda b: b["reports"])
    per_report_largest = largest["end_to_end_seconds"] / largest["reports"]
    return {
        "ratio_same_reports": round(naive["naive_seconds_per_report"] / naive["batched_seconds_per_report"], 1),
        f"ratio_vs_batch_of_{largest['reports']}": round(naive["naive_seconds_per_report"] / per_report_largest, 1),
    }


def verdict(out: dict) -> dict:
    largest = max(out["batches"], key=lambda b: b["reports"])
    # The goal is judged on the sampled peak of the process tree's PSS: the memory the run holds, with
    # pages that forked workers share with the main process counted once. Beside it, two upper bounds
    # that count shared pages in every process: the tree's RSS, and ru_maxrss of the main process
    # plus its largest child (whose peaks need not coincide).
    peak = max(max(b["peak_tree_pss_mb"], b["peak_rss_mb"]) for b in out["batches"])
    sampled = max(b["peak_tree_rss_mb"] for b in out["batches"])
    bound = max(b["peak_rss_mb"] + b["peak_worker_rss_mb"] for b in out["batches"])
    publish = largest.get("publish", {}).get("seconds")
    return {
        "reports_per_s_at_largest": largest["reports_per_s"],
        "meets_speed": largest["reports_per_s"] >= GOALS["reports_per_s_at_10000"],
        "peak_memory_mb": peak,
        "peak_memory_tree_rss_mb": sampled,
        "peak_memory_main_plus_largest_child_mb": bound,
        "meets_memory": peak < GOALS["peak_memory_mb"],
        "linear": out["linearity"].get("linear"),
        "meets_naive_ratio": out["naive"][f"ratio_vs_batch_of_{largest['reports']}"] >= GOALS["naive_ratio"]
        if "naive" in out else None,
        "publish_seconds_at_largest": publish,
        "meets_publish": publish is not None and publish < GOALS["publish_seconds_at_10000"],
    }


if __name__ == "__main__":
    raise SystemExit(main())
