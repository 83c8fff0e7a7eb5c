"""Tests for activations.elementwise: accuracy against mpmath, special values, rules, identities.

The mpmath references (``REF``) and the vectorised ulp helpers defined here are
also used by tests/test_registry.py and benchmarks/bench_elementwise.py.
"""
from __future__ import annotations

import doctest
import functools
import inspect
import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import activations.elementwise as E
from oracle import ulp_error  # also sets mpmath to 50 digits

mp.mp.dps = 50

# --------------------------------------------------------------------------
# mpmath references: REF[name] = (f, f') as functions of an mpf x and the
# keyword parameters of the NumPy function.  They follow the mathematical
# definitions literally (no numerical tricks), at 50 significant digits.
# --------------------------------------------------------------------------
_SELU_L = mp.mpf("1.0507009873554804934193349852946")
_SELU_A = mp.mpf("1.6732632423543772848170429916717")
_GT_A = mp.mpf("0.044715")


def _sig(x):
    return 1 / (1 + mp.exp(-x))


def _ind(c):
    return mp.mpf(1) if c else mp.mpf(0)


def _tanhshrink(x):
    if x == 0:
        return mp.mpf(0)
    # x − tanh x loses ~2·log10(1/|x|) digits to cancellation: add them back.
    extra = max(0, int(-2 * mp.log10(abs(x)))) + 10
    with mp.workdps(mp.mp.dps + extra):
        return +(x - mp.tanh(x))


def _gelu(x):
    if x < -1000:  # |value| < 1e-217000: mpmath's erfc cannot take the argument
        return mp.mpf(0)
    return x * mp.ncdf(x)


def _gelu_d(x):
    if abs(x) > 1000:
        return _ind(x > 0)
    return mp.ncdf(x) + x * mp.npdf(x)


def _gelu_tanh(x):
    # x/2·(1 + tanh u) = x·σ(2u); the σ form avoids 1 + tanh u cancelling past 50 digits
    return x * _sig(2 * mp.sqrt(2 / mp.pi) * (x + _GT_A * x ** 3))


def _gelu_tanh_d(x):
    z = 2 * mp.sqrt(2 / mp.pi) * (x + _GT_A * x ** 3)
    dz = 2 * mp.sqrt(2 / mp.pi) * (1 + 3 * _GT_A * x ** 2)
    return _sig(z) + x * dz * _sig(z) * _sig(-z)


def _mish_d(x):
    th = mp.tanh(mp.log1p(mp.exp(x)))
    return th + x * (1 - th ** 2) * _sig(x)


REF = {
    "identity": (lambda x: x, lambda x: mp.mpf(1)),
    "step": (lambda x, threshold=0.0: _ind(x > threshold), lambda x, threshold=0.0: mp.mpf(0)),
    "sigmoid": (_sig, lambda x: _sig(x) * _sig(-x)),
    "tanh": (mp.tanh, lambda x: mp.sech(x) ** 2),
    "relu": (lambda x: max(x, 0), lambda x: _ind(x > 0)),
    "relu6": (lambda x: min(max(x, 0), 6), lambda x: _ind(0 < x < 6)),
    "leaky_relu": (lambda x, negative_slope=0.01: x if x > 0 else negative_slope * x,
                   lambda x, negative_slope=0.01: mp.mpf(1) if x > 0 else mp.mpf(negative_slope)),
    "prelu": (lambda x, weight=0.25: x if x > 0 else weight * x,
              lambda x, weight=0.25: mp.mpf(1) if x > 0 else mp.mpf(weight)),
    "rrelu": (lambda x, lower=0.125, upper=1 / 3: x if x >= 0 else (mp.mpf(lower) + upper) / 2 * x,
              lambda x, lower=0.125, upper=1 / 3: mp.mpf(1) if x > 0 else (mp.mpf(lower) + upper) / 2),
    "elu": (lambda x, alpha=1.0: x if x > 0 else alpha * mp.expm1(x),
            lambda x, alpha=1.0: mp.mpf(1) if x > 0 else alpha * mp.exp(x)),
    "celu": (lambda x, alpha=1.0: x if x > 0 else alpha * mp.expm1(x / alpha),
             lambda x, alpha=1.0: mp.mpf(1) if x > 0 else mp.exp(x / alpha)),
    "selu": (lambda x: _SELU_L * (x if x > 0 else _SELU_A * mp.expm1(x)),
             lambda x: _SELU_L * (1 if x > 0 else _SELU_A * mp.exp(x))),
    "gelu": (_gelu, _gelu_d),
    "gelu_tanh": (_gelu_tanh, _gelu_tanh_d),  # gelu(x, approximate='tanh')
    "silu": (lambda x: x * _sig(x), lambda x: _sig(x) * (1 + x * _sig(-x))),
    "mish": (lambda x: x * mp.tanh(mp.log1p(mp.exp(x))), _mish_d),
    "softplus": (lambda x, beta=1.0: mp.log1p(mp.exp(beta * x)) / beta,
                 lambda x, beta=1.0: _sig(beta * x)),
    "softsign": (lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x)) ** 2),
    "hardtanh": (lambda x, min_val=-1.0, max_val=1.0: min(max(x, min_val), max_val),
                 lambda x, min_val=-1.0, max_val=1.0: _ind(min_val < x < max_val)),
    "threshold": (lambda x, threshold=1.0, value=0.0: x if x > threshold else mp.mpf(value),
                  lambda x, threshold=1.0, value=0.0: _ind(x > threshold)),
    "tanhshrink": (_tanhshrink, lambda x: mp.tanh(x) ** 2),
    "softshrink": (lambda x, lambd=0.5: x - lambd if x > lambd else (x + lambd if x < -lambd else mp.mpf(0)),
                   lambda x, lambd=0.5: _ind(abs(x) > lambd)),
    "hardshrink": (lambda x, lambd=0.5: x if abs(x) > lambd else mp.mpf(0),
                   lambda x, lambd=0.5: _ind(abs(x) > lambd)),
    "logsigmoid": (lambda x: -mp.log1p(mp.exp(-x)), lambda x: _sig(-x)),
}


def numpy_fn(name, grad=False):
    """The NumPy function behind a REF key (gelu_tanh is gelu with approximate='tanh')."""
    if name == "gelu_tanh":
        fn = E.gelu_grad if grad else E.gelu
        return functools.partial(fn, approximate="tanh")
    return getattr(E, name + "_grad" if grad else name)


# --------------------------------------------------------------------------
# Vectorised ulp errors.  truth() evaluates a reference once per point and
# keeps it as hi = the correctly rounded float64 and r = (truth − hi) in
# float64 ulps of hi (so subnormal truths keep their fraction); ulps() then
# measures any float64 or float32 result without mpmath.  Cached, so float64,
# float32 and the benchmark share the mpmath work.
# --------------------------------------------------------------------------
_TINY64 = np.finfo(np.float64).smallest_subnormal


def _spacing64(h):
    with np.errstate(all="ignore"):
        return np.where(h == 0, _TINY64, np.spacing(np.abs(h)))


_TRUTH_CACHE: dict = {}


def _truth_point(ref, kw, x):
    t = ref(mp.mpf(x), **kw)
    h = float(t)
    if not math.isfinite(h):
        return h, 0.0
    return h, float((t - h) / mp.mpf(float(_spacing64(np.float64(h)))))


def truth(name, xs, grad=False, **params):
    """(hi, r): the reference rounded to float64 and its remainder in float64 ulps of hi."""
    xs = np.asarray(xs, dtype=np.float64).ravel()
    ref, kw = REF[name][1 if grad else 0], params
    cache = _TRUTH_CACHE.setdefault((name, grad, tuple(sorted(params.items()))), {})
    out = np.empty((2, xs.size))
    with np.errstate(all="ignore"):
        for i, x in enumerate(xs.tolist()):
            v = cache.get(x)
            if v is None:
                v = cache[x] = _truth_point(ref, kw, x)
            out[:, i] = v
    return out[0], out[1]


def ulps(got, hi, r, dtype=np.float64):
    """|got − truth| in ulps of dtype at the correctly rounded truth; inf for a wrong inf/NaN."""
    with np.errstate(all="ignore"):  # the measuring itself may overflow at the extremes
        got = np.asarray(got, dtype=np.float64)
        ref = hi.astype(dtype)
        sp64 = _spacing64(hi)
        if dtype == np.float64:
            err = np.abs((got - hi) / sp64 - r)
        else:
            tiny = np.finfo(dtype).smallest_subnormal
            sp = np.where(ref == 0, tiny, np.spacing(np.abs(ref))).astype(np.float64)
            err = np.abs((got - hi) - r * sp64) / sp
    bad = ~np.isfinite(got) | ~np.isfinite(ref)
    same = (got == ref) | (np.isnan(got) & np.isnan(ref))
    return np.where(bad, np.where(same, 0.0, np.inf), err)


# --------------------------------------------------------------------------
# Coefficient tables of activations.elementwise, regenerated from REF.
# test_tables_are_reproducible checks the module's literals against this.
# --------------------------------------------------------------------------
def _cheb_monomial(g, deg):
    """Monomial coefficients (in s on [-1, 1]) of the degree-`deg` Chebyshev interpolant of g."""
    n = deg + 1
    half = mp.mpf(1) / 2
    nodes = [mp.cos(mp.pi * (k + half) / n) for k in range(n)]
    values = [g(s) for s in nodes]
    cheb = [2 * mp.fsum(values[k] * mp.cos(mp.pi * j * (k + half) / n) for k in range(n)) / n
            for j in range(n)]
    cheb[0] /= 2
    T = [[mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]]
    for j in range(2, n):
        a = [mp.mpf(0)] + [2 * v for v in T[j - 1]]
        b = T[j - 2] + [mp.mpf(0)] * (len(a) - len(T[j - 2]))
        T.append([u - v for u, v in zip(a, b)])
    mono = [mp.mpf(0)] * n
    for j in range(n):
        for k, v in enumerate(T[j]):
            mono[k] += cheb[j] * v
    return tuple(float(v) for v in mono)


#: derivative -> (starting guess of its zero, polynomial windows [lo, hi), degree)
WINDOW_SPEC = {
    "gelu": (-0.75, [(-1.0, -0.5)], 16),
    "gelu_tanh": (-0.75, [(-1.5, -1.0), (-1.0, -0.5)], 18),
    "silu": (-1.28, [(-1.5, -1.0)], 16),
    "mish": (-1.19, [(-1.5, -0.75), (-0.75, 0.0)], 18),
}


def generate_tables():
    """All coefficient tables of activations.elementwise (a few seconds of mpmath)."""
    with mp.workdps(50):
        def mills(t):
            return mp.erfc(t / mp.sqrt(2)) * mp.exp(t * t / 2) / 2
        pieces = [_cheb_monomial(lambda s, c=mp.mpf(j) / 2 + mp.mpf(1) / 4: mills(c + s / 4), 12)
                  for j in range(16)]
        tail_s = _cheb_monomial(lambda s: (lambda t: t * mills(t))(8 / (mp.mpf("0.6") + mp.mpf("0.4") * s)), 14)
        tail = tuple(float(mp.mpf(v) / mp.mpf("0.4") ** k) for k, v in enumerate(tail_s))

        def tanhshrink_ratio(s):  # (x − tanh x)/x³ with y = x² = 0.64·(1 + s)
            y = mp.mpf("0.64") * (1 + s)
            with mp.workdps(120):
                x = mp.sqrt(y)
                return +((x - mp.tanh(x)) / x ** 3)
        tanhshrink = _cheb_monomial(tanhshrink_ratio, 17)
        # mish(x)/x = tanh(softplus(x)) on [−1, 0] with x = (s − 1)/2
        mish_ratio = _cheb_monomial(lambda s: mp.tanh(mp.log1p(mp.exp((s - 1) / 2))), 17)

        windows = {}
        for name, (guess, spans, deg) in WINDOW_SPEC.items():
            f = REF[name][1]
            r = mp.findroot(f, guess)
            hi = float(r)
            rows = []
            for lo_x, hi_x in spans:
                c, w = (mp.mpf(lo_x) + hi_x) / 2, (mp.mpf(hi_x) - lo_x) / 2

                def q(s, c=c, w=w, f=f, r=r):  # f'(x)/(x − r), smooth through the zero
                    x = c + w * s
                    return mp.diff(f, r) if abs(x - r) < mp.mpf(10) ** -20 else f(x) / (x - r)
                rows.append((lo_x, hi_x, hi, float(r - hi), _cheb_monomial(q, deg)))
            windows[name] = rows
    return {"mills_pieces": pieces, "mills_tail": tail, "tanhshrink": tanhshrink, "mish_ratio": mish_ratio,
            "windows": windows}


def tables_source(tables=None):
    """The tables as the Python source pasted at the end of activations/elementwise.py."""
    t = tables or generate_tables()

    def rows(seq, indent):
        return [indent + " ".join(repr(v) + "," for v in seq[i:i + 3]) for i in range(0, len(seq), 3)]
    out = ["# Φ(−t)·exp(t²/2) on 16 pieces [j/2, (j+1)/2): polynomial in s = 4(t − j/2 − 1/4) ∈ [−1, 1].",
           "_MILLS_PIECES = np.array(["]
    for p in t["mills_pieces"]:
        out += ["    ["] + rows(p, "        ") + ["    ],"]
    out += ["]).T.copy()  # row k holds the s**k coefficient of every piece, for np.take", "",
            "# t·Φ(−t)·exp(t²/2) for 8 <= t <= 40: polynomial in d = 8/t − 0.6 ∈ [−0.4, 0.4].",
            "_MILLS_TAIL = ("] + rows(t["mills_tail"], "    ") + [")", "",
            "# (x − tanh x)/x³ for x² < 1.28 (used for |x| < 1.1): polynomial in s = x²/0.64 − 1 ∈ [−1, 1].",
            "_TANHSHRINK_RATIO = ("] + rows(t["tanhshrink"], "    ") + [")", "",
            "# mish(x)/x = tanh(softplus(x)) for −1 <= x <= 0: polynomial in s = 2x + 1 ∈ [−1, 1].",
            "_MISH_RATIO = ("] + rows(t["mish_ratio"], "    ") + [")", "",
            "# f'(x) = (x − r)·Q(s) on [lo, hi), s = (x − centre)/half-width, r = r_hi + r_lo the zero of f'.",
            "_WINDOWS = {"]
    for name, ws in t["windows"].items():
        out.append(f'    "{name}": (')
        for lo_x, hi_x, r_hi, r_lo, co in ws:
            out.append(f"        _Window({lo_x!r}, {hi_x!r}, {r_hi!r}, {r_lo!r}, (")
            out += rows(co, "            ")
            out.append("        )),")
        out.append("    ),")
    out.append("}")
    return "\n".join(out) + "\n"


# ==========================================================================
# The tests
# ==========================================================================
pytestmark = pytest.mark.filterwarnings("error")  # any warning fails a test


@pytest.fixture(autouse=True)
def _raise_on_fp_errors():
    with np.errstate(all="raise"):
        yield


#: parameters used for functions whose PyTorch counterpart has required ones
DEFAULTS = {"prelu": {"weight": 0.25}, "threshold": {"threshold": 1.0, "value": 0.0}}
#: ulp tolerance (float64 and float32); exact GELU and its derivative: 8
TOL = {"gelu": 8.0}
FUNCS = [(name, grad) for name in REF for grad in (False, True)]
FUNC_IDS = [name + ("_grad" if grad else "") for name, grad in FUNCS]


def call(name, grad, x, **params):
    return numpy_fn(name, grad)(x, **{**DEFAULTS.get(name, {}), **params})


def _grid():
    """Dense grid on [-50, 50] plus points near 0, kinks, zeros of derivatives and tails.

    The dense part is float32-representable, so float32 tests reuse its truth.
    """
    dense = np.linspace(-50.0, 50.0, 2001).astype(np.float32).astype(np.float64)
    tiny = [1e-300, 1e-200, 1e-100, 1e-30, 1e-15, 1e-8, 1e-5, 1e-3, 0.01, 0.1]
    kinks = [0.0, 6.0, 1.0, -1.0, 0.5, -0.5]
    near_kinks = [np.nextafter(k, d) for k in kinks for d in (-np.inf, np.inf)] + \
                 [k + d for k in kinks for d in (-1e-9, 1e-9)]
    roots = [w[0].r_hi for w in E._WINDOWS.values()]
    near_roots = [r + d for r in roots for d in (-1e-6, -1e-12, 0.0, 1e-12, 1e-6)] + \
                 [np.nextafter(r, d) for r in roots for d in (-np.inf, np.inf)]
    edges = [0.25, 0.5, 0.75, 1.0, 1.0058, 1.1, 1.5, 2.0, 8.0, 37.0, 37.5, 38.0, 38.5, 40.0]  # table/branch edges
    tails = list(np.arange(20.0, 40.5, 0.5)) + [700.0, 705.0, 710.0, 740.0, 745.0, 1e3, 1e154, 1e308]
    pts = tiny + near_kinks + near_roots + edges + tails
    return np.unique(np.concatenate([dense, pts, -np.asarray(pts)]))


GRID = _grid()
GRID32 = np.concatenate([GRID[np.abs(GRID) <= 50][::3], [1e-45, -1e-45, 1e-38, -1e-38, 88.0, -88.0,
                                                         104.0, -104.0, 3e38, -3e38]])
GRID32 = GRID32.astype(np.float32)


@pytest.mark.parametrize("name,grad", FUNCS, ids=FUNC_IDS)
def test_accuracy_float64(name, grad):
    hi, r = truth(name, GRID, grad, **DEFAULTS.get(name, {}))
    u = ulps(call(name, grad, GRID), hi, r)
    worst = int(np.argmax(u))
    assert u[worst] <= TOL.get(name, 3.0), f"{u[worst]:.2f} ulp at x = {GRID[worst]!r}"


@pytest.mark.parametrize("name,grad", [("mish", False), ("mish", True), ("silu", True)])
def test_accuracy_on_random_points_across_branch_edges(name, grad):
    """Random points where these kernels switch formulas (mish's window [−1, 0], the −1.5
    edge of the double-double paths), between the dense grid's nodes."""
    xs = np.random.default_rng(17).uniform(-3.0, 1.0, 1500)
    hi, r = truth(name, xs, grad)
    u = ulps(call(name, grad, xs), hi, r)
    assert u.max() <= 3.0, f"{u.max():.2f} ulp at x = {xs[np.argmax(u)]!r}"


def test_tanhshrink_series_on_random_points():
    """x³·R(x²) for |x| < 1.1, with x³ as the exact sum xh³ + xl·(x² + x·xh + xh²): random
    points and magnitudes down to 1e-100. Measured <= 2.0 ulp on 85 000 points; x³ formed
    as x·x·x instead reaches 3, which this bound catches."""
    rng = np.random.default_rng(23)
    xs = np.concatenate([rng.uniform(-1.1, 1.1, 2000),
                         rng.choice([-1.0, 1.0], 1000) * 10.0 ** rng.uniform(-100, 0, 1000)])
    hi, r = truth("tanhshrink", xs, False)
    u = ulps(call("tanhshrink", False, xs), hi, r)
    assert u.max() <= 2.5, f"{u.max():.2f} ulp at x = {xs[np.argmax(u)]!r}"


def test_silu_grad_negative_on_random_points():
    """e·(1 + x + e)/(1 + e)² for x < 0 with 1 + x + e and e·(1 + x + e) error-free and
    (1 + e)² as 1 + e(2 + e): random points. Measured <= 2.1 ulp on 85 000 points; the plain
    formula (six roundings) reaches 4.3 there, which this bound catches."""
    rng = np.random.default_rng(29)
    xs = np.concatenate([rng.uniform(-40.0, 0.0, 2000), rng.uniform(-6.0, -0.3, 2000)])
    hi, r = truth("silu", xs, True)
    u = ulps(call("silu", True, xs), hi, r)
    assert u.max() <= 2.5, f"{u.max():.2f} ulp at x = {xs[np.argmax(u)]!r}"


@pytest.mark.parametrize("name,grad", FUNCS, ids=FUNC_IDS)
def test_accuracy_float32(name, grad):
    got = call(name, grad, GRID32)
    assert got.dtype == np.float32
    hi, r = truth(name, GRID32.astype(np.float64), grad, **DEFAULTS.get(name, {}))
    u = ulps(got, hi, r, np.float32)
    worst = int(np.argmax(u))
    assert u[worst] <= 1.0, f"{u[worst]:.2f} float32 ulp at x = {GRID32[worst]!r}"


VARIANTS = [
    ("step", {"threshold": 1.5}), ("leaky_relu", {"negative_slope": 0.2}),
    ("leaky_relu", {"negative_slope": 0.0}), ("prelu", {"weight": -0.1}),
    ("rrelu", {"lower": 0.1, "upper": 0.3}), ("elu", {"alpha": 0.5}), ("elu", {"alpha": 3.0}),
    ("celu", {"alpha": 0.5}), ("celu", {"alpha": 3.0}), ("celu", {"alpha": 0.1}),
    ("softplus", {"beta": 2.0}), ("softplus", {"beta": 0.5}), ("softplus", {"beta": 3.0}),
    ("softplus", {"beta": 10.0}), ("softplus", {"beta": 0.3}), ("hardtanh", {"min_val": -2.0, "max_val": 3.0}),
    ("threshold", {"threshold": 0.5, "value": -2.0}), ("softshrink", {"lambd": 1.0}),
    ("softshrink", {"lambd": 0.0}), ("hardshrink", {"lambd": 1.0}),
]
VGRID = np.unique(np.concatenate([np.linspace(-50, 50, 401), np.linspace(-3.5, 3.5, 141),
                                  [-700.0, -300.0, -200.0, -100.0, 1e-300, -1e-300, 100.0, 300.0]]))


@pytest.mark.parametrize("name,params", VARIANTS, ids=[f"{n}{p}" for n, p in VARIANTS])
@pytest.mark.parametrize("grad", [False, True], ids=["f", "grad"])
def test_accuracy_other_parameters(name, params, grad):
    hi, r = truth(name, VGRID, grad, **params)
    u = ulps(call(name, grad, VGRID, **params), hi, r)
    worst = int(np.argmax(u))
    assert u[worst] <= 3.0, f"{u[worst]:.2f} ulp at x = {VGRID[worst]!r}"


def test_vectorised_ulps_agree_with_oracle():
    xs = np.array([-745.0, -38.2, -3.3, -0.7, 1e-300, 0.4, 2.0, 30.0, 710.0])
    for name in ("sigmoid", "gelu", "mish", "tanhshrink", "softplus"):
        for dtype in (np.float64, np.float32):
            with np.errstate(all="ignore"):  # 1e-300 underflows to 0 in float32
                xd = xs.astype(dtype)
            got = call(name, False, xd)
            hi, r = truth(name, xd.astype(np.float64), False)
            mine = ulps(got, hi, r, dtype)
            with np.errstate(all="ignore"):  # the oracle's own spacing() may underflow
                ref = [ulp_error(g, REF[name][0](mp.mpf(float(x))), dtype) for g, x in zip(got, xd)]
            np.testing.assert_allclose(mine, ref, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", list(REF))
def test_reference_derivatives_match_mpmath_diff(name):
    """The closed-form derivatives in REF are right (checked against numerical differentiation)."""
    f, df = REF[name]
    kw = DEFAULTS.get(name, {})
    for x in (-7.3, -2.2, -1.1, -0.3, 0.2, 0.7, 1.3, 2.9, 8.1):
        want = mp.diff(lambda t: f(t, **kw), mp.mpf(x))
        assert abs(df(mp.mpf(x), **kw) - want) <= mp.mpf(10) ** -30 * (1 + abs(want)), (name, x)


# ---- special values ------------------------------------------------------
_I = np.inf
# name -> (f(+inf), f(-inf), f'(+inf), f'(-inf)) with default parameters
LIMITS = {
    "identity": (_I, -_I, 1, 1), "step": (1, 0, 0, 0), "sigmoid": (1, 0, 0, 0), "tanh": (1, -1, 0, 0),
    "relu": (_I, 0, 1, 0), "relu6": (6, 0, 0, 0), "leaky_relu": (_I, -_I, 1, 0.01),
    "prelu": (_I, -_I, 1, 0.25), "rrelu": (_I, -_I, 1, 11 / 48), "elu": (_I, -1, 1, 0),
    "celu": (_I, -1, 1, 0), "selu": (_I, -E._SELU_SCALE_ALPHA, E.SELU_SCALE, 0), "gelu": (_I, 0, 1, 0),
    "gelu_tanh": (_I, 0, 1, 0), "silu": (_I, 0, 1, 0), "mish": (_I, 0, 1, 0), "softplus": (_I, 0, 1, 0),
    "softsign": (1, -1, 0, 0), "hardtanh": (1, -1, 0, 0), "threshold": (_I, 0, 1, 0),
    "tanhshrink": (_I, -_I, 1, 1), "softshrink": (_I, -_I, 1, 1), "hardshrink": (_I, -_I, 1, 1),
    "logsigmoid": (0, -_I, 0, 1),
}


@pytest.mark.parametrize("name", list(REF))
def test_infinities(name):
    f_pos, f_neg, d_pos, d_neg = LIMITS[name]
    np.testing.assert_array_equal(call(name, False, np.array([_I, -_I])), [f_pos, f_neg])
    np.testing.assert_array_equal(call(name, True, np.array([_I, -_I])), [d_pos, d_neg])


@pytest.mark.parametrize("name,grad", FUNCS, ids=FUNC_IDS)
def test_nan_propagates(name, grad):
    out = call(name, grad, np.array([np.nan, 1.0, np.nan, -2.0]))
    assert np.isnan(out[[0, 2]]).all() and not np.isnan(out[[1, 3]]).any()
    assert np.isnan(call(name, grad, np.float32("nan")))


EXTREMES = np.array([0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 709.0, -709.0, 710.0, -710.0, 745.0,
                     -745.0, 746.0, -746.0, 800.0, -800.0, 1e154, -1e154, 1e300, -1e300, 1.7976931348623157e308,
                     -1.7976931348623157e308, _I, -_I, np.nan])


@pytest.mark.parametrize("name,grad", FUNCS, ids=FUNC_IDS)
def test_no_warnings_and_no_spurious_values_at_extremes(name, grad):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = call(name, grad, EXTREMES)  # errstate(all='raise') is active
        out32 = call(name, grad, np.float32([0, 1e-45, -1e-45, 3e38, -3e38, _I, -_I, np.nan]))
    assert out32.dtype == np.float32 and np.isnan(out32[-1]) and not np.isnan(out32[:-1]).any()
    finite = np.isfinite(EXTREMES) & (np.abs(EXTREMES) < 1e300)
    hi, r = truth(name, EXTREMES[finite], grad, **DEFAULTS.get(name, {}))
    assert ulps(out[finite], hi, r).max() <= TOL.get(name, 3.0)


def test_overflow_to_inf_only_when_true_value_overflows():
    big = np.array([1.7976931348623157e308])
    assert E.selu(big)[0] == np.inf  # λ·x > max float: inf is the correctly rounded value
    assert E.selu(1e308) == E.SELU_SCALE * 1e308
    assert np.isfinite(E.softplus(1.7976931348623157e308, beta=1e-300))
    assert E.softplus(-1e308, beta=1e300) == 0.0  # β·x overflows internally, silently
    assert E.gelu(np.float32(3e38)) == np.float32(3e38)


def test_kink_conventions():
    assert E.relu_grad(0.0) == 0.0 and E.relu6_grad(0.0) == 0.0 and E.relu6_grad(6.0) == 0.0
    assert E.leaky_relu_grad(0.0, negative_slope=0.1) == 0.1
    assert E.prelu_grad(0.0, weight=0.3) == 0.3
    assert E.rrelu_grad(0.0) == (1 / 8 + 1 / 3) / 2
    assert E.elu_grad(0.0, alpha=2.0) == 2.0 and E.celu_grad(0.0, alpha=2.0) == 1.0
    assert E.selu_grad(0.0) == E._SELU_SCALE_ALPHA
    assert E.hardtanh_grad(-1.0) == 0.0 and E.hardtanh_grad(1.0) == 0.0
    assert E.softshrink_grad(0.5) == 0.0 and E.hardshrink_grad(-0.5) == 0.0
    assert E.step(0.0) == 0.0 and E.step(1.0, threshold=1.0) == 0.0 and E.step_grad(0.0) == 0.0
    assert E.threshold(1.0, 1.0, -5.0) == -5.0 and E.threshold_grad(1.0, 1.0, -5.0) == 0.0
    assert E.hardshrink(0.5) == 0.0 and E.hardshrink(np.nextafter(0.5, 1)) == np.nextafter(0.5, 1)


def test_subnormal_and_tail_values():
    # silu(-710) is normal although e^-710 is not; gelu(-38) is subnormal, not 0
    assert ulps(E.silu(np.array([-710.0])), *truth("silu", np.array([-710.0])))[0] <= 3
    assert 0 > E.gelu(-38.0) > -1e-300
    assert E.gelu(-38.5) != 0 and E.gelu(-39.0) == 0
    assert E.sigmoid(-745.0) == 5e-324 and E.tanh_grad(372.0) > 0
    assert E.tanhshrink(1e-300) == 0.0 and E.tanhshrink(1e-100) > 0  # (1e-300)³/3 underflows


# ---- dtype, shape and scalar rules ---------------------------------------
ALL_PUBLIC = [n for n in E.__all__ if callable(getattr(E, n))]


def _call_public(name, x, **kw):
    fn = getattr(E, name)
    base = name.removesuffix("_grad").removesuffix("_weight")
    return fn(x, **{**DEFAULTS.get(base, {}), **kw})


@pytest.mark.parametrize("name", ALL_PUBLIC)
def test_dtypes_shapes_and_scalars(name):
    x64 = np.linspace(-3, 3, 12).reshape(3, 4)
    out = _call_public(name, x64)
    assert out.dtype == np.float64 and out.shape == (3, 4)
    assert _call_public(name, x64.astype(np.float32)).dtype == np.float32
    for ints in (np.arange(-3, 3), [-1, 0, 2], np.array([True, False])):
        assert _call_public(name, ints).dtype == np.float64
    assert _call_public(name, np.float16(1.5)).dtype == np.float64
    s = _call_public(name, 1.5)
    assert isinstance(s, np.float64) and np.ndim(s) == 0
    assert isinstance(_call_public(name, np.float32(-1.5)), np.float32)
    assert isinstance(_call_public(name, 2), np.float64)
    zero_d = _call_public(name, np.array(0.7))
    assert isinstance(zero_d, np.ndarray) and zero_d.shape == ()
    assert _call_public(name, np.empty((0, 3))).shape == (0, 3)


@pytest.mark.parametrize("name", ALL_PUBLIC)
def test_input_not_modified_and_layout_independent(name):
    base = np.random.default_rng(3).normal(0, 20, (6, 8))
    for x in (base, np.asfortranarray(base), base[:, ::2], base.astype(np.float32)):
        before = x.copy()
        out = _call_public(name, x)
        np.testing.assert_array_equal(x, before)
        np.testing.assert_array_equal(out, _call_public(name, np.ascontiguousarray(x)))
    lst = [-1.0, 0.5, 3.0]
    _call_public(name, lst)
    assert lst == [-1.0, 0.5, 3.0]


# ---- errors --------------------------------------------------------------
@pytest.mark.parametrize("name", ALL_PUBLIC)
@pytest.mark.parametrize("bad", [np.array([1 + 2j]), 1j, "1.0", b"1", None, np.array(["a"]),
                                 np.array([object()], dtype=object), [1, "a"]],
                         ids=["complex-array", "complex", "str", "bytes", "None", "str-array",
                              "object-array", "mixed-list"])
def test_type_errors_name_the_function(name, bad):
    with pytest.raises(TypeError, match=f"^{name}: "):
        _call_public(name, bad)


BAD_PARAMS = [
    (E.celu, {"alpha": 0.0}, "alpha must be > 0"), (E.celu, {"alpha": -1.0}, "alpha must be > 0"),
    (E.celu_grad, {"alpha": -1.0}, "alpha must be > 0"),
    (E.softplus, {"beta": 0.0}, "beta must be > 0"), (E.softplus_grad, {"beta": -2.0}, "beta must be > 0"),
    (E.rrelu, {"lower": 0.5, "upper": 0.25}, "lower must be <= upper"),
    (E.rrelu_grad, {"lower": 0.5, "upper": 0.25}, "lower must be <= upper"),
    (E.rrelu, {"lower": -0.1}, "lower must be >= 0"), (E.rrelu, {"upper": 1.5}, "upper must be <= 1"),
    (E.hardtanh, {"min_val": 1.0, "max_val": 1.0}, "min_val must be < max_val"),
    (E.hardtanh_grad, {"min_val": 2.0, "max_val": -1.0}, "min_val must be < max_val"),
    (E.softshrink, {"lambd": -0.5}, "lambd must be >= 0"), (E.softshrink_grad, {"lambd": -1.0}, "lambd must be >= 0"),
    (E.hardshrink, {"lambd": -0.5}, "lambd must be >= 0"), (E.hardshrink_grad, {"lambd": -1.0}, "lambd must be >= 0"),
    (E.gelu, {"approximate": "exact"}, "approximate must be 'none' or 'tanh'"),
    (E.gelu, {"approximate": None}, "approximate must be 'none' or 'tanh'"),
    (E.gelu_grad, {"approximate": "Tanh"}, "approximate must be 'none' or 'tanh'"),
    (E.elu, {"alpha": float("nan")}, "alpha must be finite"),
    (E.leaky_relu, {"negative_slope": float("inf")}, "negative_slope must be finite"),
    (E.step, {"threshold": float("nan")}, "threshold must be finite"),
    (E.threshold, {"threshold": float("nan"), "value": 0.0}, "threshold must be finite"),
    (E.prelu, {"weight": [0.1, 0.2, 0.3]}, "weight has 3 entries but x has 4 channels along axis 1"),
    (E.prelu, {"weight": [[0.1, 0.2]]}, "weight must be a scalar or 1-D"),
    (E.prelu, {"weight": float("nan")}, "weight must be finite"),
    (E.prelu_grad, {"weight": [0.1, 0.2], "axis": 5}, "no channel axis 5"),
    (E.prelu_weight_grad, {"weight": [0.1, 0.2, 0.3]}, "weight has 3 entries"),
    (E.rrelu_grad, {"slopes": np.ones(5)}, "slopes of shape (5,) do not broadcast"),
]


@pytest.mark.parametrize("fn,params,msg", BAD_PARAMS, ids=[f"{f.__name__}-{m}" for f, _, m in BAD_PARAMS])
def test_value_errors_name_the_function(fn, params, msg):
    x = np.zeros((2, 4, 3))
    with pytest.raises(ValueError) as info:
        fn(x, **params)
    assert str(info.value).startswith(fn.__name__ + ": ") and msg in str(info.value)


@pytest.mark.parametrize("fn,params", [
    (E.elu, {"alpha": "1"}), (E.softplus, {"beta": None}), (E.leaky_relu, {"negative_slope": True}),
    (E.rrelu, {"training": 1}), (E.rrelu, {"return_slopes": "yes"}), (E.prelu, {"weight": "a"}),
    (E.rrelu, {"training": True, "rng": "seed"}), (E.rrelu_grad, {"training": True, "rng": -1.5}),
    (E.prelu, {"weight": [0.1, 0.2], "axis": 1.0}), (E.threshold, {"threshold": 1j, "value": 0.0}),
])
def test_parameter_type_errors(fn, params):
    with pytest.raises(TypeError, match=f"^{fn.__name__}: "):
        fn(np.zeros((3, 2)), **params)


def test_prelu_channels():
    x = np.array([[[-1.0, 2.0], [-1.0, 2.0], [-1.0, 2.0]]])  # (N=1, C=3, L=2)
    w = np.array([0.1, 0.2, 0.3])
    np.testing.assert_array_equal(E.prelu(x, w)[0, :, 0], -w)
    np.testing.assert_array_equal(E.prelu_grad(x, w)[0, :, 0], w)
    np.testing.assert_array_equal(E.prelu_grad(x, w)[0, :, 1], 1.0)
    np.testing.assert_array_equal(E.prelu_weight_grad(x, w)[0, :, 0], -1.0)
    np.testing.assert_array_equal(E.prelu_weight_grad(x, w)[0, :, 1], 0.0)
    chan_last = np.moveaxis(x, 1, -1)
    np.testing.assert_array_equal(E.prelu(chan_last, w, axis=-1), np.moveaxis(E.prelu(x, w), 1, -1))
    v = np.array([-1.0, -2.0, 3.0])  # 1-D: only with an explicit axis, as in torch
    np.testing.assert_array_equal(E.prelu(v, w, axis=0), [-0.1, -0.4, 3.0])
    with pytest.raises(ValueError, match="^prelu: .*no channel axis 1"):
        E.prelu(v, w)
    assert E.prelu(-2.0, [0.5]) == -1.0  # a length-1 weight is a scalar
    assert E.prelu(-np.inf, 0.0) == 0.0  # 0·(−inf) taken as the limit 0, not NaN


def test_rrelu_training_and_slopes():
    x = np.linspace(-3, 3, 50).reshape(5, 10)
    y1, a1 = E.rrelu(x, training=True, rng=7, return_slopes=True)
    y2 = E.rrelu(x, training=True, rng=7)
    np.testing.assert_array_equal(y1, y2)  # a seed reproduces the draw
    assert a1.shape == x.shape and ((a1 >= 1 / 8) & (a1 <= 1 / 3)).all()
    neg = x < 0
    np.testing.assert_allclose(y1[neg], a1[neg] * x[neg], rtol=0)
    np.testing.assert_array_equal(y1[~neg], x[~neg])
    g = E.rrelu_grad(x, training=True, rng=7)
    np.testing.assert_array_equal(g, E.rrelu_grad(x, slopes=a1))
    np.testing.assert_array_equal(g[neg], a1[neg])
    gen = np.random.default_rng(1)
    assert not np.array_equal(E.rrelu(x, training=True, rng=gen), E.rrelu(x, training=True, rng=gen))
    mean = (0.1 + 0.3) / 2  # evaluation mode: slope is the mean
    np.testing.assert_array_equal(E.rrelu(x, lower=0.1, upper=0.3), np.where(x >= 0, x, mean * x))
    y, a = E.rrelu(-2.0, return_slopes=True)
    assert isinstance(y, np.float64) and a == (1 / 8 + 1 / 3) / 2
    assert E.rrelu(-np.inf, lower=0.0, upper=0.0) == 0.0


def test_gelu_tail_is_representable_where_torch_returns_zero():
    x = np.array([-8.5, -10.0, -20.0, -30.0, -37.0])
    hi, r = truth("gelu", x, False)
    out = E.gelu(x)
    assert (out < 0).all() and ulps(out, hi, r).max() <= 8


# ---- identities (hypothesis) ---------------------------------------------
finite = st.floats(-700, 700, allow_nan=False, allow_infinity=False)
moderate = st.floats(-30, 30, allow_nan=False, allow_infinity=False)
EPS = float(np.finfo(float).eps)


@settings(max_examples=200, deadline=None)
@given(moderate)
def test_sigmoid_symmetry(x):
    # 1 − σ(x) is exact for σ(x) >= 1/2 (Sterbenz), so compare there in absolute terms
    x = abs(x)
    sp, sm = float(E.sigmoid(x)), float(E.sigmoid(-x))
    assert abs(sm - (1.0 - sp)) <= 4 * EPS * 0.5
    assert abs(sp + sm - 1.0) <= 2 * EPS


@settings(max_examples=200, deadline=None)
@given(moderate)
def test_tanh_is_a_rescaled_sigmoid(x):
    assert abs(float(E.tanh(x)) - (2 * float(E.sigmoid(2 * x)) - 1)) <= 4 * EPS


@settings(max_examples=200, deadline=None)
@given(finite, st.floats(1e-3, 1e3))
def test_relu_family_scale_equivariance(x, alpha):
    for name, kw in [("relu", {}), ("leaky_relu", {"negative_slope": 0.3}), ("prelu", {"weight": 0.25}),
                     ("rrelu", {}), ("identity", {})]:
        fn = getattr(E, name)
        lhs, rhs = float(fn(alpha * x, **kw)), alpha * float(fn(x, **kw))  # Python floats: no FP traps
        assert abs(lhs - rhs) <= 3 * EPS * abs(rhs) + 1e-300, name


@settings(max_examples=200, deadline=None)
@given(finite, st.sampled_from([0.5, 1.0, 2.0, 3.0]))
def test_softplus_identities(x, beta):
    sp, sm = float(E.softplus(x, beta)), float(E.softplus(-x, beta))
    assert abs((sp - sm) - x) <= 4 * EPS * max(abs(x), sp, sm, 1e-300)
    assert E.logsigmoid(x) == -E.softplus(-x)  # same formula, so exactly equal
    assert float(E.softplus_grad(x, beta)) + float(E.softplus_grad(-x, beta)) == pytest.approx(1.0, abs=2 * EPS)


@settings(max_examples=200, deadline=None)
@given(finite)
def test_selu_is_scaled_elu(x):
    want = E.SELU_SCALE * float(E.elu(x, alpha=E.SELU_ALPHA))
    assert abs(float(E.selu(x)) - want) <= 4 * EPS * abs(want) + 1e-300
    assert abs(float(E.selu_grad(x)) - E.SELU_SCALE * float(E.elu_grad(x, alpha=E.SELU_ALPHA))) <= 8 * EPS


@settings(max_examples=200, deadline=None)
@given(st.floats(-12, 12))
def test_gelu_tanh_approximation_error(x):
    # max |tanh form − exact| over the real line is 4.73e-4 (at x ≈ ±2.70); derivative 8.7e-4
    assert abs(float(E.gelu(x, "tanh")) - float(E.gelu(x))) <= 4.8e-4
    assert abs(float(E.gelu_grad(x, "tanh")) - float(E.gelu_grad(x))) <= 8.8e-4


@settings(max_examples=200, deadline=None)
@given(finite)
def test_silu_mish_gelu_bounded_by_relu(x):
    for fn in (E.silu, E.mish, E.gelu):
        y = float(fn(x))
        assert y <= max(x, 0.0) + 1e-300 and (y >= x or x >= 0)


@settings(max_examples=100, deadline=None)
@given(st.floats(-20, 20))
def test_derivatives_match_central_differences(x):
    for name, grad in FUNCS:
        if grad or name in ("step", "threshold", "hardshrink"):
            continue
        kinks = {"relu": [0], "relu6": [0, 6], "leaky_relu": [0], "prelu": [0], "rrelu": [0],
                 "selu": [0], "hardtanh": [-1, 1], "softshrink": [-0.5, 0.5],
                 "softsign": [0], "elu": [0], "celu": [0]}.get(name, [])  # last three: f'' jumps
        if any(abs(x - k) < 1e-4 for k in kinks):
            continue
        h = 1e-6 * max(1.0, abs(x))
        fd = (float(call(name, False, x + h)) - float(call(name, False, x - h))) / (2 * h)
        assert float(call(name, True, x)) == pytest.approx(fd, rel=1e-6, abs=1e-8), name


# ---- tables, docs --------------------------------------------------------
def test_tables_are_reproducible():
    t = generate_tables()
    np.testing.assert_allclose(E._MILLS_PIECES, np.array(t["mills_pieces"]).T, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(E._MILLS_TAIL, t["mills_tail"], rtol=1e-14)
    np.testing.assert_allclose(E._TANHSHRINK_RATIO, t["tanhshrink"], rtol=1e-14)
    np.testing.assert_allclose(E._MISH_RATIO, t["mish_ratio"], rtol=1e-14)
    assert set(E._WINDOWS) == set(t["windows"])
    for ws in E._WINDOWS.values():  # _windows gathers their union [first lo, last hi) at once
        assert all(w.hi == nxt.lo for w, nxt in zip(ws, ws[1:]))
    for name, rows in t["windows"].items():
        for w, (lo_x, hi_x, r_hi, r_lo, co) in zip(E._WINDOWS[name], rows, strict=True):
            assert (w.lo, w.hi, w.r_hi) == (lo_x, hi_x, r_hi) and abs(w.r_lo - r_lo) <= 1e-32
            np.testing.assert_allclose(w.coeffs, co, rtol=1e-13, atol=1e-30)


def test_docstring_examples_are_correct():
    result = doctest.testmod(E, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 40


@pytest.mark.parametrize("name", ALL_PUBLIC)
def test_docstrings_read_well(name):
    fn = getattr(E, name)
    doc = inspect.getdoc(fn)
    assert doc and ">>>" in doc, name
    assert list(inspect.signature(fn).parameters)[0] == "x"
    if not name.endswith("_grad"):
        assert "math::" in doc and ("PyTorch" in doc), name
        torch_name = "torch.nn.functional." + name
        assert torch_name in doc or name in ("identity", "step"), name


def test_large_inputs_are_computed_in_blocks_with_identical_results():
    """Above 2 * _CHUNK elements the kernels run block by block: same bits as small calls."""
    from activations import elementwise as E

    x = np.random.default_rng(5).normal(0, 8, size=(3, E._CHUNK + 17))
    assert x.size > 2 * E._CHUNK
    pieces = np.array_split(x.ravel(), 40)  # each far below the block size
    assert max(p.size for p in pieces) < E._CHUNK
    for name in E.__all__:
        f = getattr(E, name)
        if not callable(f) or name.startswith(("prelu", "rrelu")):
            continue
        kwargs = {"threshold": 0.5, "value": -1.0} if name.startswith("threshold") else {}
        want = np.concatenate([f(p, **kwargs) for p in pieces]).reshape(x.shape)
        np.testing.assert_array_equal(f(x, **kwargs), want, err_msg=name)
