r"""Elementwise activation functions and their derivatives, side by side.

Every activation ``f(x, ...)`` has a partner ``f_grad(x, ...)`` with the same
parameters that returns :math:`\partial f / \partial x` elementwise.  Names and
parameter names follow ``torch.nn.functional``.

Conventions shared by every function
------------------------------------
* **Input.** Any real scalar or array-like.  float32 stays float32 and float64
  stays float64; ints, bools and float16 become float64.  A Python or NumPy
  scalar in gives a NumPy scalar out.  The input is never modified.  Complex
  numbers, strings, objects and ``None`` raise ``TypeError``; invalid
  parameters raise ``ValueError``.  Every message starts with the function name.
* **Accuracy.** Results are within a few units in the last place (ulp) of the
  exact value everywhere, including the far tails, ±inf and subnormal results
  (float32 is computed in float64 and rounded once).  NaN propagates.  No
  floating-point warning is raised for any input: underflow to a subnormal or
  zero result is the correct answer and is silenced inside each call, and all
  formulas are arranged so that overflow or ``inf - inf`` cannot happen.
* **Kinks.** Where the derivative jumps we return the one-sided value PyTorch's
  autograd returns, so gradients match a torch model bit-for-bit in spirit:

  ==============================  ===========================================
  function                        derivative at the kink
  ==============================  ===========================================
  relu, relu6, hardtanh           0 at every kink (x = 0, 6, min_val, max_val)
  leaky_relu, prelu, rrelu        the negative slope at x = 0
  elu / celu / selu               left derivative at 0: alpha / 1 / scale·alpha
  softshrink, hardshrink          0 at x = ±lambd
  step, threshold                 0 (also at the jump, where the true
                                  derivative is a Dirac delta)
  ==============================  ===========================================

Numerical tricks used below, each explained where it is used
-------------------------------------------------------------
* ``exp(-|x|)`` instead of ``exp(-x)`` so that nothing overflows and the
  small tail value is computed directly, not as ``1 - (something close to 1)``.
* Exact products (Dekker's, on halves split by a bit mask) where an argument of ``exp`` is
  large: ``exp(-x²/2)`` at x = -30 amplifies the rounding error of ``x²``
  450-fold, so ``x²`` is carried as an unevaluated sum ``hi + lo``.
* Scaling by 2⁶⁴ before ``exp`` when ``exp`` alone would be subnormal but the
  final product is not (``silu(-710)``).
* Double-double arithmetic (error-free TwoSum/TwoProduct) in the negative
  branches of SiLU', Mish' and the tanh-GELU: there a chain of five or
  six roundings after ``exp`` would add up to more than 3 ulp.
* A result written as ``A − A·v`` with v small (Mish): the roundings inside
  v are damped by v's size, so one formula without branches serves both signs.
* Polynomial approximations (tables at the end of the module, generated with
  mpmath at 50 digits by ``tests/test_elementwise.py::generate_tables``) for
  the normal tail, for Mish near 0 and for derivatives near their zeros,
  where every closed form cancels catastrophically or rounds too often.
"""
from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from ._checks import BLOCK, as_float_array, check_param, map_blocks, restore_scalar

__all__ = [
    "identity", "identity_grad",
    "step", "step_grad",
    "sigmoid", "sigmoid_grad",
    "tanh", "tanh_grad",
    "relu", "relu_grad",
    "relu6", "relu6_grad",
    "leaky_relu", "leaky_relu_grad",
    "prelu", "prelu_grad", "prelu_weight_grad",
    "rrelu", "rrelu_grad",
    "elu", "elu_grad",
    "celu", "celu_grad",
    "selu", "selu_grad",
    "gelu", "gelu_grad",
    "silu", "silu_grad",
    "mish", "mish_grad",
    "softplus", "softplus_grad",
    "softsign", "softsign_grad",
    "hardtanh", "hardtanh_grad",
    "threshold", "threshold_grad",
    "tanhshrink", "tanhshrink_grad",
    "softshrink", "softshrink_grad",
    "hardshrink", "hardshrink_grad",
    "logsigmoid", "logsigmoid_grad",
    "SELU_SCALE", "SELU_ALPHA",
]

#: SELU constants of Klambauer et al. (2017), rounded to float64.
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE_ALPHA = 1.7580993408473768  # scale·alpha from the 32-digit values, rounded once

_INV_SQRT_2PI = 0.3989422804014327  # 1/√(2π)
# gelu(approximate='tanh') = x·σ(z), z = C1·x + C3·x³, constants as double-doubles (hi, lo).
_GT_C1 = (1.5957691216057308, -9.96930880911092e-17)  # 2·√(2/π)
_GT_C3 = (0.07135481627260025, -6.175149918155315e-19)  # 2·√(2/π)·0.044715
_LN2_HI = 6.93147180369123816490e-01  # ln 2 to 32 bits, so 64·_LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10  # ln 2 − _LN2_HI
_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitting constant for float64
_TOP17 = np.int64(-(1 << 36))  # keeps a float64's sign, exponent and top 17 significant bits
_TOP26 = np.int64(-(1 << 27))  # ... and top 26


# --------------------------------------------------------------------------
# Plumbing: validation, dtype handling, warning control
# --------------------------------------------------------------------------
class _Ctx(NamedTuple):
    dtype: np.dtype
    shape: tuple
    x: object


def _prepare(x, fname):
    """Validated float64, C-contiguous, at-least-1-D working copy of x."""
    arr = as_float_array(x, fname, copy=False)  # kernels compute out of place; _finish never returns x
    work = np.ascontiguousarray(arr, dtype=np.float64).reshape(arr.shape or (1,))
    return work, _Ctx(arr.dtype, arr.shape, x)


def _finish(out, ctx):
    """Back to the caller's dtype and shape; scalar in, scalar out."""
    if isinstance(out, tuple):
        return tuple(_finish(o, ctx) for o in out)
    out = np.asarray(out)
    if isinstance(ctx.x, np.ndarray) and np.may_share_memory(out, ctx.x):
        out = out.copy()  # never hand back the caller's own array (identity, clamps that return x)
    if ctx.dtype != np.float64:
        with np.errstate(over="ignore", under="ignore"):  # rounding to float32 may truly give inf or 0
            out = out.astype(ctx.dtype)
    return restore_scalar(out.reshape(ctx.shape), ctx.x)


_CHUNK = BLOCK
#: Never split: kernels with per-element array parameters or random draws, and
#: single-pass kernels, for which blocks only add a copy (measured on 1e6 values).
_UNCHUNKED = frozenset({
    "prelu", "prelu_grad", "prelu_weight_grad", "rrelu", "rrelu_grad",
    "identity", "identity_grad", "step", "step_grad", "tanh", "relu", "relu6",
    "hardtanh", "hardtanh_grad", "threshold", "threshold_grad",
})


def _elementwise(kernel):
    """Turn ``kernel(x: float64 ndarray, *params)`` into a public activation."""
    chunked = kernel.__name__ not in _UNCHUNKED

    @functools.wraps(kernel)
    def public(x, *args, **kwargs):
        work, ctx = _prepare(x, kernel.__name__)
        with np.errstate(under="ignore"):  # tiny true values round to subnormals or 0: correct
            if chunked:
                out = map_blocks(lambda w: kernel(w, *args, **kwargs), work, block=_CHUNK)
            else:
                out = kernel(work, *args, **kwargs)
        return _finish(out, ctx)
    return public


def _indicator(cond, x):
    """1.0 where cond holds, else 0.0, and NaN where x is NaN."""
    out = cond.astype(np.float64)
    out[np.isnan(x)] = np.nan
    return out


def _constant_keeping_nan(x, c):
    """c everywhere, NaN where x is NaN; one summing pass proves the common NaN-free case."""
    with np.errstate(invalid="ignore", over="ignore"):
        clean = not np.isnan(np.add.reduce(x, axis=None))  # any NaN (or inf - inf) makes the sum NaN
    return np.full_like(x, c) if clean else np.where(np.isnan(x), np.nan, c)


def _patch(out, mask, fn, x, *more):
    """Recompute out where mask holds as fn(x[mask], *(m[mask] for m in more)): a careful path."""
    idx = np.flatnonzero(mask)
    if idx.size:
        out = np.ascontiguousarray(out)  # (already is: ufunc outputs) so reshape(-1) is a view
        out.reshape(-1)[idx] = fn(np.ravel(x)[idx], *(np.ravel(m)[idx] for m in more))
    return out


def _horner(coeffs, s):
    p = np.multiply(s, coeffs[-1])
    p += coeffs[-2]
    for c in coeffs[-3::-1]:
        p *= s
        p += c
    return p


# The error-free transformations below write into their own temporaries (out=...):
# fewer allocations keep cache-sized blocks in cache (same operations, same bits).
def _two_sum(a, b):
    """a + b = s + e exactly (Knuth)."""
    s = np.add(a, b)
    bb = np.subtract(s, a)
    e = np.subtract(s, bb)
    np.subtract(a, e, out=e)
    np.subtract(b, bb, out=bb)
    e += bb
    return s, e


def _fast_two_sum(a, b):
    """a + b = s + e exactly, given |a| >= |b| (Dekker)."""
    s = np.add(a, b)
    e = np.subtract(s, a)
    return s, np.subtract(b, e, out=e)


def _two_square(a):
    """a² = p + e, exact to < 2⁻¹⁰⁵ of a²."""
    p = a * a
    ah, al = _split(a)
    e = np.multiply(ah, ah)
    e -= p
    ah *= 2.0
    ah *= al
    e += ah
    al *= al
    e += al
    return p, e


def _dd_div(nh, nl, dh, dl):
    """(nh + nl)/(dh + dl) for small nl, dl: the quotient of the high parts, corrected to first order."""
    q = nh / dh
    t = np.multiply(q, dl)
    np.subtract(nl, t, out=t)
    t /= dh
    t += q
    return t


def _cut(a, mask):
    """a with its low significand bits cleared by ``mask`` (_TOP17, _TOP26): one pass."""
    return np.bitwise_and(np.asarray(a, dtype=np.float64).view(np.int64), mask).view(np.float64)


def _split(a):
    """a = hi + lo, hi = a cut to 26 significant bits by a mask (two passes; Veltkamp's takes
    four): hi·hi and hi·lo are exact, lo·lo (27 bits each) is off by < 2⁻¹⁰⁵ of a²."""
    hi = _cut(a, _TOP26)
    return hi, np.subtract(a, hi)


def _prod_err(p, ah, al, bh, bl):
    """The error of p = fl(a·b) from the halves of a and b: ((ah·bh − p) + ah·bl + al·bh) + al·bl."""
    e = np.multiply(ah, bh)
    e -= p
    t = np.multiply(ah, bl)
    e += t
    np.multiply(al, bh, out=t)
    e += t
    np.multiply(al, bl, out=t)
    e += t
    return e


def _two_prod(a, b, a_split=None):
    """a·b = p + e, exact to < 2⁻¹⁰⁵ of a·b (Dekker).  a_split: _split(a), if already known."""
    p = a * b
    ah, al = a_split or _split(a)
    return p, _prod_err(p, ah, al, *_split(b))


def _two_prod_const(a, c):
    """a·c = p + e exactly for a Python float c (its split is done once, in Python)."""
    ch = _SPLIT * c - (_SPLIT * c - c)
    cl = c - ch
    p = a * c
    return p, _prod_err(p, *_split(a), ch, cl)


def _mul_exp(f, h, lo=0.0):
    """f·exp(h + lo) for |lo| ≪ 1, accurate even where exp(h) alone would be subnormal."""
    deep = h < -700.0
    k = np.where(deep, 64, 0)
    # exp(h + 64 ln2)·2⁻⁶⁴: h + 64·_LN2_HI is exact, the 2⁻⁶⁴ is applied once at the end.
    e = np.exp(h + k * _LN2_HI)
    e = e + e * (lo + k * _LN2_LO)
    return np.ldexp(f * e, -k)


def _scaled(slope, x):
    """slope·x, taking 0·(±inf) as 0 (the limit of slope·x as slope → 0)."""
    slope = np.asarray(slope, dtype=np.float64)
    if slope.ndim == 0 and slope != 0:
        return slope * x
    out = np.zeros(np.broadcast_shapes(slope.shape, x.shape))
    return np.multiply(slope, x, out=out, where=slope != 0)


def _exp_halves(x):
    """a = exp(min(x, 0)) and b = exp(−max(x, 0)): one of them is 1 and a·b = exp(−|x|).

    Every formula below that needs "the small exponential" picks it per sign this
    way, two cheap exps instead of a branchy, slow ``np.where`` on random signs.
    """
    return np.exp(np.minimum(x, 0.0)), np.exp(-np.maximum(x, 0.0))


def _positive(x):
    """1.0 for x > 0, 0.0 for x <= 0, NaN for NaN: the ReLU-family selector.

    sign(max(x, 0)) is two vectorised passes; np.heaviside branches per element.
    """
    return np.sign(np.maximum(x, 0.0))


class _Window(NamedTuple):
    """A polynomial for f'(x) on [lo, hi): (x − r)·Q(s), r = r_hi + r_lo a zero of f'."""
    lo: float
    hi: float
    r_hi: float
    r_lo: float
    coeffs: tuple


def _windows(out, x, windows):
    """Replace f'(x) by its polynomial on each window, where the closed form cancels.

    (x − r)·Q is formed as (x − r_hi)·q0 exactly (TwoSum, TwoProd) plus small
    terms, so the result is rounded essentially once.  The windows are
    adjacent: their union is gathered once and split among them afterwards.
    """
    def poly(xs, w):
        s = np.subtract(xs, 0.5 * (w.lo + w.hi))
        s *= 2.0 / (w.hi - w.lo)
        t = _horner(w.coeffs[1:], s)
        t *= s  # Q(s) − q0
        d, d_err = _two_sum(xs, -w.r_hi)
        d_err -= w.r_lo
        p, p_err = _two_prod_const(d, w.coeffs[0])
        p_err += np.multiply(d_err, w.coeffs[0], out=s)
        d += d_err
        d *= t
        p_err += d
        p += p_err
        return p  # p + ((p_err + d_err·q0) + (d + d_err)·t)

    def union(xs):
        if len(windows) == 1:
            return poly(xs, windows[0])
        res = np.empty_like(xs)
        for w in windows:
            res = _patch(res, (xs >= w.lo) & (xs < w.hi), lambda ys, w=w: poly(ys, w), xs)
        return res
    return _patch(out, (x >= windows[0].lo) & (x < windows[-1].hi), union, x)


def _check_lambd(lambd, fname):
    return check_param(lambd, fname, "lambd", nonnegative=True)


def _check_bool(value, fname, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{fname}: {name} must be True or False, got {value!r}")
    return bool(value)


# --------------------------------------------------------------------------
# Chapter 1: linearity
# --------------------------------------------------------------------------
@_elementwise
def identity(x):
    r"""Identity: ``identity(x) = x``.

    .. math:: f(x) = x

    The "no activation" baseline: a network of identities is one linear map.
    PyTorch: ``torch.nn.Identity`` (no functional form).

    >>> from activations.elementwise import identity
    >>> print(identity([-1.5, 0.0, 2.0]))
    [-1.5  0.   2. ]
    """
    return x


@_elementwise
def identity_grad(x):
    r"""Derivative of :func:`identity`: 1 everywhere (NaN stays NaN).

    >>> from activations.elementwise import identity_grad
    >>> print(identity_grad([-1.5, 0.0, 2.0]))
    [1. 1. 1.]
    """
    return _constant_keeping_nan(x, 1.0)


@_elementwise
def step(x, threshold=0.0):
    r"""Heaviside step: 1 where ``x > threshold``, else 0.

    .. math:: f(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}

    Convention: ``step(threshold) = 0`` (the function is right-discontinuous at
    the threshold, like ``torch.heaviside(x - threshold, 0)``).  NaN gives NaN.

    Parameters
    ----------
    threshold : float
        The jump position :math:`\theta` (default 0).

    PyTorch: ``torch.heaviside(x - threshold, torch.tensor(0.))``; there is no
    ``torch.nn.functional.step``.

    >>> from activations.elementwise import step
    >>> print(step([-1.0, 0.0, 0.5], threshold=0.0))
    [0. 0. 1.]
    """
    threshold = check_param(threshold, "step", "threshold", finite=False)
    return _indicator(x > threshold, x)


@_elementwise
def step_grad(x, threshold=0.0):
    r"""Derivative of :func:`step`: 0 everywhere.

    The true derivative is a Dirac delta at the threshold, which no array can
    hold; 0 is what autograd would give and why the perceptron rule, not
    gradient descent, trains step networks.

    >>> from activations.elementwise import step_grad
    >>> print(step_grad([-1.0, 0.0, 0.5]))
    [0. 0. 0.]
    """
    check_param(threshold, "step_grad", "threshold", finite=False)
    return _constant_keeping_nan(x, 0.0)


# --------------------------------------------------------------------------
# Chapter 3: sigmoid and tanh
# --------------------------------------------------------------------------
@_elementwise
def sigmoid(x):
    r"""Logistic sigmoid: sigmoid(x) = 1 / (1 + exp(-x)).

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    PyTorch: ``torch.nn.functional.sigmoid`` (``torch.sigmoid``).

    Trick: only exponentials of non-positive numbers are taken:
    :math:`\sigma(x) = a/(1 + ab)` with :math:`a = e^{\min(x,0)}`,
    :math:`b = e^{-\max(x,0)}` (one of them is 1), so nothing overflows and
    σ(−40) ≈ 4.2e-18 keeps all its digits.

    >>> from activations.elementwise import sigmoid
    >>> print(sigmoid([-40.0, 0.0, 2.0]))
    [4.24835426e-18 5.00000000e-01 8.80797078e-01]
    """
    a, b = _exp_halves(x)
    return a / (1.0 + a * b)


@_elementwise
def sigmoid_grad(x):
    r"""Derivative of :func:`sigmoid`: sigmoid(x)·sigmoid(-x).

    .. math:: \sigma'(x) = \sigma(x)\,\sigma(-x) = \frac{e}{(1+e)^2},\quad e = e^{-|x|}

    Trick: the textbook ``s*(1-s)`` loses every digit once σ(x) rounds to 1
    (x ≳ 37).  We use the identity :math:`\sigma'(x) = 1/(2 + 2\cosh x)`: one
    accurate ``cosh``, one addition of positive terms, one division; past
    |x| = 700, where cosh would overflow, :math:`\sigma'(x) = e^{-|x|}` to
    full precision.

    >>> from activations.elementwise import sigmoid_grad
    >>> print(sigmoid_grad([0.0, 40.0]))
    [2.50000000e-01 4.24835426e-18]
    """
    a = np.abs(x)
    out = 0.5 / (1.0 + np.cosh(np.minimum(a, 700.0)))
    return _patch(out, a > 700.0, lambda a: np.exp(-a), a)


@_elementwise
def tanh(x):
    r"""Hyperbolic tangent: tanh(x) = (e^x - e^-x) / (e^x + e^-x).

    .. math:: \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    PyTorch: ``torch.nn.functional.tanh`` (``torch.tanh``).  NumPy's ``tanh`` is
    already accurate to about 1 ulp; this wrapper adds the dtype/validation rules.

    >>> from activations.elementwise import tanh
    >>> print(tanh([-1.0, 0.0, 1.0]))
    [-0.76159416  0.          0.76159416]
    """
    return np.tanh(x)


@_elementwise
def tanh_grad(x):
    r"""Derivative of :func:`tanh`: 1 - tanh(x)².

    .. math:: \tanh'(x) = 1 - \tanh^2 x = \frac{2}{1 + \cosh 2x}

    Trick: ``1 - tanh(x)**2`` is 0 for every |x| > 19.1 although the truth
    (≈ 4e^{-2|x|}) is representable up to |x| ≈ 372; the cosh form has no
    cancellation, and past |x| = 350 (cosh overflows) we use 4e^{-2|x|}.

    >>> from activations.elementwise import tanh_grad
    >>> print(tanh_grad([0.0, 20.0]))
    [1.0000000e+00 1.6993417e-17]
    """
    a = np.abs(x)
    out = 2.0 / (1.0 + np.cosh(2.0 * np.minimum(a, 350.0)))
    # exp(-2|x|) is subnormal (few digits) before 4·exp(-2|x|) is: _mul_exp rescales.
    return _patch(out, a > 350.0, lambda a: _mul_exp(4.0, -2.0 * np.minimum(a, 400.0)), a)


@_elementwise
def softsign(x):
    r"""Softsign, a slowly saturating sigmoid: x / (1 + |x|).

    .. math:: f(x) = \frac{x}{1 + |x|}

    PyTorch: ``torch.nn.functional.softsign``.  ±inf give ±1 (the limit) rather
    than ``inf/inf = nan``.

    >>> from activations.elementwise import softsign
    >>> print(softsign([-3.0, 0.0, 1.0]))
    [-0.75  0.    0.5 ]
    """
    # Beyond 2**60 the quotient rounds to ±1 anyway; clipping turns ±inf into that limit.
    xc = np.clip(x, -2.0**60, 2.0**60)
    return xc / (1.0 + np.abs(xc))


@_elementwise
def softsign_grad(x):
    r"""Derivative of :func:`softsign`: 1 / (1 + |x|)².

    .. math:: f'(x) = \frac{1}{(1 + |x|)^2}

    Trick: divide twice instead of squaring ``1 + |x|``, which would overflow
    for |x| > 1.3e154 while the true value is still representable.

    >>> from activations.elementwise import softsign_grad
    >>> print(softsign_grad([-3.0, 0.0, 1.0]))
    [0.0625 1.     0.25  ]
    """
    a = 1.0 + np.abs(x)
    return 1.0 / a / a


@_elementwise
def hardtanh(x, min_val=-1.0, max_val=1.0):
    r"""Hard tanh: clip to ``[min_val, max_val]``.

    .. math:: f(x) = \min(\max(x, a), b),\quad a = \text{min\_val},\ b = \text{max\_val}

    Parameters
    ----------
    min_val, max_val : float
        Lower and upper saturation levels; ``min_val < max_val`` is required.

    PyTorch: ``torch.nn.functional.hardtanh``.

    >>> from activations.elementwise import hardtanh
    >>> print(hardtanh([-2.0, 0.5, 3.0]))
    [-1.   0.5  1. ]
    """
    lo, hi = _check_clip_range(min_val, max_val, "hardtanh")
    return np.clip(x, lo, hi)


@_elementwise
def hardtanh_grad(x, min_val=-1.0, max_val=1.0):
    r"""Derivative of :func:`hardtanh`: 1 on the open interval (min_val, max_val), else 0.

    At the kinks x = min_val and x = max_val we return 0, like PyTorch.

    >>> from activations.elementwise import hardtanh_grad
    >>> print(hardtanh_grad([-2.0, -1.0, 0.5, 1.0]))
    [0. 0. 1. 0.]
    """
    lo, hi = _check_clip_range(min_val, max_val, "hardtanh_grad")
    return _indicator((x > lo) & (x < hi), x)


def _check_clip_range(min_val, max_val, fname):
    lo = check_param(min_val, fname, "min_val")
    hi = check_param(max_val, fname, "max_val")
    if not lo < hi:
        raise ValueError(f"{fname}: min_val must be < max_val, got min_val={lo!r}, max_val={hi!r}")
    return lo, hi


@_elementwise
def logsigmoid(x):
    r"""Log of the sigmoid: log(sigmoid(x)) = -softplus(-x).

    .. math:: f(x) = \log \sigma(x) = -\operatorname{softplus}(-x) = \min(x, 0) - \log(1 + e^{-|x|})

    PyTorch: ``torch.nn.functional.logsigmoid``.

    Trick: ``log(sigmoid(x))`` is ``log(0) = -inf`` below x ≈ −745 and loses
    digits above x ≈ 37; the ``min + log1p`` form is exact for all x.

    >>> from activations.elementwise import logsigmoid
    >>> print(logsigmoid([-800.0, 0.0, 40.0]))
    [-8.00000000e+02 -6.93147181e-01 -4.24835426e-18]
    """
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


@_elementwise
def logsigmoid_grad(x):
    r"""Derivative of :func:`logsigmoid`: :math:`\sigma(-x) = 1 - \sigma(x)`.

    Computed like :func:`sigmoid` with the branches swapped (no ``1 - σ``).

    >>> from activations.elementwise import logsigmoid_grad
    >>> print(logsigmoid_grad([-1.0, 0.0, 40.0]))
    [7.31058579e-01 5.00000000e-01 4.24835426e-18]
    """
    a, b = _exp_halves(x)
    return b / (1.0 + a * b)


@_elementwise
def tanhshrink(x):
    r"""Tanh-shrink, what tanh takes away from x: x - tanh(x).

    .. math:: f(x) = x - \tanh x

    PyTorch: ``torch.nn.functional.tanhshrink``.

    Trick: near 0 the subtraction cancels: x − tanh(x), as PyTorch computes it,
    is 3e5 ulp off at x = 1e-3 and has no correct digit left near x = 1e-8.
    For |x| < 1.1 we use :math:`x^3 R(x^2)` with R a polynomial for
    :math:`(x - \tanh x)/x^3 = 1/3 - 2x^2/15 + \dots` and x³ carried as an
    exact sum c + t (x cut to 17 bits makes c = x_h³ exact).
    Beyond, x − tanh x ≥ 0.29, so the error is at most about twice that of
    ``np.tanh`` in ulps of the result, and the subtraction itself is exact
    (Sterbenz) up to |x| ≈ 1.9.

    >>> from activations.elementwise import tanhshrink
    >>> print(tanhshrink([1e-3, 1.0, 10.0]))
    [3.33333200e-10 2.38405844e-01 9.00000000e+00]
    """
    out = x - np.tanh(x)

    def series(xs):
        # x = xh + xl with xh on 17 bits: xh² and c = xh³ are exact, and
        # t = x³ − xh³ = xl·(x² + x·xh + xh²) is below 2**-14 of x³ (|xl| < 2**-16 |x|), so its roundings vanish
        xh = _cut(xs, _TOP17)
        xl = xs - xh
        y = xs * xs
        h2 = xh * xh
        t = xs * xh
        t += h2
        t += y
        t *= xl
        c = np.multiply(h2, xh, out=h2)
        y *= 1.5625  # s = x²/0.64 − 1 ∈ [−1, 1) for x² < 1.28
        y -= 1.0
        r = _horner(_TANHSHRINK_RATIO, y)
        c *= r
        t *= r
        c += t
        return c  # (c + t)·R
    return _patch(out, np.abs(x) < 1.1, series, x)


@_elementwise
def tanhshrink_grad(x):
    r"""Derivative of :func:`tanhshrink`: :math:`\tanh^2 x`.

    >>> from activations.elementwise import tanhshrink_grad
    >>> print(tanhshrink_grad([0.0, 1.0]))
    [0.         0.58002566]
    """
    t = np.tanh(x)
    return t * t


# --------------------------------------------------------------------------
# Chapter 4: the ReLU family
# --------------------------------------------------------------------------
@_elementwise
def relu(x):
    r"""Rectified linear unit: relu(x) = max(x, 0).

    .. math:: \operatorname{ReLU}(x) = \max(x, 0)

    PyTorch: ``torch.nn.functional.relu``.

    >>> from activations.elementwise import relu
    >>> print(relu([-2.0, 0.0, 3.0]))
    [0. 0. 3.]
    """
    return np.maximum(x, 0.0)


@_elementwise
def relu_grad(x):
    r"""Derivative of :func:`relu`: 1 for x > 0, 0 for x ≤ 0 (``relu_grad(0) = 0``, like PyTorch).

    >>> from activations.elementwise import relu_grad
    >>> print(relu_grad([-2.0, 0.0, 3.0]))
    [0. 0. 1.]
    """
    return _positive(x)


@_elementwise
def relu6(x):
    r"""ReLU capped at 6: relu6(x) = min(max(x, 0), 6).

    .. math:: f(x) = \min(\max(x, 0), 6)

    PyTorch: ``torch.nn.functional.relu6``.

    >>> from activations.elementwise import relu6
    >>> print(relu6([-1.0, 3.0, 9.0]))
    [0. 3. 6.]
    """
    return np.clip(x, 0.0, 6.0)


@_elementwise
def relu6_grad(x):
    r"""Derivative of :func:`relu6`: 1 on (0, 6), else 0 (0 at both kinks, like PyTorch).

    >>> from activations.elementwise import relu6_grad
    >>> print(relu6_grad([0.0, 3.0, 6.0]))
    [0. 1. 0.]
    """
    return _indicator((x > 0.0) & (x < 6.0), x)


@_elementwise
def leaky_relu(x, negative_slope=0.01):
    r"""Leaky ReLU: x for x > 0, negative_slope·x otherwise.

    .. math:: f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases},\quad \alpha = \text{negative\_slope}

    Parameters
    ----------
    negative_slope : float
        Slope :math:`\alpha` for x ≤ 0 (default 0.01); any finite real, as in PyTorch.

    PyTorch: ``torch.nn.functional.leaky_relu``.

    >>> from activations.elementwise import leaky_relu
    >>> print(leaky_relu([-2.0, 0.0, 3.0], negative_slope=0.1))
    [-0.2  0.   3. ]
    """
    a = check_param(negative_slope, "leaky_relu", "negative_slope")
    return np.maximum(x, 0.0) + _scaled(a, np.minimum(x, 0.0))


@_elementwise
def leaky_relu_grad(x, negative_slope=0.01):
    r"""Derivative of :func:`leaky_relu`: 1 for x > 0, ``negative_slope`` for x ≤ 0 (also at 0).

    >>> from activations.elementwise import leaky_relu_grad
    >>> print(leaky_relu_grad([-2.0, 0.0, 3.0], negative_slope=0.1))
    [0.1 0.1 1. ]
    """
    a = check_param(negative_slope, "leaky_relu_grad", "negative_slope")
    h = _positive(x)
    return h + a * (1.0 - h)


def _prelu_weight(weight, ctx, axis, fname):
    """Per-element slopes: weight broadcast along the channel axis of x."""
    w = as_float_array(weight, fname, "weight").astype(np.float64)
    if w.ndim > 1:
        raise ValueError(f"{fname}: weight must be a scalar or 1-D, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{fname}: weight must be finite")
    if w.size == 1:
        return w.reshape(())
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{fname}: axis must be an int, got {axis!r}")
    ndim = len(ctx.shape)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{fname}: weight has {w.size} entries but x has {ndim} dimension(s), "
                         f"so there is no channel axis {axis} (PyTorch treats inputs with fewer "
                         f"than 2 dimensions as one channel); pass axis=... explicitly")
    axis %= ndim
    if ctx.shape[axis] != w.size:
        raise ValueError(f"{fname}: weight has {w.size} entries but x has {ctx.shape[axis]} "
                         f"channels along axis {axis}")
    return w.reshape((-1,) + (1,) * (ndim - 1 - axis))


def _prelu_call(fname, kernel, x, weight, axis):
    work, ctx = _prepare(x, fname)
    w = _prelu_weight(weight, ctx, axis, fname)
    with np.errstate(under="ignore"):
        out = kernel(work.reshape(ctx.shape), w)
    return _finish(out, ctx)


def prelu(x, weight, axis=1):
    r"""Parametric ReLU: max(x, 0) + weight·min(x, 0), a learned slope per channel.

    .. math:: f(x) = \max(x, 0) + a_c \min(x, 0)

    Parameters
    ----------
    weight : float or 1-D array
        The slopes :math:`a_c`.  A scalar (or length-1 array) is shared by all
        elements; a 1-D array of length C holds one slope per channel.
    axis : int
        The channel axis a 1-D weight is broadcast along (default 1, PyTorch's
        channel dimension for inputs of shape (N, C, ...)).  As in PyTorch an
        input with fewer than 2 dimensions has no channel axis unless you pass
        one explicitly (``axis=0`` or ``axis=-1``); a length mismatch raises
        ``ValueError``.

    PyTorch: ``torch.nn.functional.prelu``.

    >>> import numpy as np
    >>> from activations.elementwise import prelu
    >>> print(prelu(np.array([[-1.0, -1.0], [2.0, -2.0]]), weight=[0.1, 0.5]))
    [[-0.1 -0.5]
     [ 2.  -1. ]]
    """
    def kernel(x, w):
        return np.maximum(x, 0.0) + _scaled(w, np.minimum(x, 0.0))
    return _prelu_call("prelu", kernel, x, weight, axis)


def prelu_grad(x, weight, axis=1):
    r"""Derivative of :func:`prelu` with respect to x: 1 for x > 0, the channel's slope for x ≤ 0.

    At x = 0 we return the slope, like PyTorch.

    >>> from activations.elementwise import prelu_grad
    >>> print(prelu_grad([-1.0, 0.0, 2.0], weight=0.25))
    [0.25 0.25 1.  ]
    """
    def kernel(x, w):
        h = _positive(x)
        return h + w * (1.0 - h)
    return _prelu_call("prelu_grad", kernel, x, weight, axis)


def prelu_weight_grad(x, weight, axis=1):
    r"""Derivative of :func:`prelu` with respect to its weight, elementwise: min(x, 0).

    .. math:: \partial f / \partial a_c = \min(x, 0)

    The result has the shape of x; the gradient of a loss L with respect to
    the weight is ``(dL_dy * prelu_weight_grad(x, w)).sum(axis=...)`` over every
    axis but the channel axis (or over all axes for a scalar weight).  The
    weight only matters for validation (its shape must fit x).

    >>> from activations.elementwise import prelu_weight_grad
    >>> print(prelu_weight_grad([-1.5, 0.0, 2.0], weight=0.25))
    [-1.5  0.   0. ]
    """
    return _prelu_call("prelu_weight_grad", lambda x, w: np.minimum(x, 0.0), x, weight, axis)


def _rrelu_bounds(lower, upper, fname):
    lo = check_param(lower, fname, "lower", nonnegative=True)
    hi = check_param(upper, fname, "upper")
    if not lo <= hi:
        raise ValueError(f"{fname}: lower must be <= upper, got lower={lo!r}, upper={hi!r}")
    if hi > 1.0:
        raise ValueError(f"{fname}: upper must be <= 1, got {hi!r}")
    return lo, hi


def _rrelu_slopes(shape, lo, hi, training, rng, fname):
    if not training:
        return np.full(shape, (lo + hi) / 2.0)
    try:
        gen = np.random.default_rng(rng)
    except (TypeError, ValueError):
        raise TypeError(f"{fname}: rng must be None, a non-negative int seed or a "
                        f"numpy.random.Generator, got {rng!r}") from None
    return gen.uniform(lo, hi, size=shape)


def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0, training=False, rng=None, return_slopes=False):
    r"""Randomized leaky ReLU (Xu et al., 2015): x for x >= 0, a·x otherwise, a random.

    .. math:: f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases},\quad
              a \sim U(l, u) \text{ (training)},\ a = \tfrac{l+u}{2} \text{ (evaluation)}

    Parameters
    ----------
    lower, upper : float
        The slope range :math:`[l, u]`; we require 0 ≤ lower ≤ upper ≤ 1 (PyTorch
        only checks lower ≤ upper) so that f stays a monotone leaky ReLU.
    training : bool
        Draw one slope per element (True) or use the mean slope (False, default).
    rng : None, int or numpy.random.Generator
        Passed to ``np.random.default_rng``: a seed reproduces the draw.  A
        Generator is advanced, so a second call with it draws new slopes.
    return_slopes : bool
        Also return the per-element slopes (shape of x, dtype of the result),
        to pass to :func:`rrelu_grad` as ``slopes=`` for the backward pass.

    Slopes are drawn for every element, positive or not, so the draw depends
    only on the shape of x (PyTorch draws only for x ≤ 0; its random stream
    cannot be reproduced here anyway).

    PyTorch: ``torch.nn.functional.rrelu``.

    >>> from activations.elementwise import rrelu, rrelu_grad
    >>> print(rrelu([-1.0, 2.0]))  # evaluation: slope (1/8 + 1/3)/2 = 11/48
    [-0.22916667  2.        ]
    >>> y, a = rrelu([-1.0, -1.0], training=True, rng=0, return_slopes=True)
    >>> bool((y == -a).all()), bool((rrelu_grad([-1.0, -1.0], slopes=a) == a).all())
    (True, True)
    """
    lo, hi = _rrelu_bounds(lower, upper, "rrelu")
    training = _check_bool(training, "rrelu", "training")
    return_slopes = _check_bool(return_slopes, "rrelu", "return_slopes")
    work, ctx = _prepare(x, "rrelu")
    a = _rrelu_slopes(work.shape, lo, hi, training, rng, "rrelu")
    with np.errstate(under="ignore"):
        out = np.maximum(work, 0.0) + _scaled(a, np.minimum(work, 0.0))
    return _finish((out, a) if return_slopes else out, ctx)


def rrelu_grad(x, lower=1.0 / 8.0, upper=1.0 / 3.0, training=False, rng=None, slopes=None):
    r"""Derivative of :func:`rrelu`: 1 for x > 0, the element's slope for x ≤ 0 (also at 0).

    Parameters
    ----------
    slopes : array, optional
        The slopes of the forward pass (``rrelu(..., return_slopes=True)``); they
        must broadcast to the shape of x.  Without them the slopes are drawn
        again exactly as :func:`rrelu` draws them, so a training-mode forward
        and backward with the same integer seed ``rng`` agree.

    >>> from activations.elementwise import rrelu_grad
    >>> print(rrelu_grad([-1.0, 0.0, 2.0]))
    [0.22916667 0.22916667 1.        ]
    """
    lo, hi = _rrelu_bounds(lower, upper, "rrelu_grad")
    training = _check_bool(training, "rrelu_grad", "training")
    work, ctx = _prepare(x, "rrelu_grad")
    if slopes is None:
        a = _rrelu_slopes(work.shape, lo, hi, training, rng, "rrelu_grad")
    else:
        a = as_float_array(slopes, "rrelu_grad", "slopes").astype(np.float64)
        try:
            a = np.broadcast_to(a.reshape(a.shape or (1,)) if not ctx.shape else a, work.shape)
        except ValueError:
            raise ValueError(f"rrelu_grad: slopes of shape {a.shape} do not broadcast to "
                             f"the shape of x {ctx.shape}") from None
    h = _positive(work)
    return _finish(h + a * (1.0 - h), ctx)


@_elementwise
def elu(x, alpha=1.0):
    r"""Exponential linear unit (Clevert et al., 2015): x for x > 0, alpha·(e^x - 1) otherwise.

    .. math:: f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    Parameters
    ----------
    alpha : float
        Saturation level −alpha for x → −∞ (default 1); any finite real, as in PyTorch.

    PyTorch: ``torch.nn.functional.elu``.  Trick: ``expm1`` keeps the digits of
    :math:`e^x - 1` near 0 and is only evaluated on min(x, 0), so it cannot overflow.

    >>> from activations.elementwise import elu
    >>> print(elu([-1e-10, 0.0, 2.0]))
    [-1.e-10  0.e+00  2.e+00]
    """
    a = check_param(alpha, "elu", "alpha")
    return np.maximum(x, 0.0) + a * np.expm1(np.minimum(x, 0.0))


@_elementwise
def elu_grad(x, alpha=1.0):
    r"""Derivative of :func:`elu`: 1 for x > 0, :math:`\alpha e^x` for x ≤ 0 (alpha at 0, like PyTorch).

    >>> from activations.elementwise import elu_grad
    >>> print(elu_grad([-1.0, 0.0, 2.0]))
    [0.36787944 1.         1.        ]
    """
    a = check_param(alpha, "elu_grad", "alpha")
    h = _positive(x)
    return h + (1.0 - h) * (a * np.exp(np.minimum(x, 0.0)))


def _div_exp(x, alpha):
    """exp(x/alpha) for x <= 0 with x/alpha carried as hi + lo (exact argument)."""
    q = x / alpha
    if math.frexp(alpha)[0] == 0.5:  # alpha a power of two: x/alpha was exact
        return np.exp(q)
    p, e = _two_prod_const(q, alpha)
    lo = ((x - p) - e) / alpha  # x − q·alpha exactly, then divided: the lost part of x/alpha
    out = np.exp(q)
    return out + out * lo


@_elementwise
def celu(x, alpha=1.0):
    r"""Continuously differentiable ELU (Barron, 2017): max(x, 0) + min(0, alpha·(e^(x/alpha) - 1)).

    .. math:: f(x) = \max(x, 0) + \min\!\big(0,\ \alpha (e^{x/\alpha} - 1)\big)

    Parameters
    ----------
    alpha : float
        Must be > 0 (default 1).  Unlike ELU, CELU is C¹ for every alpha.

    PyTorch: ``torch.nn.functional.celu``.

    >>> from activations.elementwise import celu
    >>> print(celu([-2.0, 0.0, 2.0], alpha=2.0))
    [-1.26424112  0.          2.        ]
    """
    a = check_param(alpha, "celu", "alpha", positive=True)
    return np.maximum(x, 0.0) + a * np.expm1(np.minimum(x, 0.0) / a)


@_elementwise
def celu_grad(x, alpha=1.0):
    r"""Derivative of :func:`celu`: 1 for x > 0, :math:`e^{x/\alpha}` for x ≤ 0.

    Trick: for alpha not a power of two, x/alpha is rounded and exp amplifies
    that error |x/alpha|-fold, so the quotient is carried as an exact hi + lo.

    >>> from activations.elementwise import celu_grad
    >>> print(celu_grad([-2.0, 0.0, 2.0], alpha=2.0))
    [0.36787944 1.         1.        ]
    """
    a = check_param(alpha, "celu_grad", "alpha", positive=True)
    neg = np.maximum(np.minimum(x, 0.0), -800.0 * a)  # exp(-800) is already 0
    h = _positive(x)
    return h + (1.0 - h) * _div_exp(neg, a)


@_elementwise
def selu(x):
    r"""Scaled ELU (Klambauer et al., 2017): scale·elu(x, alpha) with fixed scale and alpha.

    .. math:: f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    with λ = ``SELU_SCALE`` = 1.0507009873554804934 and α = ``SELU_ALPHA`` =
    1.6732632423543772848 (the paper's constants rounded to float64).

    PyTorch: ``torch.nn.functional.selu``.  λ·α is precomputed from the
    32-digit constants and rounded once.

    >>> from activations.elementwise import selu
    >>> print(selu([-1.0, 0.0, 1.0]))
    [-1.11133074  0.          1.05070099]
    """
    with np.errstate(over="ignore"):  # λ·x overflows only when the true value does (x > 1.7e308)
        pos = SELU_SCALE * np.maximum(x, 0.0)
    return pos + _SELU_SCALE_ALPHA * np.expm1(np.minimum(x, 0.0))


@_elementwise
def selu_grad(x):
    r"""Derivative of :func:`selu`: λ for x > 0, λα·eˣ for x ≤ 0 (λα at 0, like PyTorch).

    >>> from activations.elementwise import selu_grad
    >>> print(selu_grad([-1.0, 0.0, 1.0]))
    [0.6467686  1.75809934 1.05070099]
    """
    h = _positive(x)
    return SELU_SCALE * h + (1.0 - h) * (_SELU_SCALE_ALPHA * np.exp(np.minimum(x, 0.0)))


# --------------------------------------------------------------------------
# GELU: x·Φ(x)
# --------------------------------------------------------------------------
def _gauss(t):
    """exp(−t²/2) with t² split exactly as hi + lo (t <= 40): the argument error never grows."""
    a, b = _split(t)
    hi = t * t
    lo = ((a * a - hi) + 2.0 * a * b) + b * b
    e = np.exp(-0.5 * hi)
    return e - e * (0.5 * lo), hi, lo


def _mills(t):
    """N(t) = Φ(−t)·exp(t²/2) for 0 <= t <= 40, to about 1 ulp (tables below)."""
    j = np.fmin(t * 2.0, 15.0).astype(np.intp)  # fmin: NaN picks piece 15 (its value stays NaN)
    s = (t - (0.5 * j + 0.25)) * 4.0  # exact for t >= 1/8
    p = np.take(_MILLS_PIECES[-1], j)
    for row in _MILLS_PIECES[-2::-1]:
        p *= s
        p += np.take(row, j)
    # Beyond 8, a single polynomial in 8/t gives t·N(t) (which tends to 1/√(2π)).
    return _patch(p, t >= 8.0, lambda ts: _horner(_MILLS_TAIL, 8.0 / ts - 0.6) / ts, t)


def _gelu_exact(x):
    xc = np.clip(x, -40.0, 40.0)  # beyond ±40, Φ(−|x|) is 0 in float64
    t = np.abs(xc)
    e, _, _ = _gauss(t)
    # GELU(x) = max(x, 0) − |x|·Φ(−|x|) for either sign; (|x|·N)·e rounds a subnormal e once.
    return np.maximum(x, 0.0) - (t * _mills(t)) * e


def _gelu_exact_grad(x):
    xc = np.clip(x, -40.0, 40.0)
    t = np.abs(xc)
    e, _, _ = _gauss(t)
    k = _mills(t) - t * _INV_SQRT_2PI  # K(t) = Φ(−t)e^{t²/2} − t/√(2π)
    ek = e * k
    h = 1.0 - _positive(-x)  # 1 for x >= 0, 0 for x < 0
    out = h + (1.0 - 2.0 * h) * ek  # Φ(x) + xφ(x) = e·K(|x|) for x < 0, 1 − e·K(x) for x >= 0
    out = _windows(out, x, _WINDOWS["gelu"])
    # e is subnormal beyond |x| ≈ 37.6 while e·K (K ≈ −|x|/2.5) is not: rescale.
    deep = lambda xs: _mul_exp(_mills(-xs) + xs * _INV_SQRT_2PI, -0.5 * xs * xs,
                               -0.5 * _gauss(-xs)[2])
    return _patch(out, (x < -37.0) & (x >= -40.0), deep, x)


def _gelu_tanh_z(x):
    """z = C1·x + C3·x³ and x·z'(x) = C1·x + 3·C3·x³, each as hi + lo (|x| <= 30)."""
    xs = _split(x)
    x2, x2e = _two_prod(x, x, xs)
    x3, x3e = _two_prod(x, x2, xs)
    x3e = x3e + x2e * x
    a, ae = _two_prod_const(x, _GT_C1[0])
    ae = ae + _GT_C1[1] * x
    b, be = _two_prod_const(x3, _GT_C3[0])
    be = be + (_GT_C3[0] * x3e + _GT_C3[1] * x3)
    z, ze = _two_sum(a, b)
    xdz, xdze = _two_sum(a, 3.0 * b)
    return z, ze + ae + be, xdz, xdze + ae + 3.0 * be


def _gelu_tanh_neg(xs):
    """x·σ(z) for −30 <= x < 0: σ(z) ≈ e^z is sensitive to z's rounding, so z is exact."""
    zh, zl, _, _ = _gelu_tanh_z(xs)
    e = np.exp(zh)
    el = e * zl
    d, dl = _fast_two_sum(1.0, e)
    p, pl = _two_prod(xs, e)
    out = _dd_div(p, pl + xs * el, d, dl + el)
    deep = zh < -700.0
    if deep.any():  # e^z subnormal: form x·e^z before rounding
        out[deep] = _mul_exp(xs[deep], zh[deep], zl[deep])
    return out


def _gelu_tanh(x):
    xc = np.clip(x, -30.0, 30.0)  # beyond ±30, σ(z) is exactly 1 or the result is 0
    z = _GT_C1[0] * xc * (1.0 + 0.044715 * (xc * xc))
    out = np.maximum(x, -30.0) / (1.0 + np.exp(-np.abs(z)))  # x >= 0: x·σ(z) = x/(1 + e^−z)
    return _patch(out, xc < 0, _gelu_tanh_neg, xc)


def _gelu_tanh_grad_neg(xs):
    """e·(1 + e + x z')/(1 + e)² with e = e^z, z exact, for −30 <= x < 0."""
    zh, zl, xdz, xdzl = _gelu_tanh_z(xs)
    e = np.exp(zh)
    el = e * zl
    s1, s1e = _two_sum(1.0, xdz)
    g, ge = _two_sum(s1, e)
    gl = ge + s1e + xdzl + el
    n, ne = _two_prod(e, g)
    d, dl = _fast_two_sum(1.0, e)
    dl = dl + el
    dd, dde = _two_square(d)
    out = _dd_div(n, ne + e * gl + el * g, dd, dde + 2.0 * d * dl)
    deep = zh < -700.0
    if deep.any():
        out[deep] = _mul_exp(g[deep] + gl[deep], zh[deep], zl[deep])
    return out


def _gelu_tanh_grad(x):
    xc = np.clip(x, -30.0, 30.0)
    x2 = xc * xc
    z = _GT_C1[0] * xc * (1.0 + 0.044715 * x2)
    dz = _GT_C1[0] * (1.0 + 3.0 * 0.044715 * x2)  # z'(x)
    b = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + b)
    out = r + (xc * dz) * (b * r * r)  # x >= 0: σ(z) + x z' σ(z)σ(−z), no 1 − σ
    out = _patch(out, xc < 0, _gelu_tanh_grad_neg, xc)
    return _windows(out, x, _WINDOWS["gelu_tanh"])


def _check_approximate(approximate, fname):
    if not isinstance(approximate, str) or approximate not in ("none", "tanh"):
        raise ValueError(f"{fname}: approximate must be 'none' or 'tanh', got {approximate!r}")
    return approximate


@_elementwise
def gelu(x, approximate="none"):
    r"""Gaussian error linear unit (Hendrycks & Gimpel, 2016): x·Phi(x), Phi the normal CDF.

    .. math:: \operatorname{GELU}(x) = x\,\Phi(x) = \tfrac{x}{2}\big(1 + \operatorname{erf}(x/\sqrt2)\big)

    With ``approximate='tanh'``:
    :math:`\tfrac{x}{2}\big(1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715 x^3))\big)`.

    Parameters
    ----------
    approximate : {'none', 'tanh'}
        Exact form (default) or the tanh approximation, as in PyTorch.

    PyTorch: ``torch.nn.functional.gelu``.

    Trick: for x < 0 the textbook formula computes a tiny Φ(x) from ``erfc`` of
    a rounded argument; PyTorch returns 0 below x ≈ −8.4 though the truth is
    representable down to x ≈ −38.5.  We compute Φ(−|x|) = exp(−x²/2)·N(|x|)
    with x² split exactly and the smooth factor N from polynomial tables, and
    GELU(x) = max(x, 0) − |x|·Φ(−|x|) for either sign.  For the tanh form,
    x·σ(z) with z = 2√(2/π)(x + 0.044715x³) carried as a double-double for
    x < 0, where σ(z) ≈ e^z magnifies any error in z by |z|.

    >>> from activations.elementwise import gelu
    >>> print(gelu([-20.0, -1.0, 0.0, 1.0]))
    [-5.50724824e-88 -1.58655254e-01  0.00000000e+00  8.41344746e-01]
    >>> print(gelu([-1.0, 1.0], approximate="tanh"))
    [-0.15880801  0.84119199]
    """
    if _check_approximate(approximate, "gelu") == "tanh":
        return _gelu_tanh(x)
    return _gelu_exact(x)


@_elementwise
def gelu_grad(x, approximate="none"):
    r"""Derivative of :func:`gelu`: Phi(x) + x·phi(x), phi the normal density.

    .. math:: \operatorname{GELU}'(x) = \Phi(x) + x\,\varphi(x)

    (and the derivative of the tanh form for ``approximate='tanh'``).

    Trick: for x < 0 the two terms cancel, totally so at the minimum of GELU
    (x ≈ −0.7518); we use exp(−x²/2)·(N(|x|) − |x|/√(2π)) away from it and a
    polynomial in (x − x₀) around it.

    >>> from activations.elementwise import gelu_grad
    >>> print(gelu_grad([-1.0, 0.0, 1.0]))
    [-0.08331547  0.5         1.08331547]
    """
    if _check_approximate(approximate, "gelu_grad") == "tanh":
        return _gelu_tanh_grad(x)
    return _gelu_exact_grad(x)


# --------------------------------------------------------------------------
# SiLU, Mish, Softplus
# --------------------------------------------------------------------------
@_elementwise
def silu(x):
    r"""Sigmoid linear unit (swish-1; Elfwing et al., 2017): silu(x) = x·sigmoid(x).

    .. math:: \operatorname{SiLU}(x) = x\,\sigma(x)

    PyTorch: ``torch.nn.functional.silu``.

    Trick: σ is evaluated as in :func:`sigmoid`; below x = −700 the product
    x·eˣ is formed before it underflows (``silu(-710)`` ≈ −3.2e-306 is a normal
    number although e^−710 is not).

    >>> from activations.elementwise import silu
    >>> print(silu([-710.0, -1.0, 0.0, 1.0]))
    [-3.17816322e-306 -2.68941421e-001  0.00000000e+000  7.31058579e-001]
    """
    xc = np.maximum(x, -800.0)  # silu(-800) is already -0.0; avoids -inf·0
    a, b = _exp_halves(xc)
    out = xc * a / (1.0 + a * b)
    return _patch(out, xc < -700.0, lambda xs: _mul_exp(xs, xs), xc)


@_elementwise
def silu_grad(x):
    r"""Derivative of :func:`silu`: sigmoid(x)·(1 + x·sigmoid(-x)).

    .. math:: \operatorname{SiLU}'(x) = \sigma(x)\,\big(1 + x\,\sigma(-x)\big)
              = \frac{1 + e + x e}{(1+e)^2}\ (x \ge 0),\quad \frac{e\,(1 + x + e)}{(1+e)^2}\ (x < 0)

    with :math:`e = e^{-|x|}`.  Trick: for x < 0 the numerator and (1+e)² are
    carried as double-doubles (error-free sums and products), so only the
    rounding of ``exp`` and of one division remain (five separate roundings
    would add up to more than 3 ulp); on [−1.5, −1), around the zero of SiLU'
    at x₀ ≈ −1.2785, a polynomial in (x − x₀) is used instead.

    >>> from activations.elementwise import silu_grad
    >>> print(silu_grad([-1.0, 0.0, 1.0]))
    [0.07232949 0.5        0.92767051]
    """
    xc = np.clip(x, -800.0, 800.0)  # beyond ±800 the value is exactly 0 or 1 in float64
    b = np.exp(-np.abs(xc))
    s = 1.0 + xc
    out = (1.0 + b * s) / (1.0 + b * (2.0 + b))  # x >= 0: (1 + e·(1 + x))/(1 + e)²
    out = _patch(out, (xc < 0) & (xc >= -700.0), _silu_grad_neg, xc, b)  # there b = eˣ
    out = _patch(out, xc < -700.0, lambda xs: _mul_exp(1.0 + xs, xs), xc)
    return _windows(out, x, _WINDOWS["silu"])


def _silu_grad_neg(xs, e):
    """e·(1 + x + e)/(1 + e)² with e = eˣ for x < 0, numerator and denominator as hi + lo."""
    d, dl = _fast_two_sum(1.0, e)  # 1 + e, reused in the numerator
    g, ge = _two_sum(xs, d)
    ge += dl  # g + ge = 1 + x + e exactly
    n, ne = _two_prod(e, g)
    ne += e * ge
    t = np.add(e, 2.0)
    t *= e  # (1 + e)² − 1 = e(2 + e): its two roundings move (1 + e)² by < 0.6 u
    dd, dde = _fast_two_sum(1.0, t)
    return _dd_div(n, ne, dd, dde)


@_elementwise
def mish(x):
    r"""Mish (Misra, 2019): mish(x) = x·tanh(softplus(x)).

    .. math:: \operatorname{Mish}(x) = x \tanh(\operatorname{softplus}(x))
              = x\,\frac{e^{2x} + 2e^{x}}{e^{2x} + 2e^{x} + 2}

    PyTorch: ``torch.nn.functional.mish``.

    Trick: no ``tanh`` or ``log``, one ``exp`` of −|x| and one branch-free
    formula ``A − A·v`` with a small v: for x ≥ 0, A = x and
    :math:`v = e^2/(e^2 + e + 1/2)` (:math:`e = e^{-x}`); for x < 0,
    :math:`A = x e^{x}` and :math:`v = e(e+1)/(e^2 + 2e + 2)` (:math:`e = e^{x}`).
    The roundings inside v are damped by v's smallness except near 0, so on
    [−1, 0] mish(x)/x is a polynomial instead.  Below −700, x·eˣ is formed
    before eˣ underflows.

    >>> from activations.elementwise import mish
    >>> print(mish([-1.0, 0.0, 1.0]))
    [-0.30340146  0.          0.86509839]
    """
    xc = np.clip(x, -800.0, 800.0)  # beyond ±800 the tails below take over
    e = np.abs(xc)
    np.exp(np.negative(e, out=e), out=e)
    j = np.empty_like(xc)
    j[...] = xc < 0.0  # 1 for x < 0, else 0: selects each side's constants without a branch
    v = np.add(e, j)
    v *= e  # e(e + 1) for x < 0, e² for x >= 0
    den = np.add(v, e)
    j *= 1.5
    j += 0.5  # 2 for x < 0, 1/2 for x >= 0
    den += j
    v /= den
    np.subtract(2.0, j, out=j)
    j *= 2.0 / 3.0  # 0 for x < 0, 1 for x >= 0
    a = np.fmax(e, j, out=j)
    a *= xc  # A = x·eˣ for x < 0, x for x >= 0
    v *= a
    out = np.subtract(a, v, out=v)
    out = _patch(out, e < _EXP_M700, _mish_tails, x)  # |x| > 700
    return _patch(out, (xc >= -1.0) & (xc <= 0.0), _mish_small, xc)


_EXP_M700 = math.exp(-700.0)


def _mish_tails(xs):
    """mish for |x| > 700: x itself above, x·eˣ (formed before eˣ underflows) below."""
    out = xs.copy()
    neg = xs < 0
    xn = np.maximum(xs[neg], -800.0)  # mish(−800) is already −0.0; avoids −inf·0
    out[neg] = _mul_exp(xn, xn)
    return out


def _mish_small(xs):
    """mish on [−1, 0]: x·Q(2x + 1), Q the polynomial _MISH_RATIO for tanh(softplus(x))."""
    s = np.multiply(xs, 2.0)
    s += 1.0
    q = _horner(_MISH_RATIO, s)
    q *= xs
    return q


@_elementwise
def mish_grad(x):
    r"""Derivative of :func:`mish`: tanh(s) + x·sech²(s)·sigmoid(x), s = softplus(x).

    .. math:: \operatorname{Mish}'(x) = \tanh(s) + x\,\operatorname{sech}^2(s)\,\sigma(x),\quad s = \operatorname{softplus}(x)

    With :math:`e = e^{x}` and :math:`n = e(e+2)` for x < 0 this is
    :math:`e\,[(e+2)(e^2+2e+2) + 4x(1+e)]/(n+2)^2`; for x ≥ 0, with
    :math:`e = e^{-x}` and :math:`D = 1 + 2e + 2e^2`, it is
    :math:`(1+2e)/D + 4x e^2 (1+e)/D^2`.  Trick: for x ≥ 0 we return 1 plus
    a correction of size at most 0.4; for x < 0 the numerator and denominator
    are double-doubles; on [−1.5, 0), around the zero x₀ ≈ −1.1924, a
    polynomial in (x − x₀) is used.

    >>> from activations.elementwise import mish_grad
    >>> print(mish_grad([-1.0, 0.0, 1.0]))
    [0.05921676 0.6        1.04903622]
    """
    xc = np.clip(x, -800.0, 800.0)
    b = np.abs(xc)
    np.exp(np.negative(b, out=b), out=b)
    # x >= 0, e = e^−x: N/Q² = 1 + (N − Q²)/Q² with N − Q² = e²·[(4x − 2) + e((4s − 8) − 4e)],
    # s = 1 + x; the correction lies in [−0.4, 0.1], so adding it to 1 loses almost nothing.
    q2 = np.multiply(b, 4.0)
    q2 += 8.0
    for c in (8.0, 4.0, 1.0):  # Q² = 1 + e(4 + e(8 + e(8 + 4e)))
        q2 *= b
        q2 += c
    u = np.add(xc, 1.0)
    u *= 4.0
    u -= 8.0
    t = np.multiply(b, 4.0)
    u -= t
    u *= b
    w = np.multiply(xc, 4.0)
    w -= 2.0
    w += u
    np.multiply(b, b, out=t)
    t *= w
    t /= q2
    t += 1.0
    # for x < 0 the windows below replace [−1.5, 0)
    out = _patch(t, (xc < -1.5) & (xc >= -700.0), _mish_grad_neg, xc, b)  # there b = eˣ
    out = _patch(out, xc < -700.0, lambda xs: _mul_exp(1.0 + xs, xs), xc)
    return _windows(out, x, _WINDOWS["mish"])


def _mish_grad_neg(xs, e):
    """e·B/Q² for x < −1.5 (e = eˣ), B = 4(1+x) + e((6+4x) + e(4+e)), Q² = 4 + e(8 + e(8 + e(4+e))).

    Fast2Sum suffices for every sum: |x| > 1, |4(1 + x)| > |e((6+4x) + e(4+e))| and 4 > e(8 + ...).
    """
    es = _split(e)
    s, se = _fast_two_sum(xs, 1.0)
    c = np.multiply(xs, 4.0)
    c += 6.0
    t = np.add(e, 4.0)
    t *= e
    c += t  # (6 + 4x) + e(4 + e)
    ec, ece = _two_prod(e, c, es)
    s *= 4.0
    b, be = _fast_two_sum(s, ec)
    n, ne = _two_prod(e, b, es)
    np.add(e, 4.0, out=t)
    for k in (8.0, 8.0):  # 8 + e(8 + e(4 + e))
        t *= e
        t += k
    ew, ewe = _two_prod(e, t, es)
    q, qe = _fast_two_sum(4.0, ew)
    be += ece
    se *= 4.0
    be += se
    be *= e
    be += ne  # ne + e·(be + ece + 4·se)
    qe += ewe
    return _dd_div(n, be, q, qe)


def _beta_x(x, beta):
    with np.errstate(over="ignore"):  # β·x = ±inf only where exp(−|β·x|) is exactly 0 anyway
        return beta * x


def _beta_exact_tail(beta, fn):
    """Recompute fn(exp(−|β·x|)) where x < 0 with β·x carried as hi + lo.

    For β not a power of two, β·x is rounded and exp amplifies the error |β·x|-fold;
    with the exact product exp(−|p + q|) = exp(p)·(1 + q) for p = fl(β·x) < 0.
    """
    def exact(xs):
        ps, qs = _two_prod_const(xs, beta)
        es = np.exp(ps)
        return fn(es + es * qs)
    return exact


def _beta_needs_care(beta):
    return math.frexp(beta)[0] != 0.5 and 2.0**-300 < beta < 2.0**300


def _check_beta(beta, fname):
    return check_param(beta, fname, "beta", positive=True)


@_elementwise
def softplus(x, beta=1.0):
    r"""Softplus, a smooth ReLU: log(1 + exp(beta·x)) / beta.

    .. math:: \operatorname{softplus}(x) = \tfrac{1}{\beta}\log(1 + e^{\beta x})
              = \max(x, 0) + \tfrac{1}{\beta}\log\!\big(1 + e^{-|\beta x|}\big)

    Parameters
    ----------
    beta : float
        Sharpness β > 0 (default 1); β → ∞ approaches ReLU.

    PyTorch: ``torch.nn.functional.softplus`` — but exact everywhere: PyTorch
    switches to the identity for βx > 20 (``threshold``), an error of up to
    e^{-20}/β ≈ 2e-9/β (6e5 ulp at x = 20); we have no such cut-off.  Trick:
    the max + log1p form never overflows and keeps the e^{βx} tail for x < 0;
    for β not a power of two, β·x is carried as a double-double where exp
    would magnify its rounding error.

    >>> from activations.elementwise import softplus
    >>> print(softplus([-40.0, 0.0, 20.0]))
    [4.24835426e-18 6.93147181e-01 2.00000000e+01]
    """
    b = _check_beta(beta, "softplus")
    if b == 1.0:
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))
    p = _beta_x(x, b)
    out = np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(p))) / b
    if _beta_needs_care(b):
        out = _patch(out, (p < -0.25) & (p > -800.0),
                     _beta_exact_tail(b, lambda e: np.log1p(e) / b), x)
    return out


@_elementwise
def softplus_grad(x, beta=1.0):
    r"""Derivative of :func:`softplus`: :math:`\sigma(\beta x)`.

    >>> from activations.elementwise import softplus_grad
    >>> print(softplus_grad([-40.0, 0.0, 40.0]))
    [4.24835426e-18 5.00000000e-01 1.00000000e+00]
    """
    b = _check_beta(beta, "softplus_grad")
    p = x if b == 1.0 else _beta_x(x, b)
    u, v = _exp_halves(p)
    out = u / (1.0 + u * v)  # σ(β·x) as in sigmoid
    if _beta_needs_care(b):
        out = _patch(out, (p < -0.25) & (p > -800.0),
                     _beta_exact_tail(b, lambda e: e / (1.0 + e)), x)
    return out


# --------------------------------------------------------------------------
# Thresholds and shrinkage
# --------------------------------------------------------------------------
@_elementwise
def threshold(x, threshold, value):
    r"""Threshold: keep x where it exceeds the threshold, else replace it by ``value``.

    .. math:: f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}

    Parameters
    ----------
    threshold : float
        :math:`\theta`.
    value : float
        :math:`v`, the replacement (may be ±inf, e.g. for masking).

    PyTorch: ``torch.nn.functional.threshold`` (both parameters required; NaN
    passes through, as in PyTorch).

    >>> from activations.elementwise import threshold
    >>> print(threshold([-1.0, 1.0, 2.0], threshold=1.0, value=0.0))
    [0. 0. 2.]
    """
    t = check_param(threshold, "threshold", "threshold", finite=False)
    v = check_param(value, "threshold", "value", finite=False)
    return np.where(x <= t, v, x)


@_elementwise
def threshold_grad(x, threshold, value):
    r"""Derivative of :func:`threshold`: 1 for x > threshold, else 0 (0 at the threshold).

    >>> from activations.elementwise import threshold_grad
    >>> print(threshold_grad([-1.0, 1.0, 2.0], threshold=1.0, value=0.0))
    [0. 0. 1.]
    """
    t = check_param(threshold, "threshold_grad", "threshold", finite=False)
    check_param(value, "threshold_grad", "value", finite=False)
    return _indicator(x > t, x)


@_elementwise
def softshrink(x, lambd=0.5):
    r"""Soft shrinkage: sign(x)·max(|x| - lambd, 0), the proximal map of lambd·|x|.

    .. math:: f(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}

    Parameters
    ----------
    lambd : float
        :math:`\lambda \ge 0` (default 0.5).

    PyTorch: ``torch.nn.functional.softshrink``.  Computed as
    :math:`x - \operatorname{clip}(x, -\lambda, \lambda)`: one rounding, NaN-safe.

    >>> from activations.elementwise import softshrink
    >>> print(softshrink([-2.0, 0.3, 1.0]))
    [-1.5  0.   0.5]
    """
    lam = _check_lambd(lambd, "softshrink")
    return x - np.clip(x, -lam, lam)


@_elementwise
def softshrink_grad(x, lambd=0.5):
    r"""Derivative of :func:`softshrink`: 1 for |x| > λ, else 0 (0 at x = ±λ, like PyTorch).

    >>> from activations.elementwise import softshrink_grad
    >>> print(softshrink_grad([-2.0, 0.5, 1.0]))
    [1. 0. 1.]
    """
    lam = _check_lambd(lambd, "softshrink_grad")
    return _indicator(np.abs(x) > lam, x)


@_elementwise
def hardshrink(x, lambd=0.5):
    r"""Hard shrinkage (hard thresholding): zero out |x| ≤ λ.

    .. math:: f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}

    Parameters
    ----------
    lambd : float
        :math:`\lambda \ge 0` (default 0.5).

    PyTorch: ``torch.nn.functional.hardshrink``.

    >>> from activations.elementwise import hardshrink
    >>> print(hardshrink([-2.0, 0.5, 1.0]))
    [-2.  0.  1.]
    """
    lam = _check_lambd(lambd, "hardshrink")
    return x * (np.abs(x) > lam)  # NaN·0 is NaN, so NaN passes through


@_elementwise
def hardshrink_grad(x, lambd=0.5):
    r"""Derivative of :func:`hardshrink`: 1 for |x| > λ, else 0 (the jumps at ±λ get 0).

    >>> from activations.elementwise import hardshrink_grad
    >>> print(hardshrink_grad([-2.0, 0.5, 1.0]))
    [1. 0. 1.]
    """
    lam = _check_lambd(lambd, "hardshrink_grad")
    return _indicator(np.abs(x) > lam, x)


# --------------------------------------------------------------------------
# Coefficient tables (generated by tests/test_elementwise.py::generate_tables
# with mpmath at 50 digits; that test also checks they are reproduced).
# --------------------------------------------------------------------------
# Φ(−t)·exp(t²/2) on 16 pieces [j/2, (j+1)/2): polynomial in s = 4(t − j/2 − 1/4) ∈ [−1, 1].
_MILLS_PIECES = np.array([
    [
        0.4140321029477354, -0.07385856366612464, 0.010630423102550331,
        -0.0013172529284094028, 0.00014551828397107883, -1.464668304263651e-05,
        1.3632458420565066e-06, -1.1860216190821629e-07, 9.723781888090037e-09,
        -7.56026432323024e-10, 5.6043356766268686e-11, -4.035932214565789e-12,
        2.749035476042292e-13,
    ],
    [
        0.30023246233995093, -0.04344198341161736, 0.0053095785032843375,
        -0.0005731926646203775, 5.609375795976806e-05, -5.061392381966742e-06,
        4.2614146660310276e-07, -3.377650771725038e-08, 2.5375939600873445e-09,
        -1.8167940993842976e-10, 1.2452448151416407e-11, -8.305181753009704e-13,
        5.266711716401117e-14,
    ],
    [
        0.23076032130563176, -0.02762296969234824, 0.00289517102637158,
        -0.00027389822001027265, 2.383874884876105e-05, -1.9338059466222073e-06,
        1.4760124073866257e-07, -1.0676784991866187e-08, 7.360729283162207e-10,
        -4.858363047629022e-11, 3.0819897969470567e-12, -1.9058473594661834e-13,
        1.1260035300802219e-14,
    ],
    [
        0.18523166467823896, -0.018696716803628624, 0.0016985827204012058,
        -0.00014180495335043314, 1.1030438233567264e-05, -8.073985713418371e-07,
        5.602758575997476e-08, -3.7071920534299604e-09, 2.349784854538631e-10,
        -1.4321244098685845e-11, 8.420055587866781e-13, -4.834583155770538e-14,
        2.6638982641524314e-15,
    ],
    [
        0.15365193742384164, -0.013306355299447247, 0.0010592106165255128,
        -7.861374480662042e-05, 5.495108019780726e-06, -3.644721578327664e-07,
        2.3071443739045694e-08, -1.4002604790314116e-09, 8.178984935145009e-11,
        -4.612024572942135e-12, 2.5174536863377634e-13, -1.3444114299388906e-14,
        6.917715852113854e-16,
    ],
    [
        0.13072473410074711, -0.009862315406094528, 0.0006949770198033532,
        -4.619933725536838e-05, 2.91850484366113e-06, -1.7619729968216195e-07,
        1.0211818198506974e-08, -5.702437679411812e-10, 3.077450882248938e-11,
        -1.609158262569556e-12, 8.170676760271727e-14, -4.066169972821775e-15,
        1.9568190595464033e-16,
    ],
    [
        0.11345206212929865, -0.007555769620303024, 0.00047584553329247905,
        -2.8537035156266825e-05, 1.6385011915783438e-06, -9.045649581997696e-08,
        4.818403602984024e-09, -2.4836830091297617e-10, 1.2418873518236584e-11,
        -6.036208322249624e-13, 2.8572432309156465e-14, -1.3277861228120477e-15,
        5.98640794743981e-17,
    ],
    [
        0.10003920963545321, -0.005948811067120791, 0.0003377201133950422,
        -1.839602846239919e-05, 9.65307600922744e-07, -4.895518060639509e-08,
        2.406040539748463e-09, -1.148622565447324e-10, 5.3367713418985414e-12,
        -2.4173756143192075e-13, 1.0691478918011985e-14, -4.649566843242786e-16,
        1.9675093541336213e-17,
    ],
    [
        0.08935931861967142, -0.004791294066957286, 0.0002471037337936737,
        -1.2302720676350717e-05, 5.930856608704994e-07, -2.7753305519211022e-08,
        1.2633277816661041e-09, -5.6042261647767006e-11, 2.42663553171775e-12,
        -1.027034704498229e-13, 4.254069861275698e-15, -1.7351506086369608e-16,
        6.904563600856542e-18,
    ],
    [
        0.08067539917254936, -0.003933533582955802, 0.00018557065926215992,
        -8.493563686974259e-06, 3.7801483140076817e-07, -1.6391023629428362e-08,
        6.935977337511828e-10, -2.8684524232646133e-11, 1.160873271845974e-12,
        -4.602692056770815e-14, 1.7897014039700096e-15, -6.861858004470857e-17,
        2.5726641712516307e-18,
    ],
    [
        0.07348823085269288, -0.003282267106198774, 0.00014251942570370685,
        -6.028315967102716e-06, 2.4882484991484184e-07, -1.003742648611287e-08,
        3.962384761027296e-10, -1.5325165157080252e-11, 5.813282030351363e-13,
        -2.1647585000569788e-14, 7.920319978237428e-16, -2.860857173808727e-17,
        1.0125874527099736e-18,
    ],
    [
        0.0674492313514587, -0.0027773000326363063, 0.00011160408127573877,
        -4.383461735298225e-06, 1.6850720881061884e-07, -6.3474491581650665e-09,
        2.3454039763088966e-10, -8.509107289571049e-12, 3.033666475526238e-13,
        -1.0636571534507256e-14, 3.6702448152761497e-16, -1.251661316139441e-17,
        4.190490528492782e-19,
    ],
    [
        0.062308486908362076, -0.0023785593060424238, 8.88907580406713e-05,
        -3.256049063034197e-06, 1.1702392913775604e-07, -4.1306354323746575e-09,
        1.4331295133621368e-10, -4.891175451091311e-12, 1.6432473015888645e-13,
        -5.43787409196024e-15, 1.773574123345732e-16, -5.722686792194834e-18,
        1.8157319315548214e-19,
    ],
    [
        0.057882631723879995, -0.002058629066310676, 7.186396667161721e-05,
        -2.464624295354399e-06, 8.311110464138198e-08, -2.7578058754618322e-09,
        9.010777087354898e-11, -2.9008577012774917e-12, 9.206729001760406e-14,
        -2.882218342270017e-15, 8.904425062245045e-17, -2.7239851650905688e-18,
        8.206183425856991e-20,
    ],
    [
        0.05403435940923554, -0.001798293671118758, 5.88700920872361e-05,
        -1.8971041789356463e-06, 6.021985778284944e-08, -1.8841037904118812e-09,
        5.813383188416946e-11, -1.769845232761891e-12, 5.3190001725555094e-14,
        -1.5787121064850533e-15, 4.629501244932164e-17, -1.3453519906114641e-18,
        3.8551610766317714e-20,
    ],
    [
        0.05065898233519691, -0.0015837918259141584, 4.879486662056242e-05,
        -1.482311680765068e-06, 4.44250705757082e-08, -1.3141811614760592e-09,
        3.8390151770190175e-11, -1.1079147923096681e-12, 3.1599947274673797e-14,
        -8.910842357941156e-16, 2.4851645331270408e-17, -6.873493507637506e-19,
        1.8767696673304162e-20,
    ],
]).T.copy()  # row k holds the s**k coefficient of every piece, for np.take

# t·Φ(−t)·exp(t²/2) for 8 <= t <= 40: polynomial in d = 8/t − 0.6 ∈ [−0.4, 0.4].
_MILLS_TAIL = (
    0.39673507331183666, -0.007237836380163515, -0.005643692722925565,
    0.0006124625889864531, 0.00018857270250102447, -5.7729746647017924e-05,
    -5.118777866662957e-06, 5.683948438968091e-06, -5.703679906311235e-07,
    -4.990831099736442e-07, 1.8318647232212446e-07, 2.069297683950805e-08,
    -3.1825362528944936e-08, 4.777543595128182e-09, 3.464173584198371e-09,
)

# (x − tanh x)/x³ for x² < 1.28 (used for |x| < 1.1): polynomial in s = x²/0.64 − 1 ∈ [−1, 1].
_TANHSHRINK_RATIO = (
    0.2655531830706075, -0.05384162439672685, 0.011068326635838021,
    -0.0022790692825223227, 0.000469381332101964, -9.667329609988922e-05,
    1.9910809619156782e-05, -4.100827891656442e-06, 8.446063118594341e-07,
    -1.7395502586262646e-07, 3.582705054886846e-08, -7.378935519015426e-09,
    1.5209663348329905e-09, -3.132580644987518e-10, 6.333024117113764e-11,
    -1.3043489733583291e-11, 3.3202258718533964e-12, -6.838333673113324e-13,
)

# mish(x)/x = tanh(softplus(x)) for −1 <= x <= 0: polynomial in s = 2x + 1 ∈ [−1, 1].
_MISH_RATIO = (
    0.44148754930346, 0.1519768713899478, 0.010984140611631256,
    -0.0037262002189168307, -0.0008066867078890802, 4.5906236744824554e-05,
    3.6775015168090084e-05, 2.9369476975458165e-06, -1.056206432786724e-06,
    -2.5592703770503707e-07, 7.550123829084097e-09, 1.1166500601185161e-08,
    1.2033365271065048e-09, -2.821788416884623e-10, -8.539327205385834e-11,
    -1.6674549202431643e-13, 3.049902728902381e-12, 3.5489141948336486e-13,
)

# f'(x) = (x − r)·Q(s) on [lo, hi), s = (x − centre)/half-width, r = r_hi + r_lo the zero of f'.
_WINDOWS = {
    "gelu": (
        _Window(-1.0, -0.5, -0.7517915246935645, 1.4956759177009883e-17, (
            0.43218955538054815, 0.09705466864084913, -0.0011757940898419806,
            -0.001783022868940152, -5.702082800956412e-05, 1.9013985830449537e-05,
            1.10133696757344e-06, -1.3734078879272234e-07, -1.1319121017569117e-08,
            7.167103775539636e-10, 8.19557558346231e-11, -2.713406455005645e-12,
            -4.612332990755303e-13, 6.663585628676797e-15, 2.124029486254e-15,
            -2.7663668521097513e-18, -8.148689159204758e-18,
        )),
    ),
    "gelu_tanh": (
        _Window(-1.5, -1.0, -0.7524614220710163, 3.635560509207687e-17, (
            0.2461972552149165, 0.08291632183423683, 0.006956989203449491,
            -0.0007579566300541786, -0.0001568285841995815, -1.239882006793931e-06,
            1.5537464686495945e-06, 9.401673514069763e-08, -9.092584413295056e-09,
            -1.2190700179694522e-09, 2.521845896730442e-11, 1.1333043252411188e-11,
            1.9655773057107197e-13, -9.257293809022234e-14, -5.038216332188712e-15,
            6.505633329581388e-16, 7.049231584122617e-17, -3.0767430857265023e-18,
            -7.2811667764756375e-19,
        )),
        _Window(-1.0, -0.5, -0.7524614220710163, 3.635560509207687e-17, (
            0.4313538401592927, 0.09685966939709444, -0.0010390531949621546,
            -0.0017829205901432128, -6.397116849886891e-05, 1.9296580630060568e-05,
            1.274208665785966e-06, -1.4898295098431916e-07, -1.4061912501315304e-08,
            1.0184261821935634e-09, 1.1758753229782716e-10, -8.445859548651637e-12,
            -9.393795803746872e-13, 8.943371501058567e-14, 8.928267588409977e-15,
            -9.369904756650574e-16, -9.886111223890766e-17, 8.13562202286207e-18,
            1.0326506930552943e-18,
        )),
    ),
    "silu": (
        _Window(-1.5, -1.0, -1.2784645427610737, -1.0946994183093437e-16, (
            0.22200093420538744, 0.03692142809615641, 0.001096426028336618,
            -0.0002495854821799443, -2.569810324587198e-05, 2.598723113474943e-07,
            2.037447266433588e-07, 1.071273982316115e-08, -7.418913401924947e-10,
            -1.1620429332557011e-10, -2.062170759288051e-12, 6.287230357454919e-13,
            5.016650145948486e-14, -1.0291909496647137e-15, -3.734002745408285e-16,
            -1.4585496639097858e-17, 1.4155790379603818e-18,
        )),
    ),
    "mish": (
        _Window(-1.5, -0.75, -1.1924312145154952, -4.8484829848031044e-17, (
            0.28093719821383684, 0.07878254530208123, 0.005254508737130362,
            -0.0013017242429649977, -0.00033358540089281267, -2.0912206280463243e-05,
            4.423428994187273e-06, 1.165761500176402e-06, 8.461902288907224e-08,
            -1.2292812766037016e-08, -3.745088943895626e-09, -3.1728689645134197e-10,
            3.0423107588219456e-11, 1.1328640722747591e-11, 1.0971232152572502e-12,
            -6.789461472774339e-14, -3.2748473830214537e-14, -3.13903572685116e-15,
            1.736484865121217e-16,
        )),
        _Window(-0.75, 0.0, -1.1924312145154952, -4.8484829848031044e-17, (
            0.4435434041807536, 0.07324075793990341, -0.010342793827042151,
            -0.003424438139996629, 3.923071867140527e-05, 0.00011102047348619611,
            9.32179229965886e-06, -2.3650209757141053e-06, -4.951129882916791e-07,
            1.889366072411532e-08, 1.553442123642222e-08, 9.7188779941266e-10,
            -3.2677472882369817e-10, -5.704556788426194e-11, 3.2490052853723745e-12,
            1.8006175203972444e-12, 8.361614497386002e-14, -3.655119517334101e-14,
            -4.974596639844403e-15,
        )),
    ),
}
