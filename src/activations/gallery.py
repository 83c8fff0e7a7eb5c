"""The activation zoo: a comparison table and a gallery generated from the registry.

Everything here is derived from :mod:`activations.registry` and drawn with the
package's own functions, so the appendix cannot contradict the code. The output is
self-contained HTML (images as data URIs with alt text, formulas in MathJax spans,
a few lines of inline JavaScript to sort the table), displayed by the appendix
notebook and readable in Jupyter too.
"""
from __future__ import annotations

import base64
import html
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import registry, style

__all__ = ["property_rows", "table_html", "card_html", "gallery_html", "plot_png", "COLUMNS"]

#: (row key, column heading) of the comparison table, in display order.
COLUMNS = [
    ("name", "Function"), ("family", "Family"), ("range", "Output range"), ("monotonic", "Monotonic"),
    ("kinks", "Kinks"), ("smooth", "Smooth (C∞)"), ("zero_centred", "Zero-centred"),
    ("scale_equivariant", "f(αx)=αf(x), α>0"), ("torch", "PyTorch"), ("chapter", "Taught in"),
]


def _fmt(key, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "monotonic":
        return value or "no"
    if key == "torch":
        return value.replace("torch.nn.functional.", "F.") if value else "—"
    return str(value)


def property_rows(chapter_pages: dict[int, str] | None = None) -> list[dict[str, str]]:
    """One dict of display strings per registry record, in registry order.

    ``chapter_pages`` maps a chapter number to the page that teaches it (for links).
    """
    rows = []
    for row in registry.table():
        shown = {k: _fmt(k, row[k]) for k, _ in COLUMNS if k not in ("chapter", "kinks")}
        shown["kinks"] = "jump" if not row["continuous"] else str(row["kinks"])
        ch = row["chapter"]
        shown["chapter"] = f"{ch}. {registry.CHAPTERS[ch]}"
        shown["chapter_href"] = (chapter_pages or {}).get(ch, "")
        rows.append(shown)
    return rows


_SORT_JS = """(function(){var t=document.getElementById(%s);if(!t)return;
t.querySelectorAll('th').forEach(function(th,i){th.style.cursor='pointer';th.title='Sort by this column';
th.addEventListener('click',function(){var b=t.tBodies[0],rows=Array.from(b.rows),
asc=th.getAttribute('aria-sort')!=='ascending';t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
rows.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i].textContent;return (asc?1:-1)*a.localeCompare(c,undefined,{numeric:true});});
rows.forEach(function(r){b.appendChild(r);});});});})();"""


def table_html(chapter_pages: dict[int, str] | None = None, table_id: str = "zoo-table") -> str:
    """The comparison table as HTML; click a heading to sort by it."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for _, h in COLUMNS)
    body = []
    for r in property_rows(chapter_pages):
        cells = []
        for k, _ in COLUMNS:
            text = html.escape(r[k])
            if k == "name":
                text = f'<a href="#zoo-{r["name"]}"><code>{text}</code></a>'
            elif k == "chapter":
                short = f"Ch.&nbsp;{text.split('.', 1)[0]}"  # the full title is the tooltip
                text = (f'<a href="{html.escape(r["chapter_href"])}" title="{text}">{short}</a>'
                        if r["chapter_href"] else f'<span title="{text}">{short}</span>')
            cells.append(f'<td style="white-space:nowrap">{text}</td>' if k in ("name", "range", "torch")
                         else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div style="overflow-x:auto"><table class="zoo-table table" id="{table_id}" style="font-size:0.85em">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
            f'<script>{_SORT_JS % repr(table_id)}</script>')


def plot_png(name: str, x=None, figsize=(3.2, 2.2), dpi: int = 90) -> bytes:
    """PNG of ``f`` and ``f'`` for one registry record, drawn with the package's functions."""
    rec = registry.get(name)
    x = np.linspace(-4, 4, 801) if x is None else np.asarray(x, dtype=float)
    with style.context():
        fig = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        y, dy = rec.fn(x, **rec.params), rec.grad(x, **rec.params)
        jumps = np.flatnonzero(np.abs(np.diff(y)) > 0.5)  # do not draw vertical lines across a jump
        y, dy = y.copy(), dy.copy()
        y[jumps], dy[jumps] = np.nan, np.nan
        ax.plot(x, y, label="f(x)")
        ax.plot(x, dy, "--", label="f′(x)")
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_ylim(-2.2, 4.2)
        ax.legend(loc="upper left", fontsize=8)
        ax.tick_params(labelsize=8)
        fig.tight_layout(pad=0.3)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _params_text(rec) -> str:
    if not rec.params:
        return "no parameters"
    return ", ".join(f"{k} = {v!r}" for k, v in rec.params.items())


def card_html(name: str, chapter_pages: dict[int, str] | None = None) -> str:
    """One gallery card: heading, formula, plot of f and f′ with alt text, properties."""
    rec = registry.get(name)
    row = next(r for r in property_rows(chapter_pages) if r["name"] == name)
    png = base64.b64encode(plot_png(name)).decode("ascii")
    alt = (f"Plot of {name} (solid) and its derivative (dashed) for x from -4 to 4, "
           f"with {_params_text(rec)}; output range {row['range']}.")
    chapter = html.escape(row["chapter"])
    if row["chapter_href"]:
        chapter = f'<a href="{html.escape(row["chapter_href"])}">{chapter}</a>'
    props = (f"range {html.escape(row['range'])} · monotonic: {html.escape(row['monotonic'])} · "
             f"kinks: {html.escape(row['kinks'])} · smooth: {row['smooth']} · zero-centred: {row['zero_centred']} · "
             f"scale-equivariant: {row['scale_equivariant']}")
    note = f'<p class="zoo-note">{html.escape(rec.note)}</p>' if rec.note else ""
    return (f'<div class="zoo-card" id="zoo-{name}" style="border:1px solid #ccc;border-radius:6px;padding:8px;'
            f'background:#fff;color:#222"><h4 style="margin:0"><code>{name}</code> '
            f'<small>({html.escape(row["family"])}; {html.escape(row["torch"])})</small></h4>'
            f'<div class="math notranslate nohighlight">\\[{html.escape(rec.latex)}\\]</div>'
            f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}" style="max-width:100%">'
            f'<p style="font-size:0.85em;margin:0">{props}<br>Parameters: {html.escape(_params_text(rec))}. '
            f'Taught in {chapter}.</p>{note}</div>')


def gallery_html(chapter_pages: dict[int, str] | None = None, family: str | None = None) -> str:
    """Cards for every record (or one family), in a responsive grid."""
    cards = "".join(card_html(n, chapter_pages) for n in registry.names(family=family))
    return ('<div class="zoo-gallery" style="display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));'
            f'gap:10px">{cards}</div>')
