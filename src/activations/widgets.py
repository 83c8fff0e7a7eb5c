"""Interactive figures that work everywhere: Jupyter, Colab and the static HTML book.

One helper, :func:`interactive_figure`, takes a plotting function of named
parameters and a range (:class:`Slider`) or a set of options (:class:`Choice`)
for each parameter. It renders in one of two modes:

``live`` (default: Jupyter, JupyterLab, Colab, VS Code)
    ipywidgets sliders and an ``Image`` widget; every slider move calls the
    plotting function at the slider's exact value and shows the new PNG.
    Uses only widgets that exist in ipywidgets 7.7 (Colab) and 8.x.

``static`` (the HTML book; ``make book`` sets ``ACTIVATIONS_WIDGET_MODE=static``)
    Every point of the parameter grid is drawn at build time by the *same*
    plotting function and embedded as a PNG frame next to plain HTML range
    inputs and a few lines of inline JavaScript. Moving a slider shows the
    matching frame and the parameter's real value, with no kernel, no widget
    manager and no network.

The plotting function receives a cleared :class:`matplotlib.figure.Figure` and
the parameter values as keyword arguments. It may return an ``update(**values)``
function that changes only the artists' data; later redraws then reuse the
figure instead of rebuilding axes and ticks (about 3x faster, which keeps live
redraws well under 50 ms). :meth:`InteractiveFigure.check_update` verifies that
the fast path draws exactly what a full redraw draws::

    def plot(fig, w, b):
        ax = fig.add_subplot()
        (line,) = ax.plot(x, sigmoid(w * x + b))
        ax.set_ylim(-0.05, 1.05)   # fixed limits: the update path does not rescale
        def update(w, b):
            line.set_ydata(sigmoid(w * x + b))
        return update

    interactive_figure(plot, w=Slider(0.1, 5, value=1), b=Slider(-3, 3),
                       alt="sigmoid(w x + b) for w = {w:.2f}, b = {b:.2f}")
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import math
import os
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from matplotlib import text as mtext
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import style

__all__ = ["Slider", "Choice", "InteractiveFigure", "interactive_figure", "instances", "MODE_ENV", "current_mode"]

#: Environment variable selecting the rendering mode: ``live`` or ``static``.
MODE_ENV = "ACTIVATIONS_WIDGET_MODE"
_MODES = ("live", "static")
#: Upper bound on frames per widget so a page stays well under its 2 MB budget.
MAX_FRAMES = 64
#: Every live InteractiveFigure, so tests can exercise the widgets a chapter made.
_INSTANCES: "weakref.WeakSet[InteractiveFigure]" = weakref.WeakSet()


def current_mode() -> str:
    """The mode chosen by the environment (``live`` unless ``ACTIVATIONS_WIDGET_MODE=static``)."""
    mode = os.environ.get(MODE_ENV, "live").strip().lower() or "live"
    if mode not in _MODES:
        raise ValueError(f"interactive_figure: {MODE_ENV} must be one of {_MODES}, got {mode!r}")
    return mode


@dataclass(frozen=True)
class Slider:
    """A numeric parameter: continuous in ``[min, max]`` live, ``frames`` grid points static.

    ``log=True`` spaces the static grid geometrically and uses a log slider live.
    ``value`` (default: the grid point nearest the middle) is the initial value and
    is always one of the static frames, so both modes open on the same figure.
    """

    min: float
    max: float
    step: float | None = None
    value: float | None = None
    frames: int = 9
    log: bool = False
    label: str | None = None
    fmt: str = ".3g"

    def __post_init__(self):
        for name in ("min", "max"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
                raise TypeError(f"Slider: {name} must be a finite real number, got {v!r}")
        if not self.min < self.max:
            raise ValueError(f"Slider: min must be < max, got min={self.min!r}, max={self.max!r}")
        if self.log and self.min <= 0:
            raise ValueError(f"Slider: a log slider needs min > 0, got {self.min!r}")
        if not isinstance(self.frames, int) or self.frames < 2:
            raise ValueError(f"Slider: frames must be an integer >= 2, got {self.frames!r}")
        if self.step is not None and not self.step > 0:
            raise ValueError(f"Slider: step must be > 0, got {self.step!r}")
        if self.value is not None and not self.min <= self.value <= self.max:
            raise ValueError(f"Slider: value {self.value!r} is outside [{self.min}, {self.max}]")

    def grid(self) -> list[float]:
        """The static frames' parameter values (always including the initial value)."""
        if self.log:
            pts = np.geomspace(self.min, self.max, self.frames)
        else:
            pts = np.linspace(self.min, self.max, self.frames)
        if self.step is not None and not self.log:
            pts = np.unique(np.clip(np.round((pts - self.min) / self.step) * self.step + self.min, self.min, self.max))
        pts = [float(p) for p in pts]
        if self.value is not None and not any(math.isclose(p, self.value, rel_tol=1e-12, abs_tol=1e-15) for p in pts):
            pts = sorted(pts + [float(self.value)])
        return pts

    def initial(self) -> float:
        if self.value is not None:
            return float(self.value)
        g = self.grid()
        return g[(len(g) - 1) // 2]

    def format(self, v: float) -> str:
        return format(v, self.fmt)


@dataclass(frozen=True)
class Choice:
    """A discrete parameter: a dropdown live, a ``<select>`` static.

    ``options`` is a sequence of values or of ``(label, value)`` pairs.
    """

    options: Sequence[Any]
    value: Any = None
    label: str | None = None
    _pairs: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if isinstance(self.options, (str, bytes)) or len(self.options) == 0:
            raise ValueError("Choice: options must be a non-empty sequence")
        pairs = tuple(
            (str(o[0]), o[1]) if isinstance(o, tuple) and len(o) == 2 else (str(o), o) for o in self.options
        )
        object.__setattr__(self, "_pairs", pairs)
        if self.value is not None and all(v != self.value for _, v in pairs):
            raise ValueError(f"Choice: value {self.value!r} is not one of the options")

    def grid(self) -> list[Any]:
        return [v for _, v in self._pairs]

    def initial(self) -> Any:
        return self._pairs[0][1] if self.value is None else self.value

    def format(self, v: Any) -> str:
        return next(lbl for lbl, val in self._pairs if val == v)


def _as_param(name: str, spec) -> Slider | Choice:
    if isinstance(spec, (Slider, Choice)):
        return spec
    if isinstance(spec, tuple) and len(spec) in (2, 3) and all(isinstance(v, (int, float)) for v in spec):
        return Slider(*spec)
    if isinstance(spec, list):
        return Choice(spec)
    raise TypeError(
        f"interactive_figure: parameter {name!r} must be a Slider, a Choice, a (min, max[, step]) tuple "
        f"or a list of options, got {type(spec).__name__}"
    )


class InteractiveFigure:
    """A figure driven by parameters; displays live or static (see the module docstring)."""

    def __init__(self, plot: Callable[..., Any], params: Mapping[str, Slider | Choice], *, alt,
                 figsize=(6.4, 3.6), dpi: int = 80, mode: str | None = None, title: str | None = None):
        if not callable(plot):
            raise TypeError(f"interactive_figure: plot must be callable, got {type(plot).__name__}")
        if not params:
            raise ValueError("interactive_figure: give at least one parameter")
        if not (isinstance(alt, str) and alt.strip()) and not callable(alt):
            raise TypeError("interactive_figure: alt must be a non-empty string or a function of the parameters")
        self.plot = plot
        self.params = {k: _as_param(k, v) for k, v in params.items()}
        self.alt = alt
        self.title = title
        self.figsize = figsize
        self.dpi = dpi
        self.mode = current_mode() if mode is None else mode
        if self.mode not in _MODES:
            raise ValueError(f"interactive_figure: mode must be one of {_MODES}, got {self.mode!r}")
        n = math.prod(len(p.grid()) for p in self.params.values())
        if n > MAX_FRAMES:
            raise ValueError(f"interactive_figure: the static grid has {n} frames; at most {MAX_FRAMES} keep the page light")
        self.values = {k: p.initial() for k, p in self.params.items()}
        self._fig = Figure(figsize=figsize, dpi=dpi)
        self._canvas = FigureCanvasAgg(self._fig)
        self._updater = None
        self._background = None
        self._box = None
        self._image = None
        self.redraw_times: list[float] = []
        self._serial = next(_SERIAL)
        _INSTANCES.add(self)

    # --- drawing -----------------------------------------------------------------
    def alt_text(self, **values) -> str:
        return self.alt(**values) if callable(self.alt) else self.alt.format(**values)

    def render_image(self, *, full: bool = False, **values):
        """Draw the figure at ``values`` (missing names keep their current value); return a PIL image.

        ``full=True`` forces a complete redraw through ``plot`` even when an updater exists.
        """
        from PIL import Image

        unknown = set(values) - set(self.params)
        if unknown:
            raise ValueError(f"interactive_figure: unknown parameter(s) {sorted(unknown)}")
        vals = {**self.values, **values}
        with style.context():
            if self._updater is not None and not full:
                self._updater(**vals)
                self._blit()
            else:
                self._fig.clear()
                ret = self.plot(self._fig, **vals)
                self._updater = ret if callable(ret) else None
                self._background = None
                self._canvas.draw()
            w, h = self._canvas.get_width_height()
            return Image.frombuffer("RGBA", (w, h), bytes(self._canvas.buffer_rgba()), "raw", "RGBA", 0, 1).convert("RGB")

    def _blit(self):
        """Redraw only the data artists over a cached background of the static ones.

        Axes, ticks, tick labels and spines cost most of a draw (text layout) and do not
        change when ``update`` only sets data. Static artists stacked above a data artist
        (spines, or an axis drawn above bars) are left out of the background and drawn
        with the data in matplotlib's own z-order, so the result equals a full redraw —
        which :meth:`check_update` verifies pixel for pixel.
        """
        layers = _draw_layers(self._fig)
        if self._background is None:
            shown = [a for a in layers if a.get_visible()]
            # texts are hidden by alpha, not visibility: Axes places its titles only
            # around visible ones, and the background must not move them
            texts = [(a, a.get_alpha()) for a in shown if isinstance(a, mtext.Text)]
            for a in shown:
                if isinstance(a, mtext.Text):
                    a.set_alpha(0.0)
                else:
                    a.set_visible(False)
            self._canvas.draw()
            self._background = self._canvas.copy_from_bbox(self._fig.bbox)
            for a in shown:
                a.set_visible(True)
            for a, alpha in texts:
                a.set_alpha(alpha)
        self._canvas.restore_region(self._background)
        for a in layers:
            self._fig.draw_artist(a)

    def render(self, **values) -> bytes:
        """PNG bytes of the figure at ``values`` (fast encoding, for live redraws)."""
        buf = io.BytesIO()
        self.render_image(**values).save(buf, format="PNG", compress_level=1)
        return buf.getvalue()

    def check_update(self, samples: int = 3) -> None:
        """Raise AssertionError unless the update path draws the same pixels as a full redraw.

        Compares both paths at the first, last and initial grid points (``samples`` per parameter).
        """
        import itertools as it

        grids = {n: p.grid() for n, p in self.params.items()}
        picks = {n: sorted({0, len(g) - 1, len(g) // 2})[:samples] for n, g in grids.items()}
        self.render_image(full=True)  # install the updater, if plot returns one
        if self._updater is None:
            return
        for combo in it.product(*(picks[n] for n in grids)):
            vals = {n: grids[n][i] for n, i in zip(grids, combo)}
            fast = self.render_image(**vals).tobytes()
            slow = self.render_image(full=True, **vals).tobytes()
            if fast != slow:
                raise AssertionError(f"interactive_figure: update() draws differently from plot() at {vals}")

    # --- live mode ------------------------------------------------------------------
    def _build_live(self):
        import ipywidgets as W

        controls = []
        for name, p in self.params.items():
            desc = p.label or name
            if isinstance(p, Choice):
                w = W.Dropdown(options=list(p._pairs), value=p.initial(), description=desc)
            elif p.log:
                w = W.FloatLogSlider(value=p.initial(), base=10, min=math.log10(p.min), max=math.log10(p.max),
                                     step=(math.log10(p.max) - math.log10(p.min)) / 200, description=desc,
                                     readout_format=p.fmt, continuous_update=True)
            else:
                step = p.step if p.step is not None else (p.max - p.min) / 200
                w = W.FloatSlider(value=p.initial(), min=p.min, max=p.max, step=step, description=desc,
                                  readout_format=p.fmt, continuous_update=True)
            w.observe(self._on_change(name), names="value")
            controls.append(w)
        self._controls = dict(zip(self.params, controls))
        self._image = W.Image(value=self.render(), format="png")
        self._box = W.VBox([W.HBox(controls, layout=W.Layout(flex_flow="row wrap")), self._image])
        return self._box

    def _on_change(self, name):
        def handler(change):
            t0 = time.perf_counter()
            self.values[name] = change["new"]
            self._image.value = self.render()
            self.redraw_times.append(time.perf_counter() - t0)
        return handler

    @property
    def controls(self) -> dict:
        """The live ipywidgets controls by parameter name (built on first access)."""
        if self._box is None:
            self._build_live()
        return self._controls

    # --- static mode ----------------------------------------------------------------
    def frames(self):
        """Yield ``(values, PIL image)`` for every point of the static grid, in C order."""
        names = list(self.params)
        for combo in itertools.product(*(self.params[n].grid() for n in names)):
            vals = dict(zip(names, combo))
            yield vals, self.render_image(**vals)

    def to_html(self) -> str:
        """Self-contained HTML: range inputs/selects, PNG frames and inline JavaScript."""
        from PIL import Image

        names = list(self.params)
        grids = [self.params[n].grid() for n in names]
        sources, alts = [], []
        for vals, im in self.frames():
            # a 64-colour palette keeps line plots crisp at about a third of the bytes
            im = im.quantize(colors=64, dither=Image.Dither.NONE)
            out = io.BytesIO()
            im.save(out, format="PNG", optimize=True)
            sources.append("data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii"))
            alts.append(self.alt_text(**vals))
        start = [g.index(self.values[n]) if self.values[n] in g else 0 for n, g in zip(names, grids)]
        labels = [[self.params[n].format(v) for v in g] for n, g in zip(names, grids)]
        ident = "actw-" + hashlib.sha1(json.dumps([alts, labels]).encode()).hexdigest()[:12]
        ctrl_html = []
        for i, n in enumerate(names):
            p = self.params[n]
            lab = html.escape(p.label or n)
            if isinstance(p, Choice):
                opts = "".join(
                    f'<option value="{j}"{" selected" if j == start[i] else ""}>{html.escape(lbl)}</option>'
                    for j, lbl in enumerate(labels[i])
                )
                ctrl_html.append(f'<label class="actw-ctl"><span>{lab}</span> <select data-i="{i}">{opts}</select></label>')
            else:
                ctrl_html.append(
                    f'<label class="actw-ctl"><span>{lab}</span> <input type="range" data-i="{i}" min="0" '
                    f'max="{len(grids[i]) - 1}" step="1" value="{start[i]}" aria-label="{lab}"> '
                    f'<output>{html.escape(labels[i][start[i]])}</output></label>'
                )
        k0 = int(np.ravel_multi_index(start, [len(g) for g in grids]))
        data = json.dumps({"shape": [len(g) for g in grids], "labels": labels, "src": sources, "alt": alts})
        title = f'<div class="actw-title">{html.escape(self.title)}</div>' if self.title else ""
        return (
            f'<div class="actw" id="{ident}" style="border:1px solid #ccc;border-radius:6px;padding:6px;'
            f'background:#fff;color:#222;max-width:100%">{title}'
            f'<div class="actw-controls" style="display:flex;flex-wrap:wrap;gap:12px;align-items:center">'
            f'{"".join(ctrl_html)}</div>'
            f'<img class="actw-frame" src="{sources[k0]}" alt="{html.escape(alts[k0])}" style="max-width:100%;height:auto">'
            f'<script type="application/json" class="actw-data">{data}</script>'
            f"<script>{_STATIC_JS % json.dumps(ident)}</script></div>"
        )

    # --- display ----------------------------------------------------------------------
    def summary(self) -> str:
        parts = []
        for n, p in self.params.items():
            if isinstance(p, Choice):
                parts.append(f"{n} in {{{', '.join(p.format(v) for v in p.grid())}}}")
            else:
                parts.append(f"{n} in [{p.format(p.min)}, {p.format(p.max)}]{' (log)' if p.log else ''}")
        return f"Interactive figure: {self.alt_text(**self.values)} -- {'; '.join(parts)}"

    def _ipython_display_(self):
        from IPython.display import display

        if self.mode == "static":
            display({"text/html": self.to_html(), "text/plain": self.summary()}, raw=True)
            return
        box = self._box or self._build_live()
        view = {"version_major": 2, "version_minor": 0, "model_id": box.model_id}
        display({"application/vnd.jupyter.widget-view+json": view, "text/plain": self.summary()}, raw=True)


_SERIAL = itertools.count()


def _draw_layers(fig) -> list:
    """Artists to draw over the static background, in the order a full draw uses.

    Per axes: every child except the background patch, the spines and the axes' x/y
    axis objects (those are static), plus the static ones whose zorder is above the
    lowest data artist; stably sorted by zorder like ``Axes.draw``. Then figure-level
    texts and legends.
    """
    out = []
    for ax in fig.axes:
        static = {id(a) for a in (*ax.spines.values(), ax.xaxis, ax.yaxis, ax.patch)}
        children = [c for c in ax.get_children() if c is not ax.patch]
        data = [c for c in children if id(c) not in static]
        if not data:
            continue
        zmin = min(c.get_zorder() for c in data)
        layer = [c for c in children if id(c) not in static or c.get_zorder() > zmin]
        out.extend(sorted(layer, key=lambda c: c.get_zorder()))
    out.extend(a for a in (*fig.texts, *fig.legends) if a is not None)
    return out


def instances() -> list[InteractiveFigure]:
    """The interactive figures created in this process that are still alive, oldest first."""
    return sorted(_INSTANCES, key=lambda f: f._serial)


# %s is the JSON-quoted id of the widget's container; no globals are created.
_STATIC_JS = """(function(){var root=document.getElementById(%s);if(!root)return;
var d=JSON.parse(root.querySelector('script.actw-data').textContent);
var img=root.querySelector('img.actw-frame'),ctl=root.querySelectorAll('[data-i]');
function show(){var k=0;ctl.forEach(function(c){var i=+c.dataset.i,v=+c.value;k=k*d.shape[i]+v;
var o=c.parentNode.querySelector('output');if(o)o.textContent=d.labels[i][v];});
img.src=d.src[k];img.alt=d.alt[k];}
ctl.forEach(function(c){c.addEventListener('input',show);c.addEventListener('change',show);});})();"""


def interactive_figure(plot: Callable[..., Any], *, alt, figsize=(6.4, 3.6), dpi: int = 80,
                       mode: str | None = None, title: str | None = None, **params) -> InteractiveFigure:
    """Make a figure driven by sliders that works live in Jupyter/Colab and static in the HTML book.

    Parameters
    ----------
    plot : callable ``plot(fig, **values)``
        Draws into the (already cleared) matplotlib ``Figure`` ``fig``.
    alt : str or callable
        Alt text for every frame: a format string over the parameters
        (``"sigmoid with w = {w:.2f}"``) or a function of them.
    figsize, dpi : figure size in inches and resolution of the frames.
    mode : ``"live"``, ``"static"`` or None (read ``ACTIVATIONS_WIDGET_MODE``).
    **params : Slider, Choice, ``(min, max[, step])`` tuple or list of options, by name.

    Returns
    -------
    InteractiveFigure
        Display it (make it the last expression of a cell).
    """
    return InteractiveFigure(plot, params, alt=alt, figsize=figsize, dpi=dpi, mode=mode, title=title)
