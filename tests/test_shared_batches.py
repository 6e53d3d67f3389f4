"""The seeds and the real corpus, validated as batches: what a validator must and must not report
(shared/corpus/real/SOURCES.md), and pandera and GX agreeing on every finding."""

from __future__ import annotations

import random

import pytest

from gxbg.findings import combine, rule_findings
from gxbg.engines import run_engines
from gxbg.pipeline import check_reports, validate_paths
from gxbg.report import parse_file
from gxbg.report.frames import batch_frames
from gxbg.report.parser import parse_text
from gxbg.synth import LAYOUTS, random_report, render
from tests.conftest import shared_file
from tests.helpers import shipped_rules

ARITHMETIC = {"row_sum", "column_sum", "balance", "zero_consistency", "value"}


@pytest.fixture(scope="module")
def rules():
    return shipped_rules()


@pytest.fixture(scope="module")
def seeds(rules):
    return validate_paths([shared_file("seeds")], rules).findings


@pytest.fixture(scope="module")
def corpus(rules):
    folder = shared_file("corpus", "real")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))
    return validate_paths(files, rules).findings


def of_seed(findings, prefix):
    return findings[findings["source"].str.contains(f"/{prefix}_")]


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_seeds_003_004_have_no_errors(seeds, prefix):
    assert of_seed(seeds, prefix).query("severity == 'error'").empty


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_seeds_000_002_arithmetic_holds(seeds, prefix):
    found = of_seed(seeds, prefix)
    assert found[found["category"].isin(ARITHMETIC)].empty


def test_seed_001_cases_without_requests_warn(seeds):
    found = of_seed(seeds, "001")
    rules = found[found["category"].isin(ARITHMETIC)]
    assert set(rules["rule_id"]) == {"appeals.without_requests"}
    assert set(rules["severity"]) == {"warning"} and set(rules["category"]) == {"zero_consistency"}
    assert sorted(rules["column"]) == ["review", "suit_after_review"]


def test_real_reports_have_no_arithmetic_findings(corpus):
    assert set(corpus["source"].str.rsplit("/", n=1).str[-1]) >= {"shanghai-bangongting-2019.html", "pingtan-2021.html"}
    assert corpus[corpus["category"].isin(ARITHMETIC)].empty
    # The only errors are SOURCES.md's two narrative ones (test_real_text_table_errors).
    assert set(corpus.query("severity == 'error'")["category"]) == {"text_table"}


def files_of(findings):
    return findings["source"].str.rsplit("/", n=1).str[-1]


def test_real_text_table_errors(corpus):
    """SOURCES.md, what a validator must find: 258 vs 275 and 265 vs 337, in both copies of shanghai 2019,
    at the narrative line; nothing else in the corpus contradicts its tables."""
    found = corpus[corpus["category"] == "text_table"]
    got = sorted(zip(files_of(found), found["rule_id"], found["observed"], found["expected"], found["line"], found["severity"]))
    assert got == [
        ("shanghai-bangongting-2019.html", "narrative.granted_or_partly", "258", "275", 3, "error"),
        ("shanghai-bangongting-2019.html", "narrative.unavailable", "265", "337", 3, "error"),
        ("shanghai-bangongting-2019.txt", "narrative.granted_or_partly", "258", "275", 14, "error"),
        ("shanghai-bangongting-2019.txt", "narrative.unavailable", "265", "337", 14, "error"),
    ]
    assert found["message"].str.contains("“予以公开及部分公开258件”").sum() == 2
    assert set(found["section"]) == {"overview"}


def test_real_copies_are_duplicates(corpus):
    """The .txt copies beside their HTML: agency x year duplicates, year-coverage warnings."""
    found = corpus[corpus["rule_id"] == "coverage.duplicate"]
    assert sorted(files_of(found)) == [
        "pingtan-2023.crawled.txt", "pingtan-2023.html", "shanghai-bangongting-2019.html", "shanghai-bangongting-2019.txt",
    ]
    assert set(found["severity"]) == {"warning"} and set(found["observed"]) == {"2"}


def test_real_fee_and_year_statements_hold(corpus):
    """行政事业性收费 beside "no processing fee" (pingtan) is no fee finding; pingtan-2021 has no finding."""
    assert corpus[corpus["category"].isin({"fee_narrative", "cross_year"})].empty
    years = corpus[corpus["category"] == "year_coverage"]
    assert set(years["rule_id"]) <= {"coverage.duplicate", "coverage.gap"}  # gap: the corpus has no pingtan 2022
    pingtan_2021 = corpus[files_of(corpus) == "pingtan-2021.html"]
    assert set(pingtan_2021["engine"]) == {"parser"} and set(pingtan_2021["severity"]) == {"info"}


def test_seed_001_published_late(seeds):
    found = of_seed(seeds, "001")
    late = found[found["rule_id"] == "coverage.deadline"]
    assert list(zip(late["observed"], late["expected"], late["line"])) == [("2021-02-08", "2021-01-31", 6)]
    assert (late["engine"] == "pandera+gx").all()


def test_seeds_narrative_and_fees_hold(seeds):
    """Seed 002 collected 12372.0506 万元 of 行政事业性收费 and says it charged no processing fee: consistent."""
    assert seeds[seeds["category"].isin({"text_table", "fee_narrative", "cross_year"})].empty
    assert set(seeds[seeds["category"] == "year_coverage"]["rule_id"]) == {"coverage.deadline"}


def test_engines_agree_on_shared_batches(seeds, corpus):
    for findings in (seeds, corpus):
        rules = findings[findings["engine"] != "parser"]
        assert set(rules["engine"]) <= {"pandera+gx"}


def test_real_identities_are_assessed_not_skipped(rules):
    """Break 自然人 一、本年新收 of shanghai 2019 by one: the row sum and the balance must notice."""
    report = parse_file(shared_file("corpus", "real", "shanghai-bangongting-2019.html"))
    report.request_values["new_received"][0] += 1
    found = check_reports([report], rules)
    hits = set(zip(found["rule_id"], found["row"], found["column"], found["engine"]))
    assert ("requests.row_sum", "new_received", "total", "pandera+gx") in hits
    assert ("requests.balance", "new_received", "natural_person", "pandera+gx") in hits
    assert len(found[found["category"].isin(ARITHMETIC)]) == 2


def test_synthetic_reports_are_clean_and_engines_agree(rules):
    rng = random.Random(7)
    reports = [parse_text(render(random_report(rng), LAYOUTS[i % len(LAYOUTS)]), f"synth-{i}.txt") for i in range(40)]
    batch = batch_frames(reports)
    explained = run_engines(batch, rules)
    findings = combine([rule_findings(explained, rules, batch.reports)])
    assert findings.query("severity == 'error'").empty, findings[["source", "rule_id", "row", "column"]].head()
    assert set(findings["engine"]) <= {"pandera+gx"}
