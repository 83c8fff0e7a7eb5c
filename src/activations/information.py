"""Information theory and classification losses: entropy, cross-entropy, KL divergence, NLL, BCE.

Conventions are those of :mod:`activations.along_axis` (``axis`` like NumPy, float32 in ->
float32 out, inputs never modified, no floating-point warnings, every message starts with
the function's name). In addition:

* **Probabilities** (``p`` and ``q`` below, probability targets) must be finite, ``>= 0``,
  and sum to 1 along ``axis`` within ``sqrt(eps)`` of their dtype:
  ``|sum(p) - 1| <= 1.5e-8`` for float64 (and ints/bools), ``<= 3.5e-4`` for float32.
  They are used as given, not renormalised. Otherwise: ``ValueError``.
* ``0 * log 0 = 0``: zero probabilities contribute nothing; ``p > 0 = q`` gives ``inf``.
* ``base``: ``None`` for nats (natural log), 2 for bits, any finite ``base > 0, != 1``.
* A distribution over an empty axis has no entropy: ``ValueError``.
* Class indices (integer targets) must be integers (integral floats are accepted) in
  ``[0, n_classes)``; ``ValueError`` otherwise.
* ``reduction``: ``'mean'`` (average over examples, like PyTorch), ``'sum'`` or ``'none'``
  (one loss per example). ``'mean'`` over zero examples is a ``ValueError``.

Accuracy (float64, against mpmath): entropy, cross-entropy and KL divergence are within a
few ulp (measured <= 2.1 on the test distributions), including tiny probabilities and
nearly equal distributions. All their terms are made non-negative (``-p log q >= 0``;
``p log(p/q) - p + q >= 0``), so the sums cannot cancel; they are summed pairwise along a
contiguous last axis (measured <= 1 ulp) and by error-free splitting along other axes.
The price is in kl_divergence: its accurate terms take ~27 array operations instead of
the 3 of ``p * log(p / q)``, which is 10**6 ulp off (and can be negative) for ``q ~ p``.
"""
from __future__ import annotations

import functools
import math
from decimal import Decimal, localcontext

import numpy as np

from ._checks import BLOCK, check_param, map_blocks, scratch
from .along_axis import (
    _axis,
    _extract_sum,
    _finish,
    _log_softmax,
    _log_softmax_parts,
    _nan_slices,
    _read,
    _reduced_shape,
    _softmax,
    _work,
)

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "nll",
    "binary_cross_entropy_with_logits",
    "cross_entropy_grad",
]

_REDUCTIONS = ("mean", "sum", "none")


# ----------------------------------------------------------------------------- validation
def _tolerance(dtype) -> float:
    """How far a sum of probabilities may be from 1: sqrt(eps) of the input dtype."""
    return math.sqrt(np.finfo(dtype).eps)


def _check_probs(w, ax: int, dtype, fname: str, name: str) -> float:
    """Finite, >= 0, and summing to 1 along ``ax`` (see the module docstring); returns min."""
    if w.shape[ax] == 0:
        raise ValueError(f"{fname}: {name} is empty along axis {ax}; "
                         "a distribution over no outcomes is undefined")
    if w.size == 0:
        return 1.0
    low = np.min(w)
    if np.isnan(low):
        raise ValueError(f"{fname}: {name} contains NaN")
    if low < 0:
        raise ValueError(f"{fname}: probabilities must be >= 0, got {name} with {low!r}")
    sums = np.sum(w, axis=ax)
    dev = np.max(np.abs(sums - 1.0))
    tol = _tolerance(dtype)
    if not dev <= tol:  # also catches inf
        worst = np.ravel(sums)[np.argmax(np.ravel(np.abs(sums - 1.0)))]
        raise ValueError(f"{fname}: {name} must sum to 1 along axis {ax} "
                         f"(|sum - 1| <= {tol:.2g}), got a sum of {worst!r}")
    return float(low)


def _probs(x, axis, fname: str, name: str):
    """Validated float64 array (read only), output dtype, axis, and whether any p is 0."""
    w, dtype = _read(x, fname, name)
    ax = _axis(axis, w.ndim, fname)
    zeros = _check_probs(w, ax, dtype, fname, name) == 0.0
    return w, dtype, ax, zeros


def _log_base(base, fname: str):
    """``log(base)``, or None for nats."""
    if base is None:
        return None
    b = check_param(base, fname, "base", positive=True)
    if b == 1.0:
        raise ValueError(f"{fname}: base must be > 0 and != 1, got {b!r}")
    return math.log(b)


def _check_reduction(reduction, fname: str) -> str:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"{fname}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def _as_target(target, fname: str):
    """``np.asarray(target)``, with the TypeErrors of :func:`as_float_array`."""
    if target is None or isinstance(target, (str, bytes)):
        raise TypeError(f"{fname}: target must be class indices or probabilities, "
                        f"got {type(target).__name__}")
    try:
        return np.asarray(target)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{fname}: target could not be converted to an array ({exc})") from None


def _class_indices(target, shape, n_classes: int, fname: str):
    """Validate integer class indices of the given shape; return them as intp."""
    t = _as_target(target, fname)
    if t.dtype.kind not in "biuf":
        raise TypeError(f"{fname}: target must be real, got dtype {t.dtype}")
    if t.shape != tuple(shape):
        raise ValueError(f"{fname}: class-index target must have shape {tuple(shape)}, "
                         f"got {t.shape}")
    if t.dtype.kind == "b":
        raise ValueError(f"{fname}: class indices must be integers, got booleans")
    if t.dtype.kind == "f":
        if t.size and not (np.all(np.isfinite(t)) and np.all(t == np.round(t))):
            raise ValueError(f"{fname}: class indices must be integers, got non-integer values")
    if t.size:
        lo, hi = t.min(), t.max()
        if lo < 0 or hi >= n_classes:
            bad = lo if lo < 0 else hi
            raise ValueError(f"{fname}: class index {bad} out of range [0, {n_classes})")
    return t.astype(np.intp)


def _gather(w, idx, ax: int):
    """``w`` at position ``idx`` along ``ax`` (``idx`` has ``w``'s shape without ``ax``)."""
    if w.ndim == 2:  # the usual (N, C) batch: plain fancy indexing, no index broadcasting
        rows = np.arange(idx.shape[0])
        return w[rows, idx] if ax == 1 else w[idx, rows]
    return np.squeeze(np.take_along_axis(w, np.expand_dims(idx, ax), axis=ax), axis=ax)


def _target_kind(target, in_shape, ax: int, fname: str) -> str:
    """'probs' if ``target`` has the input's shape, 'indices' if it lacks the class axis."""
    t = _as_target(target, fname)
    if t.dtype.kind not in "biuf":
        raise TypeError(f"{fname}: target must be real class indices or probabilities, "
                        f"got dtype {t.dtype}")
    shape = t.shape
    if shape == tuple(in_shape):
        return "probs"
    if shape == tuple(in_shape[:ax] + in_shape[ax + 1:]):
        return "indices"
    raise ValueError(f"{fname}: target shape {shape} matches neither the input {tuple(in_shape)} "
                     f"(probabilities) nor the input without axis {ax} (class indices)")


# ----------------------------------------------------------------------------- sums
def _sum_terms(t, axis: int, sign: float = 1.0):
    """Sum along ``axis`` of terms of one sign (``sign``), to about 1 ulp.

    Along a contiguous last axis NumPy sums pairwise (measured: <= 1 ulp for 10**4 entropy
    terms); along any other axis it would add sequentially, so the error-free split is used.
    """
    if axis == t.ndim - 1:
        return np.sum(t, axis=axis)
    with np.errstate(all="ignore"):
        tmax = np.max(t, axis=axis, keepdims=True) if sign > 0 else -np.min(t, axis=axis, keepdims=True)
        return np.squeeze(_extract_sum(t, axis, tmax), axis=axis)


def _reduce(loss, reduction: str, fname: str):
    """Apply ``reduction`` to per-example losses (all >= 0)."""
    if reduction == "none":
        return loss
    flat = np.ravel(loss)
    total = _sum_terms(flat, 0) if flat.size else np.float64(0.0)
    if reduction == "sum":
        return np.asarray(total)
    if flat.size == 0:
        raise ValueError(f"{fname}: reduction='mean' over zero examples is undefined")
    return np.asarray(total / flat.size)


def _xlogy(y, logq, zeros: bool):
    """``y * logq`` (<= 0) with ``0 * log 0 = 0``; ``logq`` overwritten. ``zeros``: any y == 0?"""
    logq *= y
    if zeros:  # 0 * -inf -> 0, not NaN
        np.copyto(logq, 0.0, where=(y == 0))
    return logq


# ----------------------------------------------------------------------------- KL terms
# Each term is p*g(d) with g(d) = d - log1p(d) >= 0 and r = q/p = 1 + d. Write r = A(1 + b),
# A = 1 + a being r rounded to 10 bits after the point *towards 1* (so a lies between 0 and d
# and |b| < 2**-10). Then g(d) = g(a) + a*b + g(b): three terms >= 0, no cancellation.
# g(a) is tabulated (correctly rounded). With N = q - A*p, computed exactly (A has 11
# significant bits, so A*p_hi and A*p_lo are exact for p split after 42 bits), and
# s = b/(2 + b) = N/(q + A*p), w = s*s, fdlibm's series log1p(b) = 2s + 2s^3/3 + 2s^5/5 + ...
# rearranges to
#     p*g(d) = p*g(a) + s*(N + p*(2a - w*(2/3 + 2w/5)))
# (every piece >= 0 or relatively tiny); the first term left out, 2s*w^3/7, is below
# |s|^5/7 < 2**-57 of the result. No log, no division by a tiny number, ~27 array passes.
_KL_BITS = 10
_KL_SHIFT = 52 - _KL_BITS
_KL_USHIFT = np.uint64(_KL_SHIFT)  # made once: building a NumPy scalar per call costs ~1 us
_KL_RANGE = 16  # the table covers 2**-16 <= q/p < 2**16; beyond it the terms cancel little
_KL_SPLIT = ~((1 << (_KL_BITS + 1)) - 1)  # clears the 11 low mantissa bits: p_hi has 42
_KL_W = (1.0 / 80.0, 1.0 / 12.0)  # w (2/3 + 2w/5) / 2 as a polynomial in 4w = (2s)**2


def _bits(x: float) -> int:
    return int(np.float64(x).view(np.int64))


@functools.cache
def _kl_tables():
    """The cell of r = q/p is ``(bits(r) - base) >> _KL_SHIFT`` (the floor on the 10-bit grid,
    clipped); returns (g(A - 1) per cell, A per cell, base as np.uint64). A is the cell's end
    nearer to 1, g correctly rounded (Decimal, 40 digits). The first and last cells (below and above the
    range, and any r that is 0, negative, inf or NaN) hold NaN. Built once (~0.2 s)."""
    lo = _bits(2.0 ** -_KL_RANGE) >> _KL_SHIFT
    hi = _bits(2.0 ** _KL_RANGE) >> _KL_SHIFT
    one = _bits(1.0) >> _KL_SHIFT
    cells = np.arange(lo, hi, dtype=np.int64)
    ends = np.where(cells < one, cells + 1, cells)  # towards 1: a between 0 and d
    big_a = (ends << _KL_SHIFT).view(np.float64)
    mant, expo = np.frexp(big_a)  # big_a = mant * 2**expo, 2*mant in [1, 2) on the 10-bit grid
    g = np.full(hi - lo + 2, np.nan)
    with localcontext() as ctx:
        ctx.prec = 40
        ln2 = Decimal(2).ln()
        ln_m = {}
        for i, (m, e, a) in enumerate(zip(mant.tolist(), expo.tolist(), big_a.tolist())):
            if m not in ln_m:
                ln_m[m] = Decimal(m).ln()
            g[i + 1] = float(Decimal(a) - 1 - (ln_m[m] + e * ln2))
    return g, np.concatenate([[np.nan], big_a, [np.nan]]), np.uint64((lo - 1) << _KL_SHIFT)


def _kl_kernel(p, q, out, work):
    """``p log(p/q) - p + q`` for flat float64 ``p, q`` into ``out``; ``work``: 5 scratch
    arrays of the same size. NaN where q/p is outside the table (incl. p = 0 or q = 0)."""
    g_tab, a_tab, base = _kl_tables()
    r, big_a, x, y, z = work
    ri, ru, xi = r.view(np.int64), r.view(np.uint64), x.view(np.int64)
    np.divide(q, p, out=r)
    ru -= base  # unsigned: q/p below the table (or negative) wraps to a huge cell
    ru >>= _KL_USHIFT  # the cell of r
    np.take(g_tab, ri, mode="clip", out=out)  # g(a)
    np.take(a_tab, ri, mode="clip", out=big_a)  # A = 1 + a
    np.bitwise_and(p.view(np.int64), _KL_SPLIT, out=xi)  # p_hi
    np.subtract(p, x, out=y)  # p_lo
    x *= big_a
    y *= big_a
    np.subtract(q, x, out=x)
    x -= y  # N = q - A p, exact
    np.multiply(x, 0.5, out=z)  # N/2
    np.subtract(q, z, out=y)
    np.divide(x, y, out=y)  # 2s = N/(q - N/2)
    np.square(y, out=r)  # 4w
    np.multiply(r, _KL_W[0], out=x)
    x += _KL_W[1]
    x *= r  # w (2/3 + 2w/5) / 2
    big_a -= 1.0  # a
    big_a -= x
    big_a *= p
    big_a += z
    big_a *= y
    out *= p
    out += big_a
    return out


def _kl_fix(t, p, q):
    """Repair the terms the table cannot give (``t`` not finite): p = 0 gives q (NaN if q < 0,
    for the validation to see), q = 0 < p gives inf, q/p beyond the table uses
    ``(q - p) - p log(q/p)`` (cancelling at most a factor 1.2 there), and q/p over- or
    underflowing ``p (log p - log q) - p + q``."""
    bad = np.flatnonzero(~np.isfinite(t))
    if bad.size == 0:
        return t
    pb, qb = p[bad], q[bad]
    r = qb / pb
    far = (qb - pb) - pb * np.log(r)
    logs = pb * (np.log(pb) - np.log(qb)) - pb + qb
    fixed = np.where((r >= np.finfo(np.float64).tiny) & (r < np.inf), far, logs)
    fixed = np.where(pb == 0, np.where(qb >= 0, qb, np.nan), np.where(qb == 0, np.inf, fixed))
    t[bad] = fixed
    return t


def _kl_terms(p, q):
    """The KL terms ``p log(p/q) - p + q >= 0`` of float64 ``p, q`` (same shape), repaired.

    Measured per term against mpmath: <= 3 ulp for q/p near 1, <= 2 elsewhere (cell edges,
    ratios spread over the table and far beyond it)."""
    pf, qf = np.ravel(p), np.ravel(q)
    with np.errstate(all="ignore"):
        t = _kl_kernel(pf, qf, np.empty(pf.size), scratch(5, pf.size))
        return _kl_fix(t, pf, qf).reshape(np.shape(p))


def _kl_terms_blocked(p, q, block=BLOCK):
    """:func:`_kl_terms` in cache-sized blocks: its ~27 passes stay in cache (same bits, ~2x faster)."""
    p, q = np.ascontiguousarray(p), np.ascontiguousarray(q)
    work = scratch(5, min(max(2 * block, 1), p.size))  # map_blocks: <= 2 blocks whole

    def terms(pb, qb):
        pf, qf = pb.reshape(-1), qb.reshape(-1)
        t = _kl_kernel(pf, qf, np.empty(pf.size), [w[:pf.size] for w in work])
        return _kl_fix(t, pf, qf).reshape(pb.shape)
    with np.errstate(all="ignore"):
        return map_blocks(terms, p, q, block=block)


def _kl_rows(p2, q2):
    """For C-contiguous float64 (m, n) ``p2, q2`` with n <= BLOCK: the row sums of the KL
    terms (pairwise, as ``np.sum(terms, axis=1)``), and, to validate the inputs in the same
    pass, the row sums of p and q (BLAS; within ~1e-12, used only against the tolerance)
    and the minimum of p. Row blocks of about BLOCK values keep every pass in cache."""
    m, n = p2.shape
    k = max(1, BLOCK // (2 * n))  # ~16k values: 9 arrays of that size stay in L2
    terms, *work = scratch(6, min(m, k) * n)
    sums, sum_p, sum_q = np.empty(m), np.empty(m), np.empty(m)
    ones = np.ones(n)
    pf, qf = p2.reshape(-1), q2.reshape(-1)
    for i in range(0, m, k):
        j = min(i + k, m)
        pb, qb = pf[i * n:j * n], qf[i * n:j * n]
        t = _kl_kernel(pb, qb, terms, work) if j - i == k else \
            _kl_kernel(pb, qb, terms[:pb.size], [w[:pb.size] for w in work])
        s = np.sum(t.reshape(j - i, n), axis=1, out=sums[i:j])
        if not np.isfinite(s).all():
            np.sum(_kl_fix(t, pb, qb).reshape(j - i, n), axis=1, out=s)
        # after the kernel, while the block is still in cache (~0.4 ms less per 10**6 values)
        np.matmul(p2[i:j], ones, out=sum_p[i:j])
        np.matmul(q2[i:j], ones, out=sum_q[i:j])
    return sums, sum_p, sum_q, np.min(pf)  # NaN if p has one


def _kl_fused(wp, wq, ax, dtype_p, dtype_q, fname):
    """KL along a last axis of at most BLOCK values, validated in the same pass; None if the
    input does not fit that case. Any doubt in the fast checks defers to :func:`_check_probs`."""
    if ax != wp.ndim - 1 or wp.shape[ax] == 0 or wp.size == 0 or wp.shape[ax] > BLOCK:
        return None
    n = wp.shape[ax]
    p2 = np.ascontiguousarray(wp).reshape(-1, n)
    q2 = np.ascontiguousarray(wq).reshape(-1, n)
    sums, sum_p, sum_q, low = _kl_rows(p2, q2)
    tol = min(_tolerance(dtype_p), _tolerance(dtype_q)) / 2  # BLAS sums differ from NumPy's by << tol/2
    if not (low >= 0 and np.all(np.abs(sum_p - 1.0) <= tol) and np.all(np.abs(sum_q - 1.0) <= tol)
            and not np.isnan(sums).any()):
        _check_probs(wp, ax, dtype_p, fname, "p")  # raises what the fast checks suspected
        _check_probs(wq, ax, dtype_q, fname, "q")
    return sums.reshape(wp.shape[:-1])


def _class_targets(target, shape, ax, axis, fname, what):
    """The target's kind ("indices" or probabilities) and, for indices, their positions along ``ax``."""
    kind = _target_kind(target, shape, ax, fname)
    n = shape[ax]
    if n == 0:
        raise ValueError(f"{fname}: {what} {'is' if what == 'input' else 'are'} empty along axis {axis}; no classes")
    if kind != "indices":
        return kind, None
    return kind, np.expand_dims(_class_indices(target, _reduced_shape(shape, ax, False), n, fname), ax)


# ----------------------------------------------------------------------------- public API
def entropy(p, base=None, axis: int = -1):
    r"""Shannon entropy along ``axis``: :math:`H(p) = -\sum_i p_i \log p_i` (``0 log 0 = 0``).

    Parameters
    ----------
    p : array_like of probabilities (see the module docstring for the checks).
    base : ``None`` (nats), 2 (bits), or any finite ``base > 0, != 1``.
    axis : int, the axis of the distribution.

    Returns ``p``'s shape without ``axis`` (a NumPy scalar for 1-D ``p``).

    SciPy: ``scipy.special.entr(p).sum(axis)`` / ``scipy.stats.entropy(p)`` (which
    renormalises); PyTorch: ``torch.distributions.Categorical(probs=p).entropy()``.
    Trick: every term ``-p log p`` is >= 0, so the sum cannot cancel: a few ulp (measured
    <= 2), where SciPy's ``entr`` sum is as good and ``p * log(p)`` gives NaN at ``p = 0``.

    >>> print(entropy([0.5, 0.25, 0.25], base=2))
    1.5
    """
    fname = "entropy"
    w, dtype, ax, zeros = _probs(p, axis, fname, "p")
    logb = _log_base(base, fname)
    with np.errstate(all="ignore"):
        h = -_sum_terms(_xlogy(w, np.log(w), zeros), ax, -1.0)
        if logb is not None:
            h = h / logb
        return _finish(np.asarray(h) + 0.0, dtype)  # + 0.0: a certain outcome has entropy +0, not -0


def kl_divergence(p, q, base=None, axis: int = -1):
    r"""Kullback-Leibler divergence :math:`D(p\|q) = \sum_i p_i \log(p_i/q_i) \ge 0`.

    Parameters
    ----------
    p, q : array_like probability distributions of the same shape (checked as in the
        module docstring). ``D = inf`` where some ``q_i = 0 < p_i``.
    base : ``None`` (nats), 2 (bits), or any finite ``base > 0, != 1``.
    axis : int, the axis of the distributions.

    Computed as :math:`\sum_i (p_i \log(p_i/q_i) - p_i + q_i)` (SciPy's ``kl_div`` terms):
    equal to ``D`` for normalised ``p, q`` (it adds ``sum q - sum p``, a rounding error),
    every term ``>= 0``, and 0 exactly when ``p == q``.

    PyTorch: ``F.kl_div(q.log(), p, reduction='sum')`` -- note the reversed order and the
    *log* of ``q`` as input (and ``reduction='batchmean'`` for the batch mean).
    SciPy: ``scipy.special.rel_entr(p, q).sum(axis)`` or ``scipy.stats.entropy(p, q)``.
    Trick: with ``d = (q - p)/p`` each term is ``p (d - log1p d)``; near ``q = p`` this
    cancels catastrophically (SciPy is 10^6 ulp off at ``q/p = 1 + 1e-3``), so ``d - log1p d``
    is split at ``q/p`` rounded to 10 bits into a table value and a short series, all terms
    ``>= 0``: each term measured within 3 ulp (2 away from ``q ~ p``). It costs ~27 array
    operations, in cache-sized blocks that also validate ``p`` and ``q``: 2.5-4 times the
    naive ``np.sum(p * np.log(p / q))`` (``benchmarks/bench_axis.py``).

    >>> print(kl_divergence([0.5, 0.5], [0.9, 0.1]))
    0.5108256237659907
    """
    fname = "kl_divergence"
    wp, dtype_p = _read(p, fname, "p")
    wq, dtype_q = _read(q, fname, "q")
    ax = _axis(axis, wp.ndim, fname)
    with np.errstate(all="ignore"):
        d = _kl_fused(wp, wq, ax, dtype_p, dtype_q, fname) if wp.shape == wq.shape else None
        if d is None:
            _check_probs(wp, ax, dtype_p, fname, "p")
            _check_probs(wq, _axis(axis, wq.ndim, fname), dtype_q, fname, "q")
            if wp.shape != wq.shape:
                raise ValueError(f"{fname}: p and q must have the same shape, got {wp.shape} and {wq.shape}")
            d = _sum_terms(_kl_terms_blocked(wp, wq), ax)
        logb = _log_base(base, fname)
        if logb is not None:
            d = d / logb
        return _finish(np.asarray(d), np.result_type(dtype_p, dtype_q))


def cross_entropy(input, target, *, from_logits: bool = True, axis: int = -1,
                  reduction: str = "mean", base=None):
    r"""Cross-entropy :math:`\ell = -\sum_c y_c \log q_c`, from logits or from probabilities.

    Parameters
    ----------
    input : array_like. ``from_logits=True`` (default, like PyTorch): unnormalised logits,
        ``q = softmax(input, axis)``. ``from_logits=False``: the probabilities ``q``.
    target : either **class indices** -- integers, ``input``'s shape without ``axis`` -- or
        **probabilities** ``y`` of ``input``'s shape (one-hot or soft labels).
    axis : int, the class axis (PyTorch's ``dim``; note PyTorch puts classes on axis 1, we
        default to the last axis, the same thing for ``(N, C)`` inputs).
    reduction : ``'mean'`` (over examples), ``'sum'`` or ``'none'``.
    base : ``None`` (nats), 2 (bits), ...

    With ``from_logits=False`` and probability targets this is the information-theoretic
    :math:`H(p, q)` with ``p = target``: ``H(p, q) = cross_entropy(q, p, from_logits=False)``
    (argument order as in PyTorch: model output first), and
    ``H(p, q) = entropy(p) + kl_divergence(p, q)``.

    PyTorch: ``F.cross_entropy(input, target, reduction=...)`` (logits; no ``weight``,
    ``ignore_index`` or ``label_smoothing`` here). Trick: the loss of class ``t`` is
    ``log1p(S') - (x_t - max)`` with ``S'`` the sum without a maximal term, two terms >= 0:
    ``cross_entropy([40, 0], 0)`` is 4.25e-18, not PyTorch's 0.

    >>> print(cross_entropy([[40.0, 0.0]], [0]))
    4.24835425529159e-18
    >>> print(cross_entropy([0.25, 0.75], [0.5, 0.5], from_logits=False, base=2))
    1.207518749639422
    """
    fname = "cross_entropy"
    w, dtype = (_work if from_logits else _read)(input, fname, "input")
    ax = _axis(axis, w.ndim, fname)
    _check_reduction(reduction, fname)
    logb = _log_base(base, fname)
    kind, idx = _class_targets(target, w.shape, ax, axis, fname, "input")
    if kind != "indices":
        y, _, _, zeros = _probs(target, ax, fname, "target")
    if not from_logits:
        _check_probs(w, ax, dtype, fname, "input")
    with np.errstate(all="ignore"):
        if w.size == 0:
            loss = np.zeros(_reduced_shape(w.shape, ax, False))
        elif from_logits and kind == "indices":
            t, L = _log_softmax_parts(w, ax, 1.0, keep=True)
            s_k = np.take_along_axis(t.s, t.k, axis=ax)
            d_t = np.take_along_axis(t.s, idx, axis=ax) - s_k  # (x_t - max) <= 0
            if t.err is not None:
                d_t += np.take_along_axis(t.err, idx, axis=ax) - np.take_along_axis(t.err, t.k, axis=ax)
            loss = _nan_slices(L - d_t, t.bad)  # L >= 0 and -d_t >= 0: no cancellation
            loss = np.squeeze(loss, axis=ax)
        elif kind == "indices":
            loss = -np.log(np.squeeze(np.take_along_axis(w, idx, axis=ax), axis=ax))
        else:
            logq = _log_softmax(w, ax, 1.0) if from_logits else np.log(w)
            loss = -_sum_terms(_xlogy(y, logq, zeros), ax, -1.0)
        out = _reduce(loss, reduction, fname)
        if logb is not None:
            out = out / logb
        return _finish(np.asarray(out, dtype=np.float64), dtype)


def nll(log_probs, target, reduction: str = "mean", axis: int = -1):
    r"""Negative log-likelihood loss :math:`\ell_n = -\log q_{n, t_n}` from log-probabilities.

    Parameters
    ----------
    log_probs : array_like, e.g. :func:`log_softmax` output (not checked for normalisation,
        as in PyTorch; NaN propagates).
    target : integer class indices, ``log_probs``' shape without ``axis``.
    reduction : ``'mean'``, ``'sum'`` or ``'none'``. axis : int, the class axis.

    PyTorch: ``F.nll_loss(log_probs, target, reduction=...)`` (classes on axis 1 there).
    ``cross_entropy(x, t) == nll(log_softmax(x), t)``; the former is slightly more accurate
    as it never rounds ``log p`` of the target class before negating.

    >>> print(nll([[-0.1, -2.4], [-1.2, -0.4]], [0, 1]))
    0.25
    """
    fname = "nll"
    w, dtype = _read(log_probs, fname, "log_probs")
    ax = _axis(axis, w.ndim, fname)
    _check_reduction(reduction, fname)
    n = w.shape[ax]
    if n == 0:
        raise ValueError(f"{fname}: log_probs is empty along axis {axis}; no classes")
    idx = _class_indices(target, _reduced_shape(w.shape, ax, False), n, fname)
    with np.errstate(all="ignore"):
        loss = -_gather(w, idx, ax)
        if reduction == "none":
            return _finish(loss, dtype)
        total = loss.reshape(-1).sum()  # log-probs may have either sign: a plain sum
        if reduction == "mean":
            if loss.size == 0:
                raise ValueError(f"{fname}: reduction='mean' over zero examples is undefined")
            total = total / loss.size
        return _finish(np.asarray(total), dtype)


def binary_cross_entropy_with_logits(input, target, reduction: str = "mean", pos_weight=None):
    r"""Binary cross-entropy from logits, elementwise, then reduced.

    :math:`\ell = -[w\, y \log\sigma(x) + (1 - y)\log(1 - \sigma(x))]
    = w\, y\, \mathrm{softplus}(-x) + (1 - y)\,\mathrm{softplus}(x)`, with ``w = pos_weight``
    (1 by default) and :math:`\mathrm{softplus}(x) = \max(x, 0) + \log1p(e^{-|x|})`.

    Parameters
    ----------
    input : array_like logits ``x``. target : array_like ``y`` of the same shape, in [0, 1].
    reduction : ``'mean'`` (over all elements), ``'sum'`` or ``'none'``.
    pos_weight : None, or array_like ``>= 0`` broadcastable to ``input`` (e.g. one weight
        per class on the last axis), multiplying the positive term.

    PyTorch: ``F.binary_cross_entropy_with_logits(input, target, reduction=...,
    pos_weight=...)``. Trick: both terms are >= 0, never the textbook
    ``max(x, 0) - x y + log1p(exp(-|x|))``, which cancels when ``y`` is near 1.

    >>> print(binary_cross_entropy_with_logits([0.0, 100.0], [1.0, 1.0], reduction="none"))
    [6.93147181e-01 3.72007598e-44]
    """
    fname = "binary_cross_entropy_with_logits"
    x, dtype = _read(input, fname, "input")
    y, _ = _read(target, fname, "target")
    _check_reduction(reduction, fname)
    if y.shape != x.shape:
        raise ValueError(f"{fname}: target must have the shape of input, got {y.shape} and {x.shape}")
    if y.size and not (np.min(y) >= 0 and np.max(y) <= 1):  # NaN fails too
        raise ValueError(f"{fname}: target must be in [0, 1] (probabilities)")
    if pos_weight is not None:
        pw, _ = _read(pos_weight, fname, "pos_weight")
        if pw.size and not (np.min(pw) >= 0 and np.isfinite(np.max(pw))):
            raise ValueError(f"{fname}: pos_weight must be finite and >= 0")
        try:
            if np.broadcast_shapes(pw.shape, x.shape) != x.shape:
                raise ValueError
        except ValueError:
            raise ValueError(f"{fname}: pos_weight of shape {pw.shape} does not broadcast to "
                             f"input's shape {x.shape}") from None
    edge = bool(np.isinf(x).any())  # 0 * softplus(inf) must be 0, not NaN
    with np.errstate(all="ignore"):
        tail = np.negative(np.abs(x))
        np.exp(tail, out=tail)
        np.log1p(tail, out=tail)  # log1p(exp(-|x|)), shared by both softplus terms
        pos = np.minimum(x, 0.0)
        np.subtract(tail, pos, out=pos)  # softplus(-x)
        pos *= y
        if pos_weight is not None:
            pos *= pw
        if edge:
            np.copyto(pos, 0.0, where=(y == 0))
        neg = np.maximum(x, 0.0)
        neg += tail  # softplus(x)
        neg *= np.subtract(1.0, y, out=tail)
        if edge:
            np.copyto(neg, 0.0, where=(y == 1))
        neg += pos
        return _finish(np.asarray(_reduce(neg, reduction, fname)), dtype)


def cross_entropy_grad(logits, target, axis: int = -1):
    r"""Gradient of the cross-entropy from logits, per example: :math:`\partial\ell/\partial x = p - y`.

    Parameters as :func:`cross_entropy` (``target``: class indices or probabilities).
    Returns an array of ``logits``' shape: the gradient of the per-example losses, i.e. of
    ``reduction='sum'`` (or ``'none'``, summed). For ``reduction='mean'`` divide by the
    number of examples, ``logits.size // logits.shape[axis]``.

    PyTorch: ``torch.autograd.grad(F.cross_entropy(x, t, reduction='sum'), x)``.
    Trick: at the largest logit ``p - y = (1 - y) - S'/S`` with ``S'`` summed directly, so
    a confident correct prediction gets its tiny gradient (``-4.25e-18`` for ``[40, 0]``,
    class 0), not 0.

    >>> print(cross_entropy_grad([40.0, 0.0], 0))
    [-4.24835426e-18  4.24835426e-18]
    """
    fname = "cross_entropy_grad"
    w, dtype = _work(logits, fname, "logits")
    ax = _axis(axis, w.ndim, fname)
    kind, idx = _class_targets(target, w.shape, ax, axis, fname, "logits")
    if kind == "indices":
        y = np.zeros_like(w)
        np.put_along_axis(y, idx, 1.0, axis=ax)
    else:
        y = _probs(target, ax, fname, "target")[0]
    if w.size == 0:
        return _finish(w, dtype)
    with np.errstate(all="ignore"):
        p, t, rest, total = _softmax(w, ax, 1.0, "rel")
        y_k = np.take_along_axis(y, t.k, axis=ax)
        g_k = (1.0 - y_k) - rest / total  # p_k - y_k without forming p_k ~ 1
        g = np.subtract(p, y, out=p)
        np.put_along_axis(g, t.k, g_k, axis=ax)
        return _finish(_nan_slices(g, t.bad), dtype)
