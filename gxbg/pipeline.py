"""Library steps of a validation run; the CLI and the Prefect flow call these same functions.

files -> parse (one status row per file) -> batch frames -> both engines -> one findings table.

Every input file has exactly one row in reports.csv (a zip batch: one row per member, or one for the zip when
it cannot be opened or is too big), with a status and, unless ok, a one-line reason in Chinese and English:

    ok           parsed; its findings are in the findings table
    parse_error  a file of a supported type that is not a readable annual report: empty, binary garbage, an
                 image or other file renamed .txt, a corrupt DOCX/PDF, a text that is not an annual report
    unsupported  a file type gxbg does not read, judged by its name (.xlsx, .jpg, .doc, a zip inside a zip)
    too_large    over --max-bytes (default 20 MB); a zip with too many members or too much to unpack
    needs_ocr    a scanned PDF (no text layer)
    duplicate    the same bytes as an earlier file (named in the reason): validated once, under that file;
                 or a folder symlink to a folder already read
    unreadable   not a regular file (named pipe, device), a broken or looping symlink, no permission, an
                 I/O error, a corrupt zip, or a zip member that is refused (absolute or ".." path, symlink,
                 encrypted)

parse_error, too_large, needs_ocr and unreadable files are also error findings (rule parse.error,
parse.too_large, parse.needs_ocr, parse.unreadable), so they count towards `gxbg validate --fail-on`;
unsupported and duplicate files are only listed. Hidden files (name starting with ".") are not inputs.
"""

from __future__ import annotations

import gc
import glob
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from gxbg import collector
from gxbg.codes import SECTION_NUMERALS
from gxbg.documents import MAX_BYTES, SUPPORTED_SUFFIXES, DocumentError, read_bytes
from gxbg.documents.inputs import find_files, read_input, shown, through_symlink_loop
from gxbg.engines import ENGINES, gx_imported, run_engines, wait_for_warm_up, warm_up
from gxbg.findings import PARSE_FAILURES, combine, layout_findings, parse_findings, rule_findings
from gxbg.history import open_history, report_hashes
from gxbg.history.context import earlier_reports
from gxbg.kinds.ruleset import RuleSet, load_ruleset
from gxbg.manifest import load_manifest
from gxbg.publish.files import write_outputs
from gxbg.report import ParseError, Report, parse_document
from gxbg.report.frames import batch_frames
from gxbg.rules import default_rules_dir

REPORT_COLUMNS = ["source", "report_id", "agency", "year", "format", "status", "reason", "errors", "warnings"]
STATUSES = ("ok", "parse_error", "unsupported", "too_large", "needs_ocr", "duplicate", "unreadable")
Progress = Callable[[int, int], None]


@dataclass
class Result:
    findings: pd.DataFrame  # gxbg.findings.FINDINGS_COLUMNS
    reports: pd.DataFrame  # REPORT_COLUMNS, one row per input file
    # For the publishers (gxbg.publish.site, gxbg.publish.datadocs):
    parsed: list[Report] = field(default_factory=list)  # each distinct parsed report
    gx_results: list = field(default_factory=list)  # GX's ExpectationSuiteValidationResult per table


def collect_files(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Files named, and every file under folders named (each folder sorted); raises FileNotFoundError.

    Folder symlinks are followed once (a loop or a second way into a folder is listed, not walked); files
    that cannot be read are listed too, so they get their row. Folders in exclude (the output folder) are
    skipped. See gxbg.documents.inputs.find_files."""
    return find_files(paths, exclude)


def parse_files(
    files: list[Path], progress: Progress | None = None, max_bytes: int = MAX_BYTES
) -> tuple[list[Report], pd.DataFrame]:
    """Parsed reports (each distinct report once) and a status row for every file (every zip member)."""
    reports: dict[str, Report] = {}
    rows = []
    for i, path in enumerate(files, 1):
        for report, row in _parse_path(path, max_bytes):
            if report is not None:
                reports.setdefault(report.report_id, report)  # identical bytes: validate once
            rows.append(row)
        if progress and (i % 500 == 0 or i == len(files)):
            progress(i, len(files))
    return list(reports.values()), mark_duplicates(pd.DataFrame(rows, columns=REPORT_COLUMNS[:-2]))


def _parse_path(path: Path, max_bytes: int):
    """(report or None, status row) for a file, or for each member of a zip batch."""
    for item in read_input(path, SUPPORTED_SUFFIXES, max_bytes):
        row = {"source": item.source, "report_id": None, "agency": None, "year": None, "format": None, "reason": None}
        if item.status is not None:
            yield None, row | {"status": item.status, "reason": item.reason}
            continue
        try:
            report = parse_document(read_bytes(item.data, item.source, item.suffix))
        except (DocumentError, ParseError) as exc:
            # A supported name with content that is not what it says (binary, an image) is a parse error;
            # "unsupported" is kept for file types gxbg does not read.
            status = exc.status if exc.status in PARSE_FAILURES else "parse_error"
            yield None, row | {"status": status, "reason": shown(exc.reason)}
            continue
        except Exception as exc:  # noqa: BLE001 - one unreadable file or parser bug must not sink the batch
            reason = f"无法读取或解析 (cannot read or parse): {type(exc).__name__}: {exc}"
            yield None, row | {"status": "parse_error", "reason": shown(reason)}
            continue
        meta = {"report_id": report.report_id, "agency": report.agency, "year": report.year, "format": report.format}
        yield report, row | meta | {"status": "ok", "reason": _incomplete(report)}


def _incomplete(report: Report) -> str | None:
    """An ok report with sections missing (a truncated file) says so in its row; the findings list each one."""
    missing = [n.section for n in report.layout if n.code == "missing_section" and n.section in SECTION_NUMERALS]
    if not missing:
        return None
    numerals = [SECTION_NUMERALS[code] for code in missing]
    return f"报告不完整：未找到第{'、'.join(numerals)}部分 (incomplete report: sections {', '.join(numerals)} not found)"


def mark_duplicates(statuses: pd.DataFrame) -> pd.DataFrame:
    """Files with the same bytes as an earlier file (same report_id): status duplicate, naming that file.

    Its report is validated once, under the first file; the copy keeps report_id, agency and year."""
    # Chunks parsed apart are marked again when merged: a copy always names the batch's first file.
    parsed = statuses[statuses["status"].isin(["ok", "duplicate"]) & statuses["report_id"].notna()]
    first = parsed.drop_duplicates("report_id").set_index("report_id")["source"]
    copies = parsed.index[parsed.duplicated("report_id")]
    if not len(copies):
        return statuses
    out = statuses.copy()
    original = out.loc[copies, "report_id"].map(first)
    out.loc[copies, "status"] = "duplicate"
    out.loc[copies, "reason"] = [f"与 {o} 内容完全相同，只校验一次 (identical bytes to {o}: validated once, under "
                                 "that file)" for o in original]  # fmt: skip
    return out


def parse_files_parallel(
    files: list[Path], workers: int | None = None, chunk: int = 200, progress: Progress | None = None,
    max_bytes: int = MAX_BYTES, meanwhile: Callable[[], None] | None = None,
) -> tuple[list[Report], pd.DataFrame]:
    """parse_files over worker processes (default one per CPU), `chunk` files per task: the same result,
    in the same order. Batches of at most two chunks, or one worker, are parsed here (starting workers
    costs more than it saves) unless there is work to do meanwhile. Workers also extract the narrative
    facts, the other per-report cost.

    meanwhile: called once the workers have started (never when parsing here), to start work of this
    process that would otherwise wait for the parse (engines.warm_up: GX's import, ~1.7 s, which a
    batch of a few hundred files took longer to wait for than to parse). Small batches are then split
    so that every worker has a chunk."""
    files = list(files)
    cores = workers or os.cpu_count() or 1
    overlap = meanwhile is not None and _worker_context().get_start_method() == "fork"  # spawned workers start slowly
    if overlap:
        chunk = max(1, min(chunk, -(-len(files) // cores)))
    workers = min(cores, -(-len(files) // chunk))
    small = len(files) <= 2 * chunk and not overlap
    if workers < 2 or small or multiprocessing.current_process().daemon:
        return parse_files(files, progress, max_bytes)  # a daemonic process (a Dask worker) may not have children
    chunks = chunked(files, chunk)
    wait_for_warm_up()  # an earlier run's GX import, if it still runs: workers must not be forked during it
    # The collector paused while parsed reports pour in: its full passes would walk every report kept so far
    # (1.3 CPU-s of this process at 10,000 reports, taken from the workers' cores).
    with collector.paused(), parse_pool(workers) as pool:
        parsed = pool.map(parse_chunk, chunks, [max_bytes] * len(chunks))  # forks the workers
        if meanwhile:
            meanwhile()
        return merge_parsed(_counted(zip(chunks, parsed), len(files), progress))


def _counted(parts, total: int, progress: Progress | None):
    """The parsed chunks, reporting progress as each arrives."""
    done = 0
    for files_part, part in parts:
        yield part
        done += len(files_part)
        if progress:
            progress(done, total)


def parse_pool(workers: int) -> ProcessPoolExecutor:
    """Forked parse workers with the garbage collector off for their life: parsing makes no reference
    cycles (none over 2,000 reports), and a pass after each chunk walked the whole chunk (2% of the parse)."""
    return ProcessPoolExecutor(workers, mp_context=_worker_context(), initializer=gc.disable)


def _worker_context():
    # fork: workers start at once with everything imported. spawn and forkserver would re-import the
    # caller's __main__, which for `python -m gxbg` runs the command again.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _derive(reports: list[Report]) -> list[Report]:
    """The per-report work after parsing, done where the parsing is (a worker): narrative facts and the
    tables' fingerprint are cached properties, computed now and pickled with the report."""
    for report in reports:
        getattr(report, "facts", None)
        getattr(report, "fingerprint", None)
    return reports


def check_reports(
    reports: list[Report],
    ruleset: RuleSet,
    engines: tuple[str, ...] = ENGINES,
    gx_results: list | None = None,
    context: list[Report] | None = None,
    expected: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rule and layout findings for parsed reports, the whole batch validated as one frame per table.

    gx_results: a list that receives GX's validation result of each table (for Data Docs); context: earlier
    reports of the same agencies (gxbg.history.context); expected: the manifest (gxbg.manifest)."""
    batch = batch_frames(reports, context, expected)

    def findings(explained: pd.DataFrame) -> pd.DataFrame:
        return rule_findings(explained, ruleset, batch.reports)

    # Each table's failures become findings where the table was validated: on both cores.
    return combine([run_engines(batch, ruleset, engines, gx_results, then=findings), layout_findings(reports)])


def report_table(statuses: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """statuses + error and warning counts per report."""
    counts = findings.dropna(subset=["report_id"]).groupby(["report_id", "severity"]).size().unstack(fill_value=0)
    out = statuses.copy()
    for column, severity in (("errors", "error"), ("warnings", "warning")):
        per_report = counts[severity] if severity in counts else pd.Series(dtype="int64")
        out[column] = out["report_id"].map(per_report).fillna(0).astype("int64")
    failed = out["status"].isin(list(PARSE_FAILURES))
    out.loc[failed, "errors"] = 1  # the parse failure itself
    return out[REPORT_COLUMNS].astype({"year": "Int64"})


def validate_paths(
    paths: Iterable[str | Path],
    ruleset: RuleSet | str | Path,
    engines: tuple[str, ...] = ENGINES,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    exclude: Iterable[str | Path] = (),
    expected: pd.DataFrame | str | Path | None = None,
    history: str | Path | None = None,
) -> Result:
    """Parse and validate the files under paths (exclude: folders to leave out, e.g. the output folder).

    expected: a manifest (see validate_parsed); history: a history database URL or SQLite file whose earlier
    reports the year-coverage and cross-year rules read (store_history then keeps this run's)."""
    if not isinstance(ruleset, RuleSet):
        ruleset = load_ruleset(ruleset)
    # GX's import, if this run needs it and it has not happened yet, is done while the workers parse.
    meanwhile = (lambda: warm_up(tuple(engines))) if "gx" in engines and not gx_imported() else None
    reports, statuses = parse_files_parallel(
        collect_files(paths, exclude), progress=progress, max_bytes=max_bytes, meanwhile=meanwhile
    )
    context = history_context(reports, history) if history is not None else None
    return validate_parsed(reports, statuses, ruleset, engines, expected, context)


# --- steps of a batch run (the Prefect flow validate-batch calls each as a task) ------------------

GLOB_CHARS = "*?["


def discover(inbox: str | Path | Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """The files of an inbox: folders (searched recursively), files or glob patterns ("**" recurses);
    folders in exclude (the output folder, when it is inside the inbox) are left out."""
    items = [inbox] if isinstance(inbox, (str, Path)) else list(inbox)
    paths: list[str | Path] = []
    for item in items:
        if any(ch in str(item) for ch in GLOB_CHARS) and not Path(item).exists():
            matches = sorted(glob.glob(os.path.expanduser(str(item)), recursive=True))
            if not matches:
                raise FileNotFoundError(f"no file matches {item}")
            paths += [m for m in matches if not through_symlink_loop(m)]  # "**" follows folder symlinks
        else:
            paths.append(Path(item).expanduser())
    return collect_files(paths, exclude)


def chunked(items: list, size: int) -> list[list]:
    """Consecutive chunks of at most size items (the parse tasks of one batch)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    return [items[i:i + size] for i in range(0, len(items), size)]


def parse_chunk(files: list[str | Path], max_bytes: int = MAX_BYTES) -> tuple[list[Report], pd.DataFrame]:
    """parse_files for one chunk of a batch (paths may be strings, as a flow passes them). The narrative
    facts, the other per-report cost, are extracted here too: a chunk parsed in a worker brings them along."""
    # Parsing makes many short-lived objects and no cycles worth collecting; the collector's passes cost
    # ~6% of a worker's time (and in a forked worker they also walk, and so copy, the parent's objects).
    with collector.paused():
        reports, statuses = parse_files([Path(f) for f in files], max_bytes=max_bytes)
        return _derive(reports), statuses


def merge_parsed(parts: Iterable[tuple[list[Report], pd.DataFrame]]) -> tuple[list[Report], pd.DataFrame]:
    """Chunks parsed separately, in file order, as one batch: each distinct report once, every file's status
    (a copy of a file in an earlier chunk marked duplicate)."""
    reports: dict[str, Report] = {}
    rows: list[dict] = []
    for chunk_reports, chunk_statuses in parts:
        for report in chunk_reports:
            reports.setdefault(report.report_id, report)
        rows += chunk_statuses.to_dict("records")
    # Built as parse_files builds it (same dtypes); copies across chunks marked as within one.
    return list(reports.values()), mark_duplicates(pd.DataFrame(rows, columns=REPORT_COLUMNS[:-2]))


def check_rules(rules: str | Path | None = None) -> str:
    """The rules folder a run will use (default: the repository's), loaded once so a bad rule file stops
    the run before any parsing; raises RuleSetError listing every problem as file:line:column."""
    folder = Path(rules) if rules is not None else default_rules_dir()
    load_ruleset(folder)
    return str(folder)


def validate_parsed(
    reports: list[Report],
    statuses: pd.DataFrame,
    ruleset: RuleSet | str | Path | None = None,
    engines: tuple[str, ...] = ENGINES,
    expected: pd.DataFrame | str | Path | None = None,
    context: list[Report] | None = None,
) -> Result:
    """A parsed batch validated as one frame per table. expected: the manifest (a gxbg.manifest file or
    frame); context: earlier reports for the cross-year and year-coverage rules (history_context)."""
    if not isinstance(ruleset, RuleSet):
        ruleset = load_ruleset(ruleset if ruleset is not None else default_rules_dir())
    if expected is not None and not isinstance(expected, pd.DataFrame):
        expected = load_manifest(expected)
    gx_results: list = []
    with collector.frozen():  # pandas sets off full passes that would walk every report (1.1 CPU-s at 10,000)
        checked = check_reports(reports, ruleset, tuple(engines), gx_results, context or None, expected)
    findings = combine([checked, parse_findings(statuses)])
    return Result(findings, report_table(statuses, findings), reports, gx_results)


def history_context(
    reports: list[Report], url: str | Path | None = None, out: str | Path | None = None
) -> list[Report]:
    """Earlier reports of the batch's agencies from the history database (see store_history for which)."""
    with open_history(url, out=out) as history:
        return earlier_reports(history, reports)


@dataclass
class HistoryRun:
    database: str  # URL without password
    new_reports: int
    new_findings: int
    run_id: int


def store_history(result: Result, url: str | Path | None = None, out: str | Path | None = None) -> HistoryRun:
    """Keep the batch's reports, findings and a run record in the history database (gxbg.history)."""
    severity = result.findings["severity"].value_counts()
    with open_history(url, out=out) as history:
        new_reports = history.store_reports(result.parsed)
        new_findings = history.store_findings(result.findings, report_hashes(result.parsed))
        run_id = history.record_run(files=len(result.reports), reports=len(result.parsed),
                                    errors=int(severity.get("error", 0)), warnings=int(severity.get("warning", 0)))  # fmt: skip
        return HistoryRun(history.describe(), new_reports, new_findings, run_id)


@dataclass
class Published:
    paths: dict[str, Path]  # findings.csv, findings.parquet, findings.json, reports.csv, data_docs, site
    skipped: list[str]  # what was not published, and why


def publish(
    out: str | Path, result: Result, run_name: str = "gxbg", data_docs: bool = True, site: bool = True
) -> Published:
    """Findings files, GX Data Docs and the auditors' site (which links the other two) in the output folder;
    data_docs, site: False leaves those out."""
    out = Path(out)
    paths = {p.name: p for p in write_outputs(out, result.findings, result.reports)}
    skipped = []
    if data_docs and result.gx_results:
        from gxbg.publish.datadocs import build_data_docs  # imports GX: only when it ran

        paths["data_docs"] = build_data_docs(result.gx_results, out, run_name=run_name)
    elif data_docs:
        skipped.append("no Data Docs: they show the Great Expectations engine's results, and it did not run")
    if site:
        from gxbg.publish.site import build_site

        paths["site"] = build_site(result, out, data_docs="data_docs" in paths)  # not a previous run's docs
    return Published(paths, skipped)
