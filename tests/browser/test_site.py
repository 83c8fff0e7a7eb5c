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


@pytest.mark.parametrize("path", PAGES)
def test_internal_links_and_anchors_resolve(path):
    """Every relative link points to a built file, and every #fragment exists there."""
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if "id" in a:
                self.ids.add(a["id"])
            if tag == "a" and a.get("href"):
                self.hrefs.append(a["href"])

    def parse(p):
        c = Collect()
        c.feed(p.read_text(encoding="utf-8"))
        return c

    page = SITE / path
    here = parse(page)
    cache = {}
    for href in here.hrefs:
        if re.match(r"^[a-z]+:", href) or href.startswith("//"):
            continue  # external (launch buttons, citations' DOIs), mailto:, data:
        target, _, frag = href.partition("#")
        target_path = (page.parent / target).resolve() if target else page
        assert target_path.exists(), f"{path}: broken link {href!r}"
        if frag and target_path.suffix == ".html":
            ids = cache.setdefault(target_path, parse(target_path).ids if target else here.ids)
            assert frag in ids, f"{path}: link {href!r} points to a missing anchor"


@pytest.mark.parametrize("path", PAGES)
def test_no_raw_roles_or_citation_keys(open_page, path):
    page, _ = open_page(path)
    text = page.inner_text("article")
    leftovers = re.findall(r"\{(?:cite(?::\w+)?|term|doc|ref|numref|glue(?::\w+)?)\}`[^`]*`", text)
    assert not leftovers, f"{path}: unrendered roles {leftovers[:5]}"
    assert not re.search(r":::\{|```\{", text), f"{path}: an unrendered directive is visible"


def test_glossary_terms_are_linked_from_the_chapters():
    glossary = (SITE / "appendix" / "glossary.html").read_text(encoding="utf-8")
    terms = set(re.findall(r'id="(term-[^"]+)"', glossary))
    assert len(terms) >= 40
    linked = set()
    for path in CHAPTERS:
        linked |= set(re.findall(r'href="[^"]*glossary\.html#(term-[^"]+)"', (SITE / path).read_text(encoding="utf-8")))
    assert linked, "no chapter links to the glossary"
    assert linked <= terms, f"links to missing glossary terms: {sorted(linked - terms)}"


def test_search_works_offline(open_page):
    page, record = open_page("search.html?q=sigmoid")
    page.wait_for_selector("#search-results li, .search li", timeout=20_000)
    hits = page.locator("#search-results li, .search li").count()
    assert hits > 0
    assert not record["external"]


@pytest.mark.parametrize("path", CHAPTERS)
def test_previous_and_next_links(open_page, path):
    page, _ = open_page(path)
    nav = page.locator(".prev-next-area a")
    assert nav.count() >= 1 and all(nav.nth(i).get_attribute("href") for i in range(nav.count()))


@pytest.mark.parametrize("path", CHAPTERS[:1] + ["appendix/zoo.html"])
def test_figures_legible_in_dark_mode(browser, site_url, path, tmp_path):
    """In the dark theme the page is dark and every figure keeps its opaque white card."""
    import io

    from PIL import Image

    ctx = browser.new_context(color_scheme="dark")
    page = ctx.new_page()
    page.goto(f"{site_url}/{path}", wait_until="load")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(map(int, re.findall(r"\d+", bg)[:3])) < 3 * 80, f"dark theme background is {bg}"
    imgs = page.locator("article img")
    assert imgs.count() > 0
    for i in range(min(imgs.count(), 8)):
        img = imgs.nth(i)
        img.scroll_into_view_if_needed()
        shot = Image.open(io.BytesIO(img.screenshot())).convert("L")
        w, h = shot.size
        dx, dy = max(8, w // 30), max(8, h // 30)  # inside the figure: the element box may show page edges
        corners = [shot.getpixel((dx, dy)), shot.getpixel((w - dx, dy)), shot.getpixel((dx, h - dy)), shot.getpixel((w - dx, h - dy))]
        # the theme dims images in dark mode (brightness .8, contrast 1.2): still a light card
        assert min(corners) > 150, f"{path}: figure {i} is not on a light card in dark mode ({corners})"
        assert shot.getextrema()[0] < 100, f"{path}: figure {i} has no dark ink left to read in dark mode"
    page.screenshot(path=str(tmp_path / "dark.png"))
    ctx.close()
