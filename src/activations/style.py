"""One figure style for the whole book.

Chapters call :func:`use` once; widgets draw inside :func:`context`. Figures keep
an opaque white background so they stay legible on the book's dark theme.
"""
from __future__ import annotations

import contextlib

import matplotlib as mpl

__all__ = ["COLORS", "RC", "use", "context"]

#: Colour-blind-safe palette (Okabe & Ito), in the order chapters use it.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

RC = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 96,
    "savefig.dpi": 96,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.grid": True,
    # grid and ticks below every data artist, so blitted widget redraws stay cheap
    "axes.axisbelow": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    # deterministic SVG/PDF output (no random ids, no timestamps)
    "svg.hashsalt": "activations-book",
}


def use() -> None:
    """Apply the book's style globally (call once at the top of a chapter)."""
    mpl.rcParams.update(RC)


def context():
    """Context manager applying the book's style temporarily."""
    return mpl.rc_context(RC) if RC else contextlib.nullcontext()
