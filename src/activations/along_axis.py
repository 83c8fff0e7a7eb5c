"""Functions along one axis: softmax, softmin, log_softmax, logsumexp and softmax's derivatives.

Conventions (shared with :mod:`activations.information`)
---------------------------------------------------------
* ``axis`` is an ``int`` as in NumPy (PyTorch calls it ``dim``); the default is the last
  axis. An axis out of range raises :class:`numpy.exceptions.AxisError`, a ``ValueError``;
  a 0-d input has no axis, so it raises the same error.
* float32 in, float32 out (computed in float64 and rounded once at the end); float64 stays
  float64; ints and bools become float64. Inputs are never modified.
* No floating-point warnings, whatever the input.
* Accuracy: every element of softmax, softmin and log_softmax is within 4 ulp of the exact
  result (checked against mpmath at 50 digits; measured <= 3), probabilities of 1e-300 and
  log-probabilities such as ``log(1 - 4.2e-18)`` included; so is logsumexp, except where
  ``max x < 0`` and ``max x + log(sum exp(x - max))`` cancels: there its error is a few ulp
  of ``|max x|`` instead of the (smaller) result. Never a spurious 0, inf or NaN.
* Non-finite logits: ``-inf`` is allowed (probability 0, log-probability ``-inf``). A
  *slice* (the values along ``axis`` at one batch position) that contains NaN or ``+inf``,
  or is all ``-inf``, has no softmax: softmax, softmin and log_softmax return NaN for the
  whole slice, silently; logsumexp returns NaN, ``+inf`` and ``-inf`` respectively.
* An empty axis: softmax, softmin and log_softmax return an empty array; logsumexp returns
  ``-inf``, the logarithm of an empty sum (which is 0).

Where the accuracy comes from
-----------------------------
1. *The shift.* ``exp(x - m)`` with ``m = max(x)`` avoids overflow, but ``x - m`` is
   rounded, and ``exp`` turns the rounding error of ``x - m`` (up to ``|x - m| * 2**-53``)
   into a relative error: 33-55 ulp for small probabilities in SciPy and PyTorch. Here a
   slice is not shifted at all when every ``exp(x)`` is safe (``0 <= max x <= 600``, or
   ``max x < 0`` and ``min x >= -700``): nothing is rounded before ``exp``. Other slices
   (like ``[1000, 1001]`` or ``[-1000, -1000]``) are shifted, with
   ``x - m`` computed as an unevaluated sum ``s + err`` (Fast2Sum/TwoSum, exact) and
   ``exp(x - m) = exp(s) * (1 + err)``.
2. *The sum.* softmax sums ``S = sum exp(x_j - m)`` with Rump's error-free splitting: each
   term is cut into a high part on a grid (whose sum is exact in any order) and a tiny
   remainder, so ``S`` is right to ~1 ulp along any axis. NumPy's pairwise sum would cost
   2-3 ulp at n = 1000, and along a non-contiguous axis NumPy adds sequentially.
3. *log_softmax.* ``log p_i = (x_i - m) - log1p(S')``, where ``S'`` is the sum *without one
   maximal term*, computed directly (pairwise along a contiguous last axis, by splitting
   otherwise). Forming ``1 + S'`` first would round ``S' = exp(-40) = 4.2e-18`` away: that
   is why ``F.cross_entropy([40, 0], 0)`` is 0 in PyTorch.
4. *Temperature.* ``x / T`` is rounded too; its rounding error is recovered exactly (the
   remainder ``x - q T`` via Dekker's split) and folded in like ``err`` above, so
   ``softmax(x, temperature=T)`` is within 4 ulp of the softmax of the exact real numbers
   ``x / T``. A power-of-two ``T`` divides exactly; other values cost ten more array
   passes, done with ``exp`` in cache-sized blocks (``benchmarks/bench_axis.py`` measures
   them against the naive ``exp(x / T) / sum``).
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from ._checks import BLOCK, as_float_array, check_param, map_blocks, scratch

__all__ = [
    "softmax",
    "softmin",
    "log_softmax",
    "logsumexp",
    "softmax_jacobian",
    "softmax_vjp",
]

_SPLIT = 134217729.0  # 2**27 + 1: Dekker's constant, splits a double into two 26-bit halves
_HEAD_MASK = ~((1 << 26) - 1)  # clears a double's 26 low mantissa bits: 27 significant bits stay
# Without the shift, exp(x) must neither overflow in a sum nor lose precision as a subnormal.
_DIRECT_MAX = 600.0
#: Block size of the multi-pass elementwise steps (the exact x/T, exp(s)(1 + err)).
_BLOCK = BLOCK
_DIRECT_MIN = -700.0


# ----------------------------------------------------------------------------- helpers
def _axis(axis, ndim: int, fname: str) -> int:
    """Validate ``axis`` for an array of ``ndim`` dimensions; return it as a non-negative int."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{fname}: axis must be an integer, got {type(axis).__name__}")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim, fname)
    return axis % ndim


def _work(x, fname: str, name: str = "x"):
    """A float64 copy of ``x`` that we may overwrite, and the dtype to return."""
    arr = as_float_array(x, fname, name)
    return arr.astype(np.float64, copy=False), arr.dtype


def _read(x, fname: str, name: str = "x"):
    """Like :func:`_work`, but a float64 ndarray comes back uncopied: never write to it."""
    if type(x) is np.ndarray and x.dtype == np.float64:
        return x, x.dtype
    return _work(x, fname, name)


def _finish(out: np.ndarray, dtype) -> np.ndarray:
    """Round a float64 result once to the caller's dtype; unwrap 0-d results to a NumPy scalar."""
    if out.dtype != dtype:
        with np.errstate(all="ignore"):  # float32 overflow to +-inf is the correct rounding
            out = out.astype(dtype)
    return out[()] if out.ndim == 0 else out


def _reduced_shape(shape, axis: int, keepdims: bool):
    return shape[:axis] + ((1,) if keepdims else ()) + shape[axis + 1:]


def _exact_diff(w, c, sign: int):
    """``w - c`` (``c`` per slice) as ``h + err``, exact wherever ``exp((w - c)/T)`` matters.

    ``sign > 0`` (every ``c >= 0``): Fast2Sum with ``-c`` as the larger operand, exact for
    ``|w| <= c``; the other elements (``w < -c``) occur only in shifted slices, where
    ``c/T > 600``, so ``(w - c)/T < -1200`` and their exponential is 0 anyway.
    ``sign < 0`` (every ``c <= 0``): ``w <= c <= 0``, so Fast2Sum with ``w`` as the larger
    operand. ``sign == 0``: Knuth's TwoSum, exact always, twice the work.
    """
    h = np.subtract(w, c)
    if sign > 0:
        err = np.add(h, c)
        np.subtract(w, err, out=err)
    elif sign < 0:
        err = np.subtract(w, h)
        err -= c
    else:
        bb = np.subtract(h, w)
        err = np.subtract(h, bb)
        np.subtract(w, err, out=err)
        bb += c
        err -= bb
    return h, err


def _split_scalar(t: float):
    c = _SPLIT * t
    hi = c - (c - t)
    return hi, t - hi


def _div_exact(h, lo, T: float):
    """``(h + lo) / T`` as ``q + l`` (``q = fl(h/T)``, ``|l| <~ 1.5 ulp(q)``); overwrites ``h``, ``lo``.

    The remainder ``h - q*T`` is a double. With Dekker's split ``T = th + tl`` (26-bit
    head) and ``q = qh + ql`` (27 + 26 bits), subtracting the exact products ``qh*th`` and
    ``ql*th`` one at a time and then the rounded ``q*tl`` computes it without error when
    ``tl = 0`` and to ``2**-26`` of itself otherwise: far more than the correction ``l``
    needs (it changes ``exp`` by at most ``|q| ulp``). ``lo`` may be None (meaning 0).
    """
    mant, _ = math.frexp(T)
    if mant == 0.5 and 2.0**-1000 <= T <= 2.0**1000:
        inv = 1.0 / T  # a power of two: scaling is exact
        h *= inv
        if lo is not None:
            lo *= inv
        return h, lo
    if not _dekker_ok(T):  # Dekker's split would overflow; keep the plain quotient
        if lo is not None:
            lo /= T
        return h / T, lo
    if lo is None:
        return map_blocks(lambda hb: _div_rem(hb, None, T), h, block=_BLOCK), h
    return map_blocks(lambda hb, lb: _div_rem(hb, lb, T), h, lo, block=_BLOCK), h


def _dekker_ok(T: float) -> bool:
    """Whether ``T`` is neither a power of two (exact scaling) nor too large or small to split."""
    return math.frexp(T)[0] != 0.5 and 2.0**-900 <= T <= 2.0**900


def _div_rem(h, lo, T: float, q=None, a=None, b=None, rem=None):
    """``q = fl(h/T)``; ``rem`` (default: ``h`` itself) becomes ``l`` with ``(h + lo)/T = q + l``
    (see :func:`_div_exact`). ``q, a, b, rem``: optional scratch arrays of ``h``'s size."""
    th, tl = _split_scalar(T)
    q = np.multiply(h, 1.0 / T, out=q)  # any q near h/T will do: l takes up the rest
    a = np.bitwise_and(q.view(np.int64), _HEAD_MASK, out=None if a is None else a.view(np.int64)).view(np.float64)
    b = np.subtract(q, a, out=b)  # q = a + b exactly: 27 + 26 significant bits
    a *= th  # exact: 27 + 26 bits
    rem = np.subtract(h, a, out=h if rem is None else rem)  # exact (Sterbenz: q*th is within 2**-25 of h)
    b *= th
    rem -= b
    if tl != 0.0:  # q*tl is rounded, but its error is 2**-26 times smaller than the remainder's
        np.multiply(q, tl, out=b)
        rem -= b
    # rem is now h - q*T (exactly, or for T with more than 26 bits to 2**-26 of itself)
    if lo is not None:
        rem += lo
    rem *= 1.0 / T  # l: what the quotient q missed (needed to ~2**-11 of itself only)
    return q


def _exp_div(h, lo, T: float, out=None):
    """``exp((h + lo)/T)`` into ``out`` (default: ``h``; both C-contiguous), as ``exp(q)(1 + l)``
    from :func:`_div_rem`, one cache-sized block at a time: the same numbers as
    :func:`_div_exact` then :func:`_exp_corrected`, without the round trip of ``q`` and ``l``
    through memory. ``h`` is read only when ``out`` is another array."""
    out = h if out is None else out
    hf, of = h.reshape(-1), out.reshape(-1)
    lf = None if lo is None else lo.reshape(-1)
    n = min(_BLOCK, hf.size)
    q, a, b, rem = scratch(4, n)
    for i in range(0, hf.size, _BLOCK):
        hb = hf[i:i + _BLOCK]
        m = hb.size
        e = _div_rem(hb, None if lf is None else lf[i:i + _BLOCK], T, q[:m], a[:m], b[:m], rem[:m])
        np.exp(e, out=e)
        ob = of[i:i + _BLOCK]
        np.multiply(rem[:m], e, out=ob)
        ob += e
    return out


def _safe_scaled_diff(w, m, T: float):
    """``(w - m)/T`` without the exact tricks, for elements whose exact version overflowed."""
    h = w - m
    y = h / T
    over = np.isinf(h) & np.isfinite(w)  # w - m overflowed; the quotient may still be finite
    if over.any():
        y = np.where(over, w / T - m / T, y)
    return y


def _sigma(n: int, tmax):
    """Rump's splitting constant: a power of two >= (n + 2) * tmax (0 where unusable)."""
    _, ex = np.frexp(tmax)
    sig = np.ldexp(1.0, ex + (n + 2).bit_length())
    return np.where(np.isfinite(sig) & np.isfinite(tmax), sig, 0.0)


def _extract_sum(t, axis: int, tmax):
    """Sum of ``t`` along ``axis`` (keepdims) to ~1 ulp, for ``|t| <= tmax`` per slice.

    ``q = (t + sigma) - sigma`` rounds each term to a multiple of ``ulp(sigma)``; the sum of
    the ``q`` is exact in any order, and the remainders ``t - q`` (exact) are so small that
    their rounded sum cannot spoil the result (Rump, Ogita & Oishi, "Accurate floating-point
    summation", 2008). ``t`` is left unchanged.
    """
    sig = _sigma(t.shape[axis], tmax)
    n = t.shape[axis]
    if axis == t.ndim - 1 and t.flags.c_contiguous and 0 < n <= _BLOCK and t.size > 2 * _BLOCK:
        total, rest = _extract_rows(t.reshape(-1, n), sig.reshape(-1, 1))
        return np.where(sig == 0.0, total.reshape(sig.shape), (total + rest).reshape(sig.shape))
    q = t + sig
    q -= sig
    total = np.sum(q, axis=axis, keepdims=True)
    np.subtract(t, q, out=q)
    rest = np.sum(q, axis=axis, keepdims=True)
    # sigma = 0 marks slices with inf/NaN, summed plainly (their remainders are NaN)
    return np.where(sig == 0.0, total, total + rest)


def _extract_rows(t2, sig2):
    """:func:`_extract_sum`'s two row sums for a C-contiguous (m, n) ``t2``, in blocks of
    rows that stay in cache (the same pairwise sums, so the same bits)."""
    m, n = t2.shape
    k = max(1, _BLOCK // n)
    q, fill = scratch(2, min(m, k) * n)
    total, rest = np.empty((m, 1)), np.empty((m, 1))
    for i in range(0, m, k):
        tb, sb = t2[i:i + k], sig2[i:i + k]
        qb, fb = q[:tb.size].reshape(tb.shape), fill[:tb.size].reshape(tb.shape)
        np.copyto(fb, sb)  # one broadcast pass: ops with a (k, 1) operand are ~2.5x slower
        np.add(tb, fb, out=qb)
        qb -= fb
        np.sum(qb, axis=1, keepdims=True, out=total[i:i + k])
        np.subtract(tb, qb, out=qb)
        np.sum(qb, axis=1, keepdims=True, out=rest[i:i + k])
    return total, rest


class _Terms(NamedTuple):
    """exp((x - c)/T) per element, with c = 0 or c = max per slice, and what goes with it."""

    e: np.ndarray  # the exponentials, each to ~1 ulp
    top: np.ndarray  # e at the argmax (keepdims); exactly 1 in shifted slices
    k: np.ndarray  # argmax along the axis (keepdims)
    m: np.ndarray  # max along the axis (keepdims)
    s: np.ndarray | None  # with keep=True: (x - c)/T == s + err (|err| <~ 1.5 ulp(s)),
    err: np.ndarray | None  # err None meaning 0
    bad: np.ndarray | None  # slices with NaN, +inf or only -inf (keepdims), or None


def _shifts(w, axis: int, m, finite, T: float):
    """Per-slice shift ``c``: 0 where every ``exp(x/T)`` is safe to use unshifted, else the max.

    Unshifted needs no overflow in the sum (``max/T <= 600``) and no subnormal term that
    matters: with ``max >= 0`` the sum is >= 1 and subnormal terms are rounded as finely as
    the result; otherwise every ``x/T`` must be >= -700.
    """
    mq = np.where(finite, m, 0.0) / T  # bad slices are NaN anyway: leave them unshifted
    direct = (mq <= _DIRECT_MAX) & (mq >= 0.0)
    if not direct.all():
        neg = (mq < 0.0) & ~direct
        if neg.any():
            direct |= neg & (np.min(w, axis=axis, keepdims=True) / T >= _DIRECT_MIN)
    return np.where(direct, 0.0, m)


def _terms(w, axis: int, T: float, keep: bool = False, owned: bool = True) -> _Terms:
    """The exponentials behind softmax, for a float64 ``w`` with a non-empty axis.

    ``w`` is used as a work buffer unless ``owned=False`` (then it is only read).
    ``keep=True`` (log_softmax) also returns ``s`` and ``err`` with ``(x - c)/T == s + err``.
    """
    k = np.argmax(w, axis=axis, keepdims=True)  # NaN wins argmax, so m is NaN for NaN slices
    m = np.take_along_axis(w, k, axis=axis)
    finite = np.isfinite(m)
    bad = None if finite.all() else ~finite
    c = _shifts(w, axis, m, finite, T)
    cmax, cmin = np.max(c), np.min(c)
    if cmax == 0.0 and cmin == 0.0 and T == 1.0:
        # the common case: plain exp(x), no shift, nothing rounded before exp
        e = np.exp(w, out=w if owned and not keep else None)
        return _Terms(e, np.take_along_axis(e, k, axis=axis), k, m, w if keep else None, None, bad)
    # w is needed again only to repair overflowed or -inf differences: can any occur?
    wmin = np.min(w)
    clean = bool(np.isfinite(wmin) and (max(cmax, 0.0) - wmin) / T < 1e300)
    fuse = T != 1.0 and clean and not keep and _dekker_ok(T)  # exp(x/T) in one blocked pass
    if cmax == 0.0 and cmin == 0.0:
        if fuse and w.flags.c_contiguous:
            e = _exp_div(w, None, T, out=None if owned else np.empty(w.shape))
            return _Terms(e, np.take_along_axis(e, k, axis=axis), k, m, None, None, bad)
        h, err = (w if clean and owned else w.copy()), None
    else:
        h, err = _exact_diff(w, c, 1 if cmin >= 0.0 else -1 if cmax <= 0.0 else 0)
    if fuse and h.flags.c_contiguous and (err is None or err.flags.c_contiguous):
        e = _exp_div(h, err, T)
        return _Terms(e, np.take_along_axis(e, k, axis=axis), k, m, None, None, bad)
    if T != 1.0:
        h, err = _div_exact(h, err, T)
    if not clean:
        broken = ~np.isfinite(h) if err is None else ~np.isfinite(err)
        if broken.any():  # there exp is 0: only s matters, for log_softmax
            h = np.where(broken, _safe_scaled_diff(w, c, T), h)
            err = None if err is None else np.where(broken, 0.0, err)
    e = _exp_corrected(h, err, keep)
    if not keep:
        h = err = None
    return _Terms(e, np.take_along_axis(e, k, axis=axis), k, m, h, err, bad)


def _exp_corrected(h, err, keep: bool):
    """``exp(h + err)`` as ``exp(h)(1 + err)``, in cache-sized blocks; overwrites ``h, err`` unless ``keep``.

    The dropped ``err**2 <= (1.5 * 745 * 2**-52)**2`` is far below rounding.
    """
    if err is None:
        return np.exp(h, out=None if keep else h)

    def corrected(hb, eb):
        e = np.exp(hb)
        e += e * eb
        return e
    return map_blocks(corrected, h, err, out=None if keep else h, block=_BLOCK)


def _rest_sum(e, k, top, axis: int, mode: str):
    """``S'``: the sum of ``e`` without the term at ``k`` (set to 0 in place); keepdims.

    ``mode="abs"``: error ~1 ulp of ``top + S'`` (enough for softmax). ``"rel"``: ~1 ulp of
    ``S'`` itself, however small (for ``1 - p_max = S'/S``). ``"fast"``: NumPy's pairwise sum
    where it applies (contiguous last axis, error a few ulp of ``S'``), else ``"rel"``.
    """
    np.put_along_axis(e, k, 0.0, axis=axis)
    if mode == "fast" and axis == e.ndim - 1:
        return np.sum(e, axis=axis, keepdims=True)
    return _extract_sum(e, axis, top if mode == "abs" else np.max(e, axis=axis, keepdims=True))


def _nan_slices(out, bad):
    if bad is not None:
        np.copyto(out, np.nan, where=bad)
    return out


def _softmax(w, axis: int, T: float, mode: str = "abs", owned: bool = True):
    """Softmax of the float64 array ``w`` (used as work space); returns (p, terms, S', S).

    ``S = top + S'`` is the sum of the exponentials, ``top`` the largest, so the largest
    probability is ``top/S`` and one minus it ``S'/S``, without cancellation.
    ``mode="rel"`` makes ``S'`` accurate relative to itself (see :func:`_rest_sum`).
    """
    t = _terms(w, axis, T, owned=owned)
    rest = _rest_sum(t.e, t.k, t.top, axis, mode)
    total = t.top + rest
    p = np.divide(t.e, total, out=t.e)
    np.put_along_axis(p, t.k, t.top / total, axis=axis)
    return _nan_slices(p, t.bad), t, rest, total


def _log_softmax_parts(w, axis: int, T: float, keep: bool, owned: bool = True):
    """(terms, L) with ``log p = (x - max)/T - L``, ``L = log1p(S'/top)`` per slice (keepdims)."""
    t = _terms(w, axis, T, keep, owned)
    rest = _rest_sum(t.e, t.k, t.top, axis, "fast")
    return t, np.log1p(rest / t.top)


def _log_probs(t: _Terms, L, axis: int):
    """``((s - s_k) + (err - err_k)) - L``, where ``s + err = (x - c)/T`` and ``k`` the argmax.

    ``(x - max)/T <= 0`` and ``-L <= 0`` cannot cancel, so each rounding costs at most 1/2
    ulp of the result. Overwrites ``t.s`` and ``t.err``.
    """
    out = np.subtract(t.s, np.take_along_axis(t.s, t.k, axis=axis), out=t.s)
    if t.err is not None:  # before L: the corrections are far larger than a tiny L
        out += np.subtract(t.err, np.take_along_axis(t.err, t.k, axis=axis), out=t.err)
    out -= L
    return out


def _log_softmax(w, axis: int, T: float):
    t, L = _log_softmax_parts(w, axis, T, keep=True)
    return _nan_slices(_log_probs(t, L, axis), t.bad)


def _prepare(x, axis, fname: str, temperature=None, copy: bool = True):
    """Validate; return (float64 work array, output dtype, axis, T). With ``copy=False`` a
    float64 ndarray comes back as it is: read it, never write to it."""
    w, dtype = (_work if copy else _read)(x, fname)
    ax = _axis(axis, w.ndim, fname)
    T = 1.0 if temperature is None else check_param(temperature, fname, "temperature", positive=True)
    return w, dtype, ax, T


# ----------------------------------------------------------------------------- public API
def softmax(x, axis: int = -1, temperature: float = 1.0):
    r"""Softmax along ``axis``: :math:`p_i = e^{x_i/T} / \sum_j e^{x_j/T}`.

    Parameters
    ----------
    x : array_like of real logits (``-inf`` allowed: probability 0).
    axis : int, the axis to normalise along (PyTorch's ``dim``). Default: last.
    temperature : float ``T > 0`` (finite). ``T -> 0`` tends to the one-hot argmax,
        ``T -> inf`` to the uniform distribution.

    Returns an array of ``x``'s shape; float32 stays float32. See the module docstring for
    NaN, ``+inf``, all-``-inf`` and empty slices.

    PyTorch: ``torch.nn.functional.softmax(x / T, dim=axis)``; SciPy: ``scipy.special.softmax``.
    Trick: ``exp(x)`` unshifted when safe, else ``exp(s)(1 + err)`` with ``x - max = s + err``
    exactly, and an error-free-split sum: each element within 4 ulp (SciPy/PyTorch: 33-55 ulp).
    With ``T != 1`` the rounding error of ``x / T`` is recovered too: the result is the softmax
    of the exact ``x / T``, to 4 ulp.

    >>> print(softmax([1.0, 2.0, 3.0]))
    [0.09003057 0.24472847 0.66524096]
    >>> print(softmax([1000.0, 1001.0, 1002.0], temperature=2.0))
    [0.18632372 0.30719589 0.50648039]
    """
    w, dtype, ax, T = _prepare(x, axis, "softmax", temperature, copy=False)
    if w.size == 0:
        return _finish(w.copy(), dtype)
    with np.errstate(all="ignore"):
        p = _softmax(w, ax, T, owned=False)[0]
        return _finish(p, dtype)


def softmin(x, axis: int = -1, temperature: float = 1.0):
    r"""Softmin along ``axis``: ``softmax(-x)``, :math:`p_i = e^{-x_i/T} / \sum_j e^{-x_j/T}`.

    Parameters and conventions as :func:`softmax` (``+inf`` is the allowed value here:
    probability 0). PyTorch: ``torch.nn.functional.softmin(x / T, dim=axis)``.
    Trick: negation is exact, so this is exactly as accurate as :func:`softmax`.

    >>> print(softmin([1.0, 2.0, 3.0]))
    [0.66524096 0.24472847 0.09003057]
    """
    w, dtype, ax, T = _prepare(x, axis, "softmin", temperature)
    np.negative(w, out=w)
    if w.size == 0:
        return _finish(w, dtype)
    with np.errstate(all="ignore"):
        return _finish(_softmax(w, ax, T)[0], dtype)


def log_softmax(x, axis: int = -1, temperature: float = 1.0):
    r"""Log-softmax along ``axis``: :math:`\log p_i = x_i/T - \log \sum_j e^{x_j/T}`.

    Parameters and conventions as :func:`softmax`; ``-inf`` logits give ``-inf``.

    PyTorch: ``torch.nn.functional.log_softmax(x / T, dim=axis)``; SciPy:
    ``scipy.special.log_softmax``. Trick: ``(x_i - m) - log1p(S')`` with ``S'`` the sum
    without one maximal term, so ``log(1 - 4.2e-18)`` is not rounded to 0 (SciPy and
    PyTorch are 1.4e11 ulp off on ``[40, 0]``).

    >>> print(log_softmax([40.0, 0.0]))
    [-4.24835426e-18 -4.00000000e+01]
    """
    w, dtype, ax, T = _prepare(x, axis, "log_softmax", temperature)
    if w.size == 0:
        return _finish(w, dtype)
    with np.errstate(all="ignore"):
        return _finish(_log_softmax(w, ax, T), dtype)


def logsumexp(x, axis: int = -1, keepdims: bool = False):
    r"""Log-sum-exp along ``axis``: :math:`\log \sum_j e^{x_j} = m + \log1p(S')`, ``m = max x``.

    Parameters
    ----------
    x : array_like of reals (``-inf`` allowed).
    axis : int, the axis to reduce (default: last).
    keepdims : bool, keep the reduced axis with length 1.

    An empty axis gives ``-inf`` (the log of an empty sum). A slice with NaN gives NaN, with
    ``+inf`` gives ``+inf``, all ``-inf`` gives ``-inf``. Accuracy: within 4 ulp, except where
    ``m < 0`` and ``m + log1p(S')`` cancels (e.g. ``x`` = 200 values near -5, result 0.3):
    there the error is a few ulp of ``|m|``, as for any evaluation from double-precision
    exponentials. float64 input is read, not copied.

    PyTorch: ``torch.logsumexp(x, dim=axis, keepdim=keepdims)``; SciPy:
    ``scipy.special.logsumexp``. Trick: ``S'`` (the sum without one maximal term) summed
    directly, so ``logsumexp([0, -50]) - 0`` keeps its 1.9e-22.

    >>> print(logsumexp([1000.0, 1000.0]))
    1000.6931471805599
    """
    w, dtype = _read(x, "logsumexp")  # read only: no copy of a float64 array
    ax = _axis(axis, w.ndim, "logsumexp")
    if w.size == 0:  # an empty sum is 0, its log -inf
        return _finish(np.full(_reduced_shape(w.shape, ax, keepdims), -np.inf), dtype)
    with np.errstate(all="ignore"):
        t, L = _log_softmax_parts(w, ax, 1.0, keep=True, owned=False)
        out = t.m + L
        if t.bad is not None:  # NaN, +inf, or all -inf: the maximum says it all
            out = np.where(t.bad, t.m, out)
        if not keepdims:
            out = np.squeeze(out, axis=ax)
        return _finish(out, dtype)


def softmax_jacobian(x, axis: int = -1):
    r"""Jacobian of softmax: :math:`J_{ij} = \partial p_i / \partial x_j = p_i(\delta_{ij} - p_j)`.

    For a 1-D ``x`` of length ``n`` this is the ``(n, n)`` matrix ``diag(p) - p p^T``. For an
    N-D ``x`` the softmax axis is moved to the end and one Jacobian is returned per slice:
    the result has shape ``x.shape`` without ``axis``, followed by ``(n, n)``. The matrix is
    symmetric, so rows and columns are interchangeable.

    PyTorch: ``torch.autograd.functional.jacobian(lambda x: F.softmax(x, -1), x)`` (1-D).
    Trick: the diagonal of the largest ``p`` uses ``1 - p = S'/S`` (no cancellation).

    >>> print(softmax_jacobian([0.0, 0.0]))
    [[ 0.25 -0.25]
     [-0.25  0.25]]
    """
    w, dtype, ax, _ = _prepare(x, axis, "softmax_jacobian")
    with np.errstate(all="ignore"):
        if w.size == 0:
            p, comp = w, w
        else:
            p, t, rest, total = _softmax(w, ax, 1.0, "rel")
            comp = 1.0 - p  # exact-ish for p <= 1/2; the largest p is fixed below
            np.put_along_axis(comp, t.k, rest / total, axis=ax)
        p, comp = np.moveaxis(p, ax, -1), np.moveaxis(comp, ax, -1)
        jac = -p[..., :, None] * p[..., None, :]
        np.einsum("...ii->...i", jac)[...] = p * comp
        return _finish(jac, dtype)


def softmax_vjp(x, v, axis: int = -1):
    r"""Vector-Jacobian product of softmax: :math:`v^T J = p \odot (v - \langle v, p\rangle)`.

    Parameters
    ----------
    x : array_like, the logits. v : array_like of the same shape (e.g. dL/dp).
    axis : int, the softmax axis.

    Returns ``dL/dx`` with ``x``'s shape, without forming the ``n x n`` matrix: O(n) memory.
    The dtype is float32 only if both ``x`` and ``v`` are float32. The subtraction
    ``v - <v, p>`` cancels when ``v`` is nearly constant, so the accuracy is relative to
    ``max |v|``, not to the result.

    PyTorch: what autograd's backward of ``F.softmax`` computes.

    >>> print(softmax_vjp([0.0, 0.0], [1.0, 0.0]))
    [ 0.25 -0.25]
    """
    fname = "softmax_vjp"
    w, dtype, ax, _ = _prepare(x, axis, fname)
    g, gdtype = _work(v, fname, "v")
    if g.shape != w.shape:
        raise ValueError(f"{fname}: v must have the shape of x, got {g.shape} and {w.shape}")
    dtype = np.result_type(dtype, gdtype)
    if w.size == 0:
        return _finish(w, dtype)
    with np.errstate(all="ignore"):
        p = _softmax(w, ax, 1.0)[0]
        g -= np.sum(g * p, axis=ax, keepdims=True)
        g *= p
        return _finish(g, dtype)
