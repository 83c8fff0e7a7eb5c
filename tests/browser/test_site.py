"""Every built page, opened in headless Chromium: math, alt text, static sliders, offline, console."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"

# Console messages that are not errors of ours. Keep this list short and say why.
CONSOLE_ALLOWLIST = [
    # Chromium logs a 404 for the favicon it requests on its own; the book sets none.
    re.compile(r"favicon\.ico"),
]
MAX_PAGE_BYTES = 2_000_000


def toc_pages() -> list[str]:
    """Every page of the table of contents, as a path relative to the site root."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [f + ".html" for f in files]


PAGES = toc_pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


def test_every_toc_page_was_built():
    missing = [p for p in PAGES if not (SITE / p).exists()]
    assert not missing, f"pages in _toc.yml missing from the build: {missing}"
    assert CHAPTERS, "no chapter pages found in _toc.yml"


@pytest.fixture
def open_page(browser, site_url):
    """Open a page with every request outside the local server recorded and blocked."""
    opened = []

    def _open(path):
        ctx = browser.new_context()
        page = ctx.new_page()
        record = {"external": [], "console": [], "pageerror": [], "failed": []}

        def route(r):
            host = urlparse(r.request.url).hostname
            if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                r.continue_()
            else:
                record["external"].append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and record["console"].append(m.text))
        page.on("pageerror", lambda e: record["pageerror"].append(str(e)))
        page.on("requestfailed", lambda r: record["failed"].append(r.url))
        page.goto(f"{site_url}/{path}", wait_until="load")
        # wait for MathJax to finish typesetting (it is loaded from the site itself)
        page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
        page.evaluate("() => window.MathJax ? MathJax.startup.promise.then(() => true) : true")
        opened.append(ctx)
        return page, record

    yield _open
    for ctx in opened:
        ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_is_offline_and_clean(open_page, path):
    page, record = open_page(path)
    page.wait_for_load_state("networkidle")
    assert not record["external"], f"{path} requested the network: {record['external']}"
    assert not record["pageerror"], f"{path} raised JavaScript errors: {record['pageerror']}"
    errors = [m for m in record["console"] if not any(a.search(m) for a in CONSOLE_ALLOWLIST)]
    assert not errors, f"{path} logged console errors: {errors}"
    local_failed = [u for u in record["failed"] if urlparse(u).hostname == "127.0.0.1"]
    assert not local_failed, f"{path} has broken local resources: {local_failed}"


@pytest.mark.parametrize("path", PAGES)
def test_math_is_rendered(open_page, path):
    page, _ = open_page(path)
    text = page.inner_text("article")
    for raw in ("\\(", "\\)", "\\[", "$$", "\\frac", "\\begin{"):
        assert raw not in text, f"{path}: raw math {raw!r} left in the page text"
    if path in CHAPTERS:
        assert page.locator("mjx-container").count() > 0, f"{path}: no MathJax output"


@pytest.mark.parametrize("path", PAGES)
def test_every_figure_has_meaningful_alt_text(open_page, path):
    page, _ = open_page(path)
    imgs = page.locator("article img")
    for i in range(imgs.count()):
        alt = (imgs.nth(i).get_attribute("alt") or "").strip()
        src = imgs.nth(i).get_attribute("src") or ""
        where = f"{path}: image {i} ({src[:60]})"
        assert len(alt) >= 12 and " " in alt, f"{where} has no meaningful alt text: {alt!r}"
        assert not re.search(r"\.(png|svg|jpe?g)$|_images/|^figure\b", alt, re.I), f"{where}: alt is a file name: {alt!r}"


@pytest.mark.parametrize("path", CHAPTERS)
def test_static_sliders_change_figure_and_label(open_page, path):
    page, record = open_page(path)
    widgets = page.locator("div.actw")
    assert widgets.count() >= 1, f"{path}: no static widget"
    for w in range(widgets.count()):
        widget = widgets.nth(w)
        img = widget.locator("img.actw-frame")
        for c in range(widget.locator("[data-i]").count()):
            ctl = widget.locator("[data-i]").nth(c)
            before_src, before_alt = img.get_attribute("src"), img.get_attribute("alt")
            if ctl.evaluate("e => e.tagName") == "SELECT":
                n = ctl.locator("option").count()
                cur = int(ctl.input_value())
                ctl.select_option(str((cur + 1) % n))
            else:
                out = ctl.locator("xpath=following-sibling::output")
                label_before = out.inner_text()
                cur, top = int(ctl.input_value()), int(ctl.get_attribute("max"))
                ctl.fill(str(top if cur != top else 0))  # fires input and change
                assert out.inner_text() != label_before, f"{path}: widget {w} slider {c} label did not change"
            assert img.get_attribute("src") != before_src, f"{path}: widget {w} control {c} did not change the figure"
            assert img.get_attribute("alt") != before_alt, f"{path}: widget {w} control {c} did not change the alt text"
    assert not record["pageerror"]


@pytest.mark.parametrize("path", CHAPTERS)
def test_page_weight_within_budget(path):
    """The page's own weight: its HTML plus the images it references (theme files excluded)."""
    html_path = SITE / path
    html = html_path.read_text(encoding="utf-8")
    total = len(html.encode("utf-8"))
    for src in set(re.findall(r'<img[^>]+src="([^"]+)"', html)):
        if src.startswith("data:"):
            continue  # already counted inside the HTML
        total += (html_path.parent / src).resolve().stat().st_size
    assert total <= MAX_PAGE_BYTES, f"{path} weighs {total / 1e6:.2f} MB (budget {MAX_PAGE_BYTES / 1e6:.1f} MB)"
