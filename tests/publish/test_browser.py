"""The published pages in headless Chromium with the network cut off: styled, scripted, in Chinese,
and not one request leaving file://. Needs Debian's chromium (apt-get install -y chromium) and
playwright-python; skipped without them. Screenshots go to the test's tmp folder (or GXBG_SCREENSHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gxbg.publish.site import report_page
from tests.publish.browser import offline_browser, remote

pytestmark = pytest.mark.slow


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("GXBG_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(new_page, path: Path, height: int = 1000):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": height})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def test_site_offline_styled_and_in_chinese(batch, published, shots):
    site = published / "site"
    failing = batch.findings[batch.findings["severity"] == "error"].dropna(subset=["report_id"]).iloc[0]
    with offline_browser() as (new_page, requests):
        index = open_page(new_page, site / "index.html")
        index.screenshot(path=str(shots / "site-index.png"), full_page=False)
        assert index.title() == "年度报告数据质量审查 · 总览"
        assert index.locator("h1").inner_text() == "审查结果总览"
        # site.css applied: the header bar is dark blue, not the browser's transparent default
        assert index.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor") == "rgb(31, 58, 95)"
        assert index.evaluate("getComputedStyle(document.body).fontFamily").count("WenQuanYi") >= 1
        # the tables were built by the inline script from data.js
        findings = index.locator("#findings tbody tr")
        assert findings.count() == min(100, len(batch.findings))
        index.locator("#findings select[aria-label='严重程度']").select_option("warning")
        badges = index.locator("#findings tbody td:first-child").all_inner_texts()
        assert badges and set(badges) == {"警告"}
        index.locator("#files th", has_text="错误").click()  # sort by errors
        errors = [int(t) for t in index.locator("#files tbody td:nth-child(6)").all_inner_texts()]
        assert errors == sorted(errors)

        page = open_page(new_page, site / report_page(failing["report_id"]), height=1400)
        assert "年度报告" in page.title() and page.locator("h1").inner_text().endswith("年度报告")
        marked = page.locator("td.mark.sev-error").first
        assert marked.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 232, 231)"
        assert failing["message"] in page.locator("ol.notes").inner_text()
        page.screenshot(path=str(shots / "site-report.png"), full_page=False)
    assert not remote(requests), remote(requests)
    assert any(url.endswith("/site/data.js") for url in requests)


def test_data_docs_offline_and_styled(published, shots):
    docs = published / "data_docs"
    validation = next((docs / "validations" / "requests").rglob("*.html"))
    with offline_browser() as (new_page, requests):
        for path, name in ((docs / "index.html", "datadocs-index.png"), (validation, "datadocs-requests.png")):
            page = open_page(new_page, path)
            # bootstrap's pl-5 on the main container: 3rem instead of a div's 0px
            assert page.evaluate("getComputedStyle(document.querySelector('.container-fluid')).paddingLeft") == "48px"
            assert page.evaluate("typeof jQuery === 'function' && typeof jQuery.fn.bootstrapTable === 'function'")
            page.screenshot(path=str(shots / name))
        # font-awesome's icon font was loaded from the vendored copy (the failed-status cross)
        assert page.evaluate("[...document.fonts].some(f => f.family.includes('Font Awesome 6 Free') && f.status === 'loaded')")
        assert page.locator(".fa-times").count() >= 1
    assert not remote(requests), remote(requests)
    assert any("/static/vendor/bootstrap-4.3.1/" in url for url in requests)
