"""Every property declared in activations.registry, checked numerically for every record.

``check_record`` recomputes each property from the functions themselves and
returns the list of disagreements; the mutation tests at the end show that a
deliberately wrong declaration is caught, so a table rendered from the
registry cannot silently be wrong.
"""
from __future__ import annotations

import dataclasses
import inspect
import math
import re

import mpmath as mp
import numpy as np
import pytest

import activations.elementwise as E
from activations import registry as R
from activations.registry import REGISTRY, OutputRange

import test_elementwise as TE  # the mpmath references REF (module import: its tests are not re-collected)

pytestmark = pytest.mark.filterwarnings("error")

H = 1.0 / 1024.0
FINE = np.arange(-10 * 1024, 10 * 1024 + 1) * H  # step 2^-10 on [-10, 10]: every kink and jump is a grid point
TAILS = np.geomspace(10.0, 1e300, 400)[1:]
WIDE = np.concatenate([-TAILS[::-1], FINE, TAILS])  # ascending
EXPECTED_CHAPTERS = {
    1: {"identity", "step"},
    3: {"sigmoid", "tanh", "softsign", "hardtanh", "logsigmoid", "tanhshrink"},
}  # chapter 4: all the others


def _clusters(idx):
    """Group sorted indices that are at most 2 apart (one irregular point can touch 2 intervals)."""
    groups = []
    for i in idx:
        if groups and i - groups[-1][-1] <= 2:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _ulp(v):
    return float(np.spacing(abs(v))) if v != 0 else 5e-324


def _stationary_point(rec, a, b):
    """A zero of f' in [a, b] by bisection (the midpoint if f' keeps its sign)."""
    ga, gb = float(rec.derivative(a)), float(rec.derivative(b))
    if ga * gb > 0:
        return 0.5 * (a + b)
    for _ in range(200):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        gm = float(rec.derivative(m))
        if (gm > 0) == (ga > 0):
            a, ga = m, gm
        else:
            b = m
    return 0.5 * (a + b)


def check_record(rec) -> list[str]:
    """Disagreements between the declared properties of ``rec`` and its functions."""
    bad = _param_problems(rec)
    if bad:
        return bad  # the functions cannot even be called as declared
    with np.errstate(all="raise"):
        y = np.asarray(rec(WIDE), dtype=float)
        yf = np.asarray(rec(FINE), dtype=float)
        g = np.asarray(rec.derivative(FINE), dtype=float)
    if not np.isfinite(yf).all() or not np.isfinite(g).all():
        bad.append("values: non-finite output on [-10, 10]")

    # -- identity of the record -------------------------------------------
    if rec.fn.__name__ != rec.name or rec.grad.__name__ != rec.name + "_grad":
        bad.append(f"fn/grad: {rec.fn.__name__}/{rec.grad.__name__} do not match the name")
    want_chapter = next((c for c, names in EXPECTED_CHAPTERS.items() if rec.name in names), 4)
    if rec.chapter != want_chapter:
        bad.append(f"chapter: {rec.chapter}, the book teaches it in chapter {want_chapter}")

    # -- continuity / jumps, kinks (on the grid h = 2^-10) ----------------
    df = np.diff(yf)
    jump_idx = np.flatnonzero(np.abs(df) > 0.05)  # continuous ones move < 0.002 per step here
    jumps = _clusters(list(jump_idx))
    if len(jumps) != rec.jumps:
        bad.append(f"jumps: declared {rec.jumps}, found {len(jumps)}")
    if rec.continuous != (len(jumps) == 0):
        bad.append(f"continuous: declared {rec.continuous}, found {len(jumps)} jump(s)")
    slope = df / H
    near_jump = np.zeros(slope.size, bool)
    for i in jump_idx:
        near_jump[max(i - 2, 0):i + 3] = True
    dslope = np.diff(slope)
    kink_idx = [i for i in np.flatnonzero(np.abs(dslope) > 0.05) if not (near_jump[i] or near_jump[i + 1])]
    kinks = _clusters(kink_idx)
    if len(kinks) != rec.kinks:
        bad.append(f"kinks: declared {rec.kinks}, found {len(kinks)}")
    irregular = [FINE[c[0] + 1] for c in jumps + kinks]
    for xk in [FINE[c[0] + 1] for c in kinks]:  # the derivative itself must jump there
        gl, gr = rec.derivative(np.array([xk - 1e-6, xk + 1e-6]))
        if abs(gl - gr) < 1e-3:
            bad.append(f"kinks: f' does not jump at the kink x = {xk}")

    # -- smoothness: C^inf is checked as "f'' has no jump" -----------------
    dg = np.diff(g) / H
    clean = ~np.array([any(abs(FINE[i] - xk) < 4 * H for xk in irregular) for i in range(dg.size - 1)])
    f2_jumps = np.flatnonzero((np.abs(np.diff(dg)) > 0.2) & clean)
    if rec.smooth and (not rec.continuous or rec.kinks or f2_jumps.size):
        bad.append("smooth: declared C-infinity but f, f' or f'' jumps")
    if not rec.smooth and rec.continuous and rec.kinks == 0 and f2_jumps.size == 0:
        bad.append("smooth: declared not smooth but no jump in f, f' or f'' was found")

    # -- monotonicity --------------------------------------------------------
    d_wide = np.diff(y)
    if rec.monotonic == "increasing":
        if not (df > 0).all() or not (d_wide >= 0).all():
            bad.append("monotonic: declared increasing but f is flat or decreases somewhere")
    elif rec.monotonic == "non-decreasing":
        if not (d_wide >= 0).all():
            bad.append("monotonic: declared non-decreasing but f decreases somewhere")
        elif not (df == 0).any():
            bad.append("monotonic: declared non-decreasing but f is strictly increasing (say 'increasing')")
    elif not (df < -1e-12).any():
        bad.append("monotonic: declared not monotonic but f never decreases")

    # -- output range and boundedness ---------------------------------------
    rg = rec.output_range
    interior = np.abs(FINE) < 9.5
    for end, val, attained, sign in (("lo", rg.lo, rg.lo_attained, -1), ("hi", rg.hi, rg.hi_attained, 1)):
        extreme = y.max() if sign > 0 else y.min()
        if math.isinf(val):
            if abs(extreme) < 1e100 or np.sign(extreme) != sign:
                bad.append(f"output_range: {end} = {val} but f stays near {extreme:.3g}")
            continue
        # an interior extremum is located exactly as a zero of f' (the grid only brackets it)
        i = int(np.argmax(np.where(interior, sign * yf, -np.inf)))
        inner = float(rec(_stationary_point(rec, FINE[i] - H, FINE[i] + H)))
        extreme = max(sign * extreme, sign * inner) * sign
        tol = 4 * _ulp(val)
        if sign * (extreme - val) > tol:
            bad.append(f"output_range: f reaches {extreme!r} beyond {end} = {val!r}")
        if abs(extreme - val) > max(1e-9 * (1 + abs(val)), tol):
            bad.append(f"output_range: {end} = {val!r} but the extreme value is {extreme!r}")
        if attained and abs(inner - val) > tol and not (interior & (yf == val)).any():
            bad.append(f"output_range: {end} declared attained but only approached")
        if not attained and (yf[np.abs(FINE) <= 15] == val).any():
            bad.append(f"output_range: {end} declared open but attained at a finite x")
    if rec.bounded_below != math.isfinite(rg.lo) or rec.bounded_above != math.isfinite(rg.hi):
        bad.append("bounded_below/bounded_above: inconsistent with the output range")

    # -- zero-centred: f(0) = 0 and both signs ---------------------------------
    zc = rec(0.0) == 0 and y.min() < 0 < y.max()
    if rec.zero_centred != zc:
        bad.append(f"zero_centred: declared {rec.zero_centred}, found {zc}")

    # -- positive homogeneity -------------------------------------------------
    rng = np.random.default_rng(0)
    a = np.exp(rng.uniform(np.log(1e-3), np.log(1e3), 2000))
    x = rng.normal(0, 10, 2000)
    lhs, rhs = rec(a * x), a * rec(x)
    rel = np.abs(lhs - rhs) / (np.abs(rhs) + 1e-300)
    if rec.scale_equivariant and rel.max() > 1e-14:
        bad.append(f"scale_equivariant: f(ax) != a f(x) (relative {rel.max():.2g})")
    if not rec.scale_equivariant and rel.max() < 1e-3:
        bad.append("scale_equivariant: declared False but f(ax) = a f(x) on every sample")

    # -- derivative against mpmath.diff of the 50-digit reference --------------
    ref = TE.REF[rec.name][0]
    kw = {k: v for k, v in rec.params.items() if k in inspect.signature(ref).parameters}
    for xv in rng.uniform(-6, 6, 12):
        if any(abs(xv - xk) < 1e-3 for xk in irregular):
            continue
        want = mp.diff(lambda t: ref(t, **kw), mp.mpf(xv))
        got = float(rec.derivative(xv))
        if abs(got - want) > 1e-12 * abs(want) + 1e-15:
            bad.append(f"grad: {got!r} at x = {xv!r}, mpmath.diff gives {mp.nstr(want, 17)}")
            break
        if abs(float(rec(xv)) - ref(mp.mpf(xv), **kw)) > 1e-13 * (1 + abs(float(rec(xv)))):
            bad.append(f"fn: differs from the reference at x = {xv!r}")
            break

    # -- latex, torch, family ---------------------------------------------------
    if "x" not in rec.latex or rec.latex.count("{") != rec.latex.count("}"):
        bad.append("latex: missing x or unbalanced braces")
    for p in rec.params:
        sym = R.PARAM_SYMBOLS[p]
        pattern = (r"(?<![A-Za-z\\])" if sym[0].isalpha() else "") + re.escape(sym) + r"(?![A-Za-z])"
        if not re.search(pattern, rec.latex):
            bad.append(f"latex: parameter {p} (symbol {sym}) does not appear")
    if rec.torch is not None and rec.torch != "torch.nn.functional." + rec.name:
        bad.append(f"torch: {rec.torch!r} is not torch.nn.functional.{rec.name}")
    if rec.torch is None and "torch" not in rec.note.lower():
        bad.append("torch: None without a note saying why")
    bad += _family_problems(rec, y, yf, g)
    return bad


def _param_problems(rec):
    bad = []
    sig = inspect.signature(rec.fn).parameters
    for p, v in rec.params.items():
        if p not in sig:
            bad.append(f"params: {p!r} is not a parameter of {rec.name}")
        elif sig[p].default is not inspect.Parameter.empty and sig[p].default != v:
            bad.append(f"params: {p}={v!r} but the default is {sig[p].default!r}")
    for p, spec in list(sig.items())[1:]:
        if spec.default is inspect.Parameter.empty and p not in rec.params:
            bad.append(f"params: required parameter {p!r} has no representative value")
    return bad


def _family_problems(rec, y, yf, g):
    fam, bad = rec.family, []
    if fam == "linear" and not np.array_equal(yf, FINE):
        bad.append("family: linear but f(x) != x")
    elif fam == "threshold":
        flat_or_identity = (g == 0) | (yf == FINE)
        if rec.continuous or not flat_or_identity.all():
            bad.append("family: threshold needs jumps and f constant or x elsewhere")
    elif fam == "sigmoid-like":
        sym = np.abs(yf + yf[::-1] - 2 * rec(0.0)).max()
        if not (math.isfinite(rec.output_range.lo) and math.isfinite(rec.output_range.hi)) or sym > 1e-12 \
                or rec.monotonic is False:
            bad.append("family: sigmoid-like needs bounded, monotone, point-symmetric f")
    elif fam == "relu-like":
        pos = (FINE > 0) & (FINE < 6)
        if len(np.unique(g[np.isfinite(g)])) > 3 or not np.array_equal(yf[pos], FINE[pos]):
            bad.append("family: relu-like needs piecewise-linear f with f(x) = x on (0, 6)")
    elif fam == "exponential-linear":
        pos, neg = FINE > 0.5, (FINE < -0.5) & (FINE > -8)
        ratio = yf[pos] / FINE[pos]
        curv = np.abs(np.diff(np.log(g[neg]), 2)).max() if (g[neg] > 0).all() else np.inf  # log f' linear
        if np.ptp(ratio) > 1e-12 or curv > 1e-9 or not math.isfinite(rec.output_range.lo):
            bad.append("family: exponential-linear needs f = c x for x > 0 and c' e^x below")
    elif fam == "smooth-relu":
        ends = np.array([-30.0, 30.0])
        f_ends = rec(ends)
        near = min(np.abs(f_ends - np.maximum(ends, 0)).max(), np.abs(f_ends - np.minimum(ends, 0)).max())
        if not rec.smooth or near > 1e-6:
            bad.append("family: smooth-relu needs C-infinity f tending to relu or min(x, 0)")
    elif fam == "shrinkage":
        odd = np.abs(yf + yf[::-1]).max()
        if odd > 1e-12 or (np.abs(yf) > np.abs(FINE)).any() or np.abs(y - WIDE).max() > 10:
            bad.append("family: shrinkage needs odd f with |f(x)| <= |x| and f(x) - x bounded")
    return bad


# ==========================================================================
@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_declared_property_holds(name):
    assert check_record(REGISTRY[name]) == []


def test_registry_covers_the_elementwise_module():
    public = {n for n in E.__all__ if callable(getattr(E, n)) and not n.endswith("_grad")}
    assert set(REGISTRY) == public
    assert list(REGISTRY) == R.names()  # book order
    assert [r.chapter for r in REGISTRY.values()] == sorted(r.chapter for r in REGISTRY.values())


def test_api_get_names_table():
    assert R.get("gelu") is REGISTRY["gelu"]
    with pytest.raises(KeyError, match="did you mean relu"):
        R.get("reluu")
    assert R.names(chapter=1) == ["identity", "step"]
    assert set(R.names(family="shrinkage")) == {"tanhshrink", "softshrink", "hardshrink"}
    rows = R.table()
    assert len(rows) == len(REGISTRY) and all(tuple(r) == R.ROW_KEYS for r in rows)
    relu = next(r for r in rows if r["name"] == "relu")
    assert relu["range"] == "[0, ∞)" and relu["range_latex"] == r"[0, \infty)" and relu["kinks"] == 1
    assert R.table(chapter=3, columns=["name", "smooth"])[0] == {"name": "sigmoid", "smooth": True}
    with pytest.raises(ValueError, match="^table: unknown columns"):
        R.table(columns=["name", "colour"])
    assert str(REGISTRY["sigmoid"].output_range) == "(0, 1)"
    np.testing.assert_array_equal(REGISTRY["leaky_relu"]([-1.0, 2.0]), [-0.01, 2.0])
    assert REGISTRY["prelu"].derivative(-1.0) == 0.25


def test_records_are_immutable():
    rec = REGISTRY["relu"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.kinks = 3
    with pytest.raises(TypeError):
        REGISTRY["relu"] = rec
    with pytest.raises(TypeError):
        REGISTRY["leaky_relu"].params["negative_slope"] = 0.5
    with pytest.raises(ValueError):
        dataclasses.replace(rec, family="wiggly")
    with pytest.raises(ValueError):
        OutputRange(0.0, math.inf, False, True)


# Each mutation makes one declaration false; check_record must notice and name the property.
MUTATIONS = [
    ("sigmoid", "output_range", OutputRange(0.0, 1.0, True, False)),
    ("relu", "output_range", OutputRange(0.0, math.inf, False, False)),
    ("tanh", "output_range", OutputRange(-1.0, 2.0, False, False)),
    ("gelu", "output_range", OutputRange(-0.2, math.inf, True, False)),
    ("elu", "output_range", OutputRange(-1.0, math.inf, True, False)),
    ("relu6", "output_range", OutputRange(0.0, math.inf, True, False)),
    ("relu", "monotonic", "increasing"),
    ("sigmoid", "monotonic", "non-decreasing"),
    ("gelu", "monotonic", "non-decreasing"),
    ("silu", "monotonic", "increasing"),
    ("tanh", "monotonic", False),
    ("relu6", "kinks", 1),
    ("elu", "kinks", 1),
    ("leaky_relu", "kinks", 0),
    ("step", "continuous", True),
    ("relu", "continuous", False),
    ("hardshrink", "jumps", 1),
    ("elu", "smooth", True),
    ("softsign", "smooth", True),
    ("gelu", "smooth", False),
    ("relu", "zero_centred", True),
    ("tanh", "zero_centred", False),
    ("softplus", "zero_centred", True),
    ("relu", "bounded_above", True),
    ("sigmoid", "bounded_below", False),
    ("relu6", "scale_equivariant", True),
    ("relu", "scale_equivariant", False),
    ("sigmoid", "grad", E.tanh_grad),
    ("mish", "grad", E.silu_grad),
    ("leaky_relu", "latex", r"f(x) = \max(x, 0)"),
    ("gelu", "torch", "torch.nn.functional.silu"),
    ("identity", "note", ""),
    ("sigmoid", "family", "relu-like"),
    ("softshrink", "family", "sigmoid-like"),
    ("silu", "family", "exponential-linear"),
    ("sigmoid", "chapter", 4),
    ("relu", "params", {"negative_slope": 0.1}),
    ("leaky_relu", "params", {"negative_slope": 0.2}),
    ("prelu", "params", {}),
]


@pytest.mark.parametrize("name,field,value", MUTATIONS, ids=[f"{n}.{f}={v!r}"[:60] for n, f, v in MUTATIONS])
def test_a_wrong_declaration_is_caught(name, field, value):
    mutated = dataclasses.replace(REGISTRY[name], **{field: value})
    problems = check_record(mutated)
    key = {"grad": "grad", "note": "torch", "jumps": "jumps", "params": "params"}.get(field, field)
    assert any(p.startswith(key) or key in p.split(":")[0] for p in problems), problems
