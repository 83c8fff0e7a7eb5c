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
The price is in kl_divergence: its accurate terms take ~35 array operations instead of
the 3 of ``p * log(p / q)``, which is 10**6 ulp off (and can be negative) for ``q ~ p``.
"""
from __future__ import annotations

import functools
import math
from decimal import Decimal, localcontext

import numpy as np

from ._checks import BLOCK, check_param, map_blocks
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
# g(d) = d - log1p(d) >= 0 for d > -1, the KL term being p*g((q - p)/p). For -0.75 < d < 2.5
# we write 1 + d = (1 + a)(1 + b) with a = trunc(128 d)/128 between 0 and d, so that
# g(d) = g(a) + a*b + g(b): three terms >= 0, no cancellation; g(a) is tabulated to 1/2
# ulp and g(b), |b| < 0.03, comes from the series of fdlibm's log1p. Elsewhere
# g = d - log(q/p) cancels little (at most a factor 3.4).
_GRID = 128
_KMIN, _KMAX = -95, 319  # a = k/128 covers -0.75 < d < 2.5
# log1p(b) = 2 atanh(s), s = b/(2 + b): R(w) = sum_k 2 w^k/(2k + 1), w = s*s <= 2.2e-4;
# four terms leave 6e-16 of R, whose weight in g(b) is below b/6.
_R_COEF = (2.0 / 3.0, 2.0 / 5.0, 2.0 / 7.0, 2.0 / 9.0)


_KLO = -_GRID  # k = trunc(128 d) >= -128 for d >= -1: the table starts there
# k + _MAGIC = 2**52 + (k - _KLO) exactly, so the low bits of its float64 encoding are the
# table index: no float-to-int conversion and no clipping of the index (k <= _KMAX + 1).
_MAGIC = 2.0 ** 52 - _KLO
_MAGIC_BITS = int(np.float64(2.0 ** 52).view(np.int64))


@functools.cache
def _kl_tables():
    """g(k/128) for k = -128 .. _KMAX + 1, correctly rounded (Decimal, 40 digits) inside
    [_KMIN, _KMAX] and NaN outside, and the matching mask (NaN inside, 0 outside) that
    switches the far formula off inside the table. Built once."""
    with localcontext() as ctx:
        ctx.prec = 40
        table = np.array([float(Decimal(k) / _GRID - (1 + Decimal(k) / _GRID).ln())
                          if _KMIN <= k <= _KMAX else np.nan for k in range(_KLO, _KMAX + 2)])
    return table, np.where(np.isnan(table), 0.0, np.nan)


def _kl_terms(p, q):
    """``p log(p/q) - p + q >= 0`` elementwise (float64).

    Measured per term: <= 3.7 ulp, except 5.6 ulp for q/p in [1/4, 1/2], where g is 3.5 times
    as sensitive to the rounding of d = (q - p)/p as d itself.
    """
    d = np.subtract(q, p)
    delta = np.divide(d, p, out=d)  # exact numerator when q/p is in [1/2, 2] (Sterbenz)
    far = np.divide(q, p)
    np.log(far, out=far)
    np.subtract(delta, far, out=far)  # g = d - log(q/p), fine away from q = p
    k = np.multiply(delta, _GRID)
    np.trunc(k, out=k)  # towards 0: a between 0 and d
    np.fmin(k, _KMAX + 1, out=k)  # also NaN (p = 0) -> _KMAX + 1
    idx = np.add(k, _MAGIC).view(np.int64)
    idx -= _MAGIC_BITS  # = k - _KLO (see _MAGIC)
    table, far_off = _kl_tables()
    g = np.take(table, idx)  # NaN outside [_KMIN, _KMAX]
    far += np.take(far_off, idx)  # NaN inside it
    a = np.multiply(k, 1.0 / _GRID, out=k)
    b = np.subtract(delta, a)
    s = np.add(a, 1.0)
    b /= s  # 1 + d = (1 + a)(1 + b)
    a *= b  # a*b >= 0
    np.add(b, 2.0, out=s)
    np.divide(b, s, out=s)
    w = np.multiply(s, s)
    r = np.multiply(w, _R_COEF[-1])
    for c in _R_COEF[-2::-1]:
        r += c
        r *= w
    hfsq = np.multiply(b, b, out=b)
    hfsq *= 0.5
    r += hfsq
    r *= s
    np.subtract(hfsq, r, out=hfsq)  # g(b) = b - log1p(b) (fdlibm's log1p rearranged)
    hfsq += a
    g += hfsq
    np.fmax(g, far, out=g)  # exactly one of the two is not NaN (a masked copy is 10x slower)
    g *= p
    return g


def _kl_terms_blocked(p, q, block=BLOCK):
    """:func:`_kl_terms` in cache-sized blocks: its ~30 passes stay in cache (same bits, ~2x faster)."""
    return map_blocks(_kl_terms, np.ascontiguousarray(p), np.ascontiguousarray(q), block=block)


def _kl_fix(f, p, q):
    """Zeros and extreme ratios: p = 0 gives q; q/p over- or underflowing uses log q - log p."""
    np.copyto(f, q, where=(p == 0))
    odd = ~np.isfinite(f) & (p > 0) & (q > 0)
    if odd.any():
        pp, qq = p[odd], q[odd]
        f[odd] = pp * (np.log(pp) - np.log(qq)) - pp + qq
    return f


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
    is evaluated from a table and a series without cancellation: each term within 3.7 ulp
    (5.6 for ``q/p`` in [1/4, 1/2]), sums measured within 2.1 ulp. It costs ~35 array
    operations, about 4 times the naive ``np.sum(p * np.log(p / q))`` (``benchmarks/bench_axis.py``).

    >>> print(kl_divergence([0.5, 0.5], [0.9, 0.1]))
    0.5108256237659906
    """
    fname = "kl_divergence"
    wp, dtype_p, ax, _ = _probs(p, axis, fname, "p")
    wq, dtype_q, _, _ = _probs(q, axis, fname, "q")
    if wp.shape != wq.shape:
        raise ValueError(f"{fname}: p and q must have the same shape, got {wp.shape} and {wq.shape}")
    logb = _log_base(base, fname)
    with np.errstate(all="ignore"):
        d = _sum_terms(_kl_terms_blocked(wp, wq), ax)
        if not np.isfinite(d).all():  # p = 0, or q/p beyond the exponent range
            d = _sum_terms(_kl_fix(_kl_terms_blocked(wp, wq), wp, wq), ax)
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
