"""GX Data Docs of a run: built from the engine's own validation results, every CDN file vendored,
nothing fetched from the internet, a new run replacing the old docs whole."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import great_expectations
import pytest

from gxbg.publish import datadocs
from gxbg.publish.datadocs import ASSETS, CDN_ASSETS, build_data_docs, localise

TEMPLATES = Path(great_expectations.__file__).parent / "render" / "view" / "templates"
# What GX's templates load: src/href of <script> and <link> (anchors are links, not loads).
LOADED = re.compile(r"""<(?:script|link)\b[^>]*?\s(?:src|href)=["']?(https?://[^"'\s>]+)""")


def test_every_cdn_file_of_gx_templates_is_vendored():
    urls = {url for path in TEMPLATES.glob("*.j2") for url in LOADED.findall(path.read_text(encoding="utf-8"))}
    assert urls, "GX's templates moved: find where they load bootstrap now"
    assert urls <= set(CDN_ASSETS), f"new CDN files in GX's templates: {sorted(urls - set(CDN_ASSETS))}"
    for relative in CDN_ASSETS.values():
        assert (ASSETS / relative).is_file(), relative
    for folder in {relative.split("/")[0] for relative in CDN_ASSETS.values()}:
        assert list((ASSETS / folder).glob("LICENSE*")), f"{folder} has no licence file"


def test_vendored_files_match_gx_subresource_integrity_hashes():
    pinned = 0
    for path in TEMPLATES.glob("*.j2"):
        for url, digest in re.findall(r'src="(https://[^"]+)"\s+integrity="sha384-([^"]+)"', path.read_text(encoding="utf-8")):
            actual = base64.b64encode(hashlib.sha384((ASSETS / CDN_ASSETS[url]).read_bytes()).digest()).decode()
            assert actual == digest, url
            pinned += 1
    assert pinned >= 2  # popper and bootstrap


def test_docs_show_every_table_validated_in_the_run(batch, published):
    docs = published / "data_docs"
    tables = {result["suite_name"] for result in batch.gx_results}
    assert {"requests", "appeals", "active"} <= tables
    pages = list((docs / "validations").rglob("*.html"))
    assert {p.relative_to(docs / "validations").parts[0] for p in pages} == tables
    assert {p.stem for p in (docs / "expectations").glob("*.html")} == tables
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert all(f"validations/{table}/" in index for table in tables)
    requests = next(p for p in pages if p.parts[-4] == "requests").read_text(encoding="utf-8")
    assert "expect_gxbg_balance" in requests and "Failed" in requests  # the unbalanced reports


def test_pages_load_only_local_files_that_exist(published):
    docs = published / "data_docs"
    pages = [*docs.rglob("*.html"), *docs.joinpath("static", "styles").glob("*.css")]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not datadocs._REMOTE_LOAD.search(text), page
        assert "integrity=" not in text and "crossorigin=" not in text
        for link in re.findall(r'(?:src|href)="([^"#?]+/static/vendor/[^"]+)"', text):
            assert (page.parent / link).resolve().is_file(), f"{page.name}: {link}"
    assert (docs / "static" / "vendor" / "fontawesome-free-6.6.0" / "webfonts" / "fa-solid-900.woff2").is_file()


def test_a_new_run_replaces_the_old_docs(batch, tmp_path):
    first = build_data_docs(batch.gx_results, tmp_path, run_name="first")
    build_data_docs(batch.gx_results[:1], tmp_path, run_name="second")
    runs = {p.parts[-3] for p in (first.parent / "validations").rglob("*.html")}
    assert runs == {"second"}
    assert [p.name for p in tmp_path.iterdir()] == ["data_docs"]  # no temporary folders left


def test_a_run_without_results_still_has_an_index(tmp_path):
    index = build_data_docs([], tmp_path)
    assert index.is_file() and not (index.parent / "validations").exists()


def test_an_unknown_cdn_file_fails_the_build(tmp_path):
    page = tmp_path / "index.html"
    vendor = tmp_path / "static" / "vendor"
    with pytest.raises(RuntimeError, match="cdn.example.org"):
        localise('<script src="https://cdn.example.org/new-lib.js"></script>', page, vendor)
    kept = localise('<a href="https://greatexpectations.io">GX</a>', page, vendor)
    assert "https://greatexpectations.io" in kept  # a link the reader may follow is not a load
