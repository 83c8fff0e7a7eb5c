"""The widget helper: live ipywidgets, static HTML frames, and their agreement."""
from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from activations import widgets as wmod
from activations.widgets import Choice, Slider, interactive_figure

X = np.linspace(-5, 5, 200)
FUNCS = {"tanh": np.tanh, "cube": lambda z: z**3 / 125}


def plot_fast(fig, w, name):
    ax = fig.add_subplot()
    (line,) = ax.plot(X, FUNCS[name](w * X))
    ax.set_ylim(-1.1, 1.1)
    title = ax.set_title(f"{name}(w x), w = {w:.2f}")

    def update(w, name):
        line.set_ydata(FUNCS[name](w * X))
        title.set_text(f"{name}(w x), w = {w:.2f}")

    return update


def plot_slow(fig, w, name):
    ax = fig.add_subplot()
    ax.plot(X, FUNCS[name](w * X))
    ax.set_ylim(-1.1, 1.1)


def make(mode, plot=plot_fast, **kw):
    return interactive_figure(plot, w=Slider(0.5, 3.0, value=1.0, frames=4), name=Choice(["tanh", "cube"]),
                              alt="{name} of w x with w = {w:.2f}", mode=mode, **kw)


def static_data(html):
    m = re.search(r'<script type="application/json" class="actw-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_slider_grid_contains_initial_value_and_bounds():
    s = Slider(0.5, 3.0, value=1.0, frames=4)
    g = s.grid()
    assert g[0] == 0.5 and g[-1] == 3.0 and 1.0 in g and len(g) == 5
    assert Slider(0.1, 10, frames=3, log=True).grid() == pytest.approx([0.1, 1.0, 10.0])
    assert Slider(0, 1, step=0.25, frames=3).grid() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("kwargs, exc", [
    (dict(min=1, max=0), ValueError), (dict(min=0, max=1, log=True), ValueError),
    (dict(min=0, max=1, frames=1), ValueError), (dict(min="a", max=1), TypeError),
    (dict(min=0, max=1, value=2), ValueError), (dict(min=0, max=float("inf")), TypeError),
])
def test_slider_rejects_bad_specs(kwargs, exc):
    with pytest.raises(exc, match="Slider"):
        Slider(**kwargs)


def test_interactive_figure_rejects_bad_input():
    with pytest.raises(TypeError, match="interactive_figure"):
        interactive_figure(42, w=(0, 1), alt="x")
    with pytest.raises(TypeError, match="interactive_figure"):
        interactive_figure(plot_slow, w=object(), alt="x")
    with pytest.raises(ValueError, match="interactive_figure"):
        interactive_figure(plot_slow, alt="x")
    with pytest.raises(TypeError, match="alt"):
        interactive_figure(plot_slow, w=(0, 1), name=["tanh"], alt="")
    with pytest.raises(ValueError, match="frames"):
        interactive_figure(plot_slow, w=Slider(0, 1, frames=30), name=Choice(["tanh", "cube", "tanh2"]), alt="x")


def test_mode_comes_from_environment(monkeypatch):
    monkeypatch.setenv(wmod.MODE_ENV, "static")
    assert make(None).mode == "static"
    monkeypatch.delenv(wmod.MODE_ENV)
    assert make(None).mode == "live"
    monkeypatch.setenv(wmod.MODE_ENV, "bogus")
    with pytest.raises(ValueError, match=wmod.MODE_ENV):
        make(None)


def test_update_path_draws_exactly_what_a_full_redraw_draws():
    make("live").check_update()


def test_check_update_catches_a_stale_updater():
    def plot_broken(fig, w, name):
        plot_fast(fig, w, name)
        return lambda w, name: None  # forgets to redraw

    with pytest.raises(AssertionError, match="update"):
        make("live", plot=plot_broken).check_update()


def test_static_html_has_one_frame_per_grid_point_matching_the_plot_function():
    fig = make("static")
    html = fig.to_html()
    data = static_data(html)
    assert data["shape"] == [5, 2]
    assert len(data["src"]) == len(data["alt"]) == 10
    assert data["labels"] == [["0.5", "1", "1.33", "2.17", "3"], ["tanh", "cube"]]
    # frame k is the plot at the k-th grid point (C order): decode two frames and compare
    # them with a fresh full render at the same values (palette quantisation aside)
    ref = make("live", plot=plot_slow)
    for k, (w, name) in [(0, (0.5, "tanh")), (9, (3.0, "cube"))]:
        png = base64.b64decode(data["src"][k].split(",", 1)[1])
        got = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
        want = np.asarray(ref.render_image(full=True, w=w, name=name), dtype=float)
        assert got.shape == want.shape
        assert np.abs(got - want).mean() < 8  # same picture; palette rounding only
        assert data["alt"][k] == f"{name} of w x with w = {w:.2f}"
    # the initial frame is the initial value (w = 1, tanh)
    first = re.search(r'<img class="actw-frame" src="([^"]+)" alt="([^"]+)"', html)
    assert first.group(2) == "tanh of w x with w = 1.00"
    assert first.group(1) == data["src"][data["labels"][0].index("1") * 2]
    # plain HTML controls with no external resources
    assert html.count('type="range"') == 1 and html.count("<select") == 1
    assert "http://" not in html and "https://" not in html


def test_static_html_is_deterministic():
    assert make("static").to_html() == make("static").to_html()


def test_live_widget_redraws_through_the_plot_function():
    fig = make("live")
    ctl = fig.controls
    before = fig._image.value
    ctl["w"].value = 2.5
    assert fig.values["w"] == 2.5 and fig._image.value != before
    ctl["name"].value = "cube"
    assert fig.values["name"] == "cube"
    assert fig._image.value == fig.render(w=2.5, name="cube")
    assert len(fig.redraw_times) == 2


def test_instances_registry_lists_live_figures_in_creation_order():
    a, b = make("live"), make("static")
    live = wmod.instances()
    assert live.index(a) < live.index(b)


def test_display_bundles(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    live, static = make("live"), make("static")
    live._ipython_display_()
    static._ipython_display_()
    (lb, lraw), (sb, sraw) = shown
    assert lraw and sraw
    assert set(lb) == {"application/vnd.jupyter.widget-view+json", "text/plain"}
    assert lb["application/vnd.jupyter.widget-view+json"]["model_id"] == live._box.model_id
    assert set(sb) == {"text/html", "text/plain"} and sb["text/html"].startswith('<div class="actw"')
    # nbval compares text/plain: it must be deterministic and free of memory addresses
    assert lb["text/plain"] == sb["text/plain"] == (
        "Interactive figure: tanh of w x with w = 1.00 -- w in [0.5, 3]; name in {tanh, cube}")
