"""Great Expectations Data Docs of one run, readable offline.

API (used by `gxbg validate` and the Prefect flow):

    build_data_docs(gx_results, out_dir, run_name="gxbg") -> Path
        gx_results: the GX engine's ExpectationSuiteValidationResult (or its JSON dict) of each table of the run
        (gxbg.pipeline.Result.gx_results, or the list given as keep= to gxbg.engines.gx_engine.run).
        Writes out_dir/data_docs/ (index.html, expectations/, validations/, static/), replacing
        the folder of a previous run as a whole, and returns the path of its index.html.

The docs are GX's own site builder over an in-memory context holding the run's suites and results
(no validation is run again). GX's page templates load bootstrap, jquery, font-awesome, vega...
from CDNs, and auditors often read Data Docs with no internet: the same files, taken from npm, are
shipped in assets/datadocs/ (versions, sources and licences in its README.md), copied to
data_docs/static/vendor/, and every page is rewritten to load them by relative path. A page that
would still load anything from the internet fails the build, so a GX upgrade that adds a CDN file
is caught here, not by an auditor with an unstyled page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Iterable

from gxbg.engines import gx_engine  # sets GX_ANALYTICS_ENABLED=False and registers our expectations
from gxbg.publish.files import replace_dir

import great_expectations as gx  # noqa: E402  (after gx_engine: analytics off first)
from great_expectations.core.expectation_validation_result import (  # noqa: E402
    ExpectationSuiteValidationResult,
    ExpectationSuiteValidationResultSchema,
)
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context import EphemeralDataContext  # noqa: E402
from great_expectations.data_context.types.base import DataContextConfig, InMemoryStoreBackendDefaults  # noqa: E402
from great_expectations.data_context.types.resource_identifiers import (  # noqa: E402
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

FOLDER = "data_docs"
SITE = "gxbg"
ASSETS = Path(__file__).parent / "assets" / "datadocs"
VENDOR = ("static", "vendor")  # where the assets go inside the site

# Every CDN file GX 1.x's templates load (render/view/templates/*.j2) -> its copy under ASSETS.
CDN_ASSETS = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1/js/bootstrap.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table-1.19.1/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table-1.19.0/extensions/filter-control/bootstrap-table-filter-control.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table-1.19.0/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker-1.9.0/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker-1.9.0/js/bootstrap-datepicker.min.js",
    # the minified build of the same release (the CDN file is its unminified twin)
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "bootstrap-dark-1.1.0/css/bootstrap-prefers-dark.min.css",
    # jsDelivr serves a package's "jsdelivr" file for a bare name; @5 / @6 meant the newest 5.x / 6.x
    "https://cdn.jsdelivr.net/npm/vega@5": "vega-5.33.1/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite-5.23.0/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed-6.29.0/vega-embed.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome-free-6.6.0/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/umd/popper.min.js",
}  # fmt: skip
# GX's logos come from its own web bucket: the navbar's logo-long.png is also in GX's static/images;
# for any other (the dark-mode full_logo_dark.png) our own wordmark stands in.
LOGO_URL = re.compile(r"https://great-expectations-web-assets\.s3\.[\w.-]+\.amazonaws\.com/([\w.-]+)(?:\?[^\"'()\s<>]*)?")
LOGO = "gxbg/logo.svg"

_CDN_URL = re.compile("|".join(re.escape(url) for url in sorted(CDN_ASSETS, key=len, reverse=True)))
# SRI and CORS attributes: a file:// page cannot make the CORS request crossorigin= asks for.
_SRI_ATTRS = re.compile(r'\s+(?:integrity|crossorigin)="[^"]*"')
# What a browser fetches by itself: src/href of script, link, img..., CSS url() and @import.
_REMOTE_LOAD = re.compile(
    r"""<(?:script|link|img|iframe|source|embed|object|audio|video)\b[^>]*?\s(?:src|href|data)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)|@import\s+["']((?:https?:)?//[^"']+)""",
    re.IGNORECASE,
)


def build_data_docs(gx_results: Iterable[ExpectationSuiteValidationResult | dict], out_dir: str | Path,
                    run_name: str = "gxbg") -> Path:  # fmt: skip
    """Write out_dir/data_docs/ for the run's GX validation results; returns its index.html."""
    # JSON dicts come from a GX run in a child process (gxbg.engines.background).
    results = [ExpectationSuiteValidationResultSchema().load(r) if isinstance(r, dict) else r for r in gx_results]
    run_id = RunIdentifier(run_name=run_name, run_time=dt.datetime.now(dt.timezone.utc))
    folder = replace_dir(Path(out_dir) / FOLDER, lambda tmp: _build(tmp, results, run_id))
    return folder / "index.html"


def _build(folder: Path, results: list[ExpectationSuiteValidationResult], run_id: RunIdentifier) -> None:
    context = _context(folder)
    keys = [_store(context, result, run_id) for result in results]
    context.build_data_docs(site_names=[SITE])
    # GX logs and skips a page it fails to render; a missing page must not pass unnoticed.
    missing = [k for k in keys if not (folder / _page(k)).is_file()]
    if missing:
        raise RuntimeError(f"GX did not render the Data Docs page of {', '.join(str(k) for k in missing)}")
    _vendor(folder)


def _context(folder: Path) -> EphemeralDataContext:
    site = {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "show_how_to_buttons": False,
    }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={SITE: site},
        analytics_enabled=False,
    )
    # Built directly rather than with gx.get_context, which would also make it GX's current project;
    # GX still needs a current project (none exists here when GX validated in a child process).
    gx_engine.project_context()
    return EphemeralDataContext(project_config=config)


def _store(context: EphemeralDataContext, result: ExpectationSuiteValidationResult,
           run_id: RunIdentifier) -> ValidationResultIdentifier:  # fmt: skip
    """Put one result and its suite in the context's stores, as ValidationDefinition.run would."""
    gx_engine.register_expectations()
    suite_id = ExpectationSuiteIdentifier(name=result.suite_name)
    if result.suite_name not in {s.name for s in context.suites.all()}:
        expectations = [r.expectation_config.to_json_dict() for r in result.results]
        context.suites.add(gx.ExpectationSuite(name=result.suite_name, expectations=expectations))
    stored = ExpectationSuiteValidationResult(
        results=result.results,
        success=result.success,
        suite_name=result.suite_name,
        statistics=result.statistics,
        meta={**result.meta, "run_id": run_id, "validation_time": run_id.run_time,
              # GX's page heading reads the table ("Data asset") from here
              "batch_spec": {**result.meta.get("batch_spec", {}), "data_asset_name": result.asset_name}},
        batch_id=result.batch_id,
    )
    key = ValidationResultIdentifier(expectation_suite_identifier=suite_id, run_id=run_id,
                                     batch_identifier=result.batch_id)  # fmt: skip
    context.validation_results_store.set(key, stored)
    return key


def _page(key: ValidationResultIdentifier) -> Path:
    """Where GX's site writes a validation page: validations/<suite parts>/<run name>/<run time>/<batch>.html."""
    *where, batch = key.to_tuple()
    return Path("validations", *where, f"{batch}.html")


def _vendor(folder: Path) -> None:
    """Copy the vendored assets in and point every page at them."""
    vendor = folder.joinpath(*VENDOR)
    for relative in {*CDN_ASSETS.values(), LOGO}:
        _copy(ASSETS / relative, vendor / relative)
    fonts = "fontawesome-free-6.6.0/webfonts"  # all.min.css loads these by relative path
    shutil.copytree(ASSETS / fonts, vendor / fonts, dirs_exist_ok=True)
    for page in [*folder.rglob("*.html"), *folder.rglob("*.css")]:
        if vendor in page.parents:
            continue
        page.write_text(localise(page.read_text(encoding="utf-8"), page, vendor), encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _logo(name: str, page: Path, vendor: Path) -> str:
    image = vendor.parent / "images" / name  # GX's copy of its static/ folder
    return Path(os.path.relpath(image if image.is_file() else vendor / LOGO, page.parent)).as_posix()


def localise(text: str, page: Path, vendor: Path) -> str:
    """Page text with CDN addresses turned into relative links to vendor/; raises if anything
    would still be fetched from the internet."""
    prefix = Path(os.path.relpath(vendor, page.parent)).as_posix()
    text = _CDN_URL.sub(lambda m: f"{prefix}/{CDN_ASSETS[m.group(0)]}", text)
    text = LOGO_URL.sub(lambda m: _logo(m.group(1), page, vendor), text)
    if page.suffix == ".html":
        text = _SRI_ATTRS.sub("", text)
    remote = sorted({next(g for g in m.groups() if g) for m in _REMOTE_LOAD.finditer(text)})
    if remote:
        raise RuntimeError(f"{page.name} would load {', '.join(remote)} from the internet; vendor it (CDN_ASSETS)")
    return text
