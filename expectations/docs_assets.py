"""Make a GX Data Docs site work offline: copy the shipped CSS/JS (expectations/docs_static, with their licences)
into `<site>/static/vendor/` and point every page at them instead of the public CDNs GX's templates name.

Without it the index (a bootstrap-table built by JavaScript from jQuery and bootstrap-table on CDNs) is empty on a
host with no network. The vega chart scripts are not shipped: no qtwatch page draws a chart, so a page without one
loses those script tags (a page with one keeps them). The GX logo comes from the site's own static/images.

The pages also name rules the way a reader does: the helper columns a suite adds to a batch (`chk_all_between_…`,
`ctx_band_low`) become "range and identity rules", "band low (context)" in the pages' text.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

from expectations import suites

STATIC = Path(__file__).with_name("docs_static")
VENDOR = Path("static") / "vendor"

_FILTER_CONTROL = (
    "https://unpkg.com/bootstrap-table@{version}/dist/extensions/filter-control/bootstrap-table-filter-control"
)
_LOCAL_FILTER_CONTROL = "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control"
# CDN URL in GX 1.x's templates -> file under docs_static (see docs_static/README.md for packages and licences).
LOCAL: dict[str, str] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/js/bootstrap.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    **{
        f"{_FILTER_CONTROL.format(version=version)}{suffix}": f"{_LOCAL_FILTER_CONTROL}{local}"
        for version in ("1.19.0", "1.19.1")
        for suffix, local in ((".css", ".min.css"), (".min.css", ".min.css"), (".min.js", ".min.js"))
    },
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker/css/bootstrap-datepicker.min.css",  # noqa: E501 - one CDN URL -> its local copy
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker/js/bootstrap-datepicker.min.js",  # noqa: E501 - one CDN URL -> its local copy
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": "bootstrap-dark/bootstrap-prefers-dark.min.css",  # noqa: E501 - one CDN URL -> its local copy
}
_LOGO = re.compile(r'src="https://great-expectations-web-assets\.s3[^"]*/(logo-long\.png)[^"]*"')
_HELPER = re.compile(r"\b(?:chk|ctx)_[a-z0-9_]+\b")
_SCRIPT = re.compile(r"(<script\b.*?</script>)", re.S)
# The multi-column rules of expectations.rules check one helper column each, named chk_all_<kind>_<digest>.
_KINDS = {
    "not_null": "not-null rules",
    "date": "date-type rules",
    "numeric": "numeric-type rules",
    "between": "range and identity rules",
    "ordered": "order, as-of and history rules",
}
_VEGA = re.compile(r'<script[^>]*src="https://cdn\.jsdelivr\.net/npm/vega(-lite|-embed)?@\d+"[^>]*>\s*</script>\s*')


def localize(site: Path) -> list[Path]:
    """Copy the assets into `site` and rewrite every HTML page under it to use them; returns the pages changed."""
    site = Path(site)
    shutil.copytree(STATIC, site / VENDOR, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    changed = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        local = localize_page(text, os.path.relpath(site / VENDOR, page.parent))
        local = _LOGO.sub(
            f'src="{Path(os.path.relpath(site / "static" / "images", page.parent)).as_posix()}/\\1"', local
        )
        local = readable(local)
        if local != text:
            page.write_text(local, encoding="utf-8")
            changed.append(page)
    return changed


def localize_page(html: str, vendor: str) -> str:
    """`html` with every known CDN URL replaced by `vendor`/<file> (vendor: relative path from the page)."""
    for url, file in LOCAL.items():
        html = html.replace(f'"{url}"', f'"{Path(vendor, file).as_posix()}"')
    return html if "vegaEmbed" in html else _VEGA.sub("", html)


def remote_urls(html: str) -> list[str]:
    """The http(s) URLs a page would load (script src, stylesheet href): none once it is localized."""
    scripts = re.findall(r'<script[^>]*\ssrc="(https?://[^"]+)"', html)
    styles = re.findall(r'<link[^>]*\shref="(https?://[^"]+)"', html)
    return [*scripts, *styles]


def readable(html: str) -> str:
    """`html` with helper-column names in its text (not in tags or scripts) replaced by what a reader calls them."""
    parts = _SCRIPT.split(html)
    for i in range(0, len(parts), 2):  # even parts are outside <script> blocks
        parts[i] = re.sub(r">([^<]+)<", lambda m: f">{_HELPER.sub(lambda h: label(h.group(0)), m.group(1))}<", parts[i])
    return "".join(parts)


def label(column: str) -> str:
    """A reader's name for a helper column: its rules' kind, its one rule's description, or its words."""
    kind = re.fullmatch(r"chk_all_([a-z_]+)_[0-9a-f]{8}", column)
    if kind:
        return _KINDS.get(kind.group(1), f"{kind.group(1).replace('_', ' ')} rules")
    if column.startswith("chk_") and (described := _descriptions().get(column)):
        return described
    words = column.removeprefix("chk_").removeprefix("ctx_").replace("_", " ")
    return f"{words} ({'context' if column.startswith('ctx_') else 'check'})"


@functools.cache
def _descriptions() -> dict[str, str]:
    """Helper column -> the description of the one rule on it, over every suite."""
    found: dict[str, set[str]] = {}
    for suite in suites.SUITES.values():
        for expectation in suite.rules().expectations:
            column = getattr(expectation, "column", None)
            if isinstance(column, str) and column.startswith("chk_") and expectation.description:
                found.setdefault(column, set()).add(expectation.description)
    return {column: next(iter(texts)) for column, texts in found.items() if len(texts) == 1}
