"""The activation zoo is generated from the registry: every record, every property, no typing."""
from __future__ import annotations

import re

from activations import gallery, registry


def test_table_has_one_row_per_record_with_registry_values():
    html = gallery.table_html({4: "../chapters/relu_family.html"})
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    assert len(rows) == len(registry.names())
    for row, name in zip(rows, registry.names()):
        rec = registry.get(name)
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        assert cells[0] == name and cells[1] == rec.family
        assert cells[2] == str(rec.output_range)
        assert cells[6] == ("yes" if rec.zero_centred else "no")
        assert cells[7] == ("yes" if rec.scale_equivariant else "no")
        assert cells[9] == f"Ch.&nbsp;{rec.chapter}"
    assert 'href="../chapters/relu_family.html"' in html


def test_every_card_has_formula_plot_alt_text_and_anchor():
    html = gallery.gallery_html()
    for name in registry.names():
        card = re.search(rf'<div class="zoo-card" id="zoo-{name}".*?</div></div>|<div class="zoo-card" id="zoo-{name}".*?(?=<div class="zoo-card"|$)', html, re.S).group(0)
        assert "\\[" in card and "\\]" in card  # the registry's LaTeX, for MathJax
        alt = re.search(r'alt="([^"]+)"', card).group(1)
        assert name in alt and "derivative" in alt
        assert "data:image/png;base64," in card


def test_plot_is_drawn_from_the_package():
    png = gallery.plot_png("relu")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
