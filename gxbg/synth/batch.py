"""A sample inbox for the demo and the flow tests: a synthetic corpus with injected errors
(gxbg.synth.corpus: agencies over consecutive years, truth.csv, manifest.csv) plus the bad files a real
inbox also receives: an empty file, a text that is not an annual report, a file type gxbg does not read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from gxbg.synth.corpus import MANIFEST_FILE, REPORTS_DIR, TRUTH_FILE, build_corpus, write_corpus

NOT_A_REPORT = (
    "关于召开2024年第三季度工作例会的通知\n\n各科室：\n定于下周一上午9时在三楼会议室召开工作例会，"
    "请准时参加。\n\n办公室\n"
)
BAD_FILES = (
    ("空白文件.txt", b"", "空文件 (empty file)"),
    ("会议通知.txt", NOT_A_REPORT.encode(), "不是年度报告的文本 (not an annual report)"),
    ("扫描件.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "不支持的文件类型 (unsupported file type)"),
)


@dataclass
class SampleBatch:
    folder: Path  # the inbox: every file to validate
    manifest: Path  # agency,year of every report due
    truth: Path  # what a validator should find (gxbg.synth.corpus.Truth per row)
    injected: Counter = field(default_factory=Counter)  # finding category -> injected errors
    bad: list[tuple[Path, str]] = field(default_factory=list)  # bad file, what is wrong with it

    @property
    def files(self) -> list[Path]:
        return sorted(p for p in self.folder.rglob("*") if p.is_file())


def write_sample_batch(out: str | Path, reports: int = 60, seed: int = 2024, inject_rate: float = 0.2) -> SampleBatch:
    """out/reports (the inbox), out/manifest.csv and out/truth.csv; about inject_rate of the reports carry
    one error each, and the inbox gets the BAD_FILES too."""
    out = Path(out)
    corpus = build_corpus(reports, seed, inject_rate=inject_rate)
    write_corpus(corpus, out)
    folder = out / REPORTS_DIR
    bad = write_bad_files(folder)
    injected = Counter(t.category for t in corpus.truth() if t.severity != "info")
    return SampleBatch(folder, out / MANIFEST_FILE, out / TRUTH_FILE, injected, bad)


def write_bad_files(folder: str | Path) -> list[tuple[Path, str]]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data, what in BAD_FILES:
        (folder / name).write_bytes(data)
        written.append((folder / name, what))
    return written
