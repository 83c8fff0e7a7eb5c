"""Experiments behind chapter 5, "Softmax: from scores to probabilities".

The chapter compares the package's softmax with what goes wrong without it, so this
module holds three kinds of code:

* deliberately *naive* versions of the textbook formula (:func:`naive_softmax`), kept
  only to be measured against the package, and the zero-temperature limit
  :func:`hardmax`;
* independent *references*: softmax and log-softmax in mpmath at 50 significant digits
  (:func:`softmax_reference`, :func:`log_softmax_reference`), distances in units in the
  last place (:func:`ulp_errors`) and central finite differences
  (:func:`finite_difference_jacobian`);
* the chapter's seeded *experiments*: sampling at several temperatures
  (:func:`temperature_samples`) and the entropy of dot-product attention with and
  without the :math:`1/\\sqrt{d}` scaling (:func:`attention_entropy`).

Every probability that is not naive on purpose comes from :mod:`activations.along_axis`,
every entropy from :mod:`activations.information`. Inputs are never modified; errors name
the function that raised them.
"""
from __future__ import annotations

import numbers
from typing import Callable, Sequence

import mpmath
import numpy as np

from .._checks import as_float_array, check_param, check_int as _positive_int
from ..along_axis import softmax
from ..information import entropy

__all__ = [
    "naive_softmax",
    "hardmax",
    "softmax_reference",
    "log_softmax_reference",
    "ulp_errors",
    "finite_difference_jacobian",
    "temperature_samples",
    "attention_entropy",
]


# ----------------------------------------------------------------------------- helpers
def _vector(x, fname: str, name: str = "x", *, finite: bool = True) -> np.ndarray:
    """A float64 1-D copy of ``x`` (non-empty; finite unless ``finite=False``)."""
    arr = as_float_array(x, fname, name).astype(np.float64, copy=False)
    if arr.ndim != 1:
        raise ValueError(f"{fname}: {name} must be 1-D, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{fname}: {name} must not be empty")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{fname}: {name} must be finite")
    return arr


def _axis_of(arr: np.ndarray, axis, fname: str) -> int:
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{fname}: axis must be an integer, got {type(axis).__name__}")
    if arr.ndim == 0 or not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"{fname}: axis {axis} is out of range for an array of {arr.ndim} dimension(s)")
    return int(axis) % arr.ndim


# ----------------------------------------------------------------------------- naive versions
def naive_softmax(x, axis: int = -1, *, shift: bool = False, temperature: float = 1.0) -> np.ndarray:
    r"""The textbook formula :math:`e^{x_i/T} / \sum_j e^{x_j/T}`, evaluated literally.

    A *demonstration* of what the package avoids, not a softmax to use.

    Parameters
    ----------
    x : array_like of real logits (at least 1-D).
    axis : int, the axis to normalise along (default: last).
    shift : bool
        ``False``: ``exp(x / T)`` as written, which overflows to ``inf`` (and gives
        ``inf/inf = nan``) once some ``x/T`` exceeds about 709.78, and underflows to
        ``0/0 = nan`` when every ``x/T`` is below about -745.
        ``True``: the usual max-shift ``exp((x - max x) / T)``, which cannot overflow but
        rounds ``x - max x`` before the exponential amplifies that rounding.
    temperature : float ``T > 0``.

    Returns a float64 array of ``x``'s shape. NumPy's floating-point warnings are *not*
    silenced: wrap calls in ``np.errstate(all="ignore")`` to demonstrate the failures.

    >>> print(naive_softmax([1.0, 3.0, 0.0, 2.0]).round(4))
    [0.0871 0.6439 0.0321 0.2369]
    """
    fname = "naive_softmax"
    z = as_float_array(x, fname).astype(np.float64, copy=False)
    ax = _axis_of(z, axis, fname)
    if not isinstance(shift, (bool, np.bool_)):
        raise TypeError(f"{fname}: shift must be a bool, got {type(shift).__name__}")
    T = check_param(temperature, fname, "temperature", positive=True)
    if shift:
        z = z - np.max(z, axis=ax, keepdims=True)
    e = np.exp(z / T)
    return e / np.sum(e, axis=ax, keepdims=True)


def hardmax(x, axis: int = -1) -> np.ndarray:
    r"""The zero-temperature limit of softmax: :math:`\lim_{T \to 0^+} \mathrm{softmax}(x/T)`.

    The result is the one-hot vector of the argmax when the maximum is unique and, with
    ties, the uniform distribution over the tied maxima (``hardmax([2, 2, 0]) = [1/2, 1/2, 0]``),
    because then :math:`e^{x_i/T} / \sum_j e^{x_j/T} \to 1/k` for each of the ``k`` maxima.
    It is piecewise constant in ``x``: its derivative is 0 wherever it exists and it
    jumps where the argmax changes.

    Parameters
    ----------
    x : array_like of finite real numbers (at least 1-D).
    axis : int, the axis along which the maximum is taken (default: last).

    Returns a float64 array of ``x``'s shape whose slices along ``axis`` sum to 1.

    >>> print(hardmax([1.0, 3.0, 0.0, 2.0]))
    [0. 1. 0. 0.]
    >>> print(hardmax([2.0, 2.0, 0.0]))
    [0.5 0.5 0. ]
    """
    fname = "hardmax"
    z = as_float_array(x, fname).astype(np.float64, copy=False)
    ax = _axis_of(z, axis, fname)
    if z.size == 0:
        raise ValueError(f"{fname}: x must not be empty")
    if not np.all(np.isfinite(z)):
        raise ValueError(f"{fname}: x must be finite")
    top = z == np.max(z, axis=ax, keepdims=True)
    return top / np.sum(top, axis=ax, keepdims=True)


# ----------------------------------------------------------------------------- references
def _check_dps(dps, fname: str) -> int:
    dps = _positive_int(dps, fname, "dps")
    if dps < 20:
        raise ValueError(f"{fname}: dps must be at least 20 to serve as a float64 reference, got {dps}")
    return dps


def softmax_reference(x, temperature: float = 1.0, dps: int = 50) -> list:
    r"""Softmax of the exact values of the doubles in ``x``, in mpmath with ``dps`` digits.

    Each float64 ``x_i`` is converted exactly; :math:`x_i / T` and the exponentials are
    evaluated with ``dps`` significant digits (mpmath's exponent range is unbounded, so
    nothing overflows). This is the truth that the ulp errors of the chapter refer to.

    Parameters
    ----------
    x : 1-D array_like of finite reals.
    temperature : float ``T > 0``.
    dps : int >= 20, decimal digits of working precision.

    Returns a list of ``mpmath.mpf``, one per element of ``x``.

    >>> [float(p) for p in softmax_reference([0.0, 0.0])]
    [0.5, 0.5]
    """
    fname = "softmax_reference"
    z = _vector(x, fname)
    T = check_param(temperature, fname, "temperature", positive=True)
    dps = _check_dps(dps, fname)
    with mpmath.workdps(dps + 10):
        t = mpmath.mpf(T)
        e = [mpmath.exp(mpmath.mpf(float(v)) / t) for v in z]
        s = mpmath.fsum(e)
        return [ei / s for ei in e]


def log_softmax_reference(x, temperature: float = 1.0, dps: int = 50) -> list:
    r"""Log-softmax :math:`x_i/T - \log \sum_j e^{x_j/T}` of the doubles in ``x``, in mpmath.

    Same conventions as :func:`softmax_reference`.

    >>> print(mpmath.nstr(log_softmax_reference([40.0, 0.0])[0], 6))
    -4.24835e-18
    """
    fname = "log_softmax_reference"
    z = _vector(x, fname)
    T = check_param(temperature, fname, "temperature", positive=True)
    dps = _check_dps(dps, fname)
    with mpmath.workdps(dps + 10):
        t = mpmath.mpf(T)
        y = [mpmath.mpf(float(v)) / t for v in z]
        m = max(y)
        lse = m + mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in y))
        return [v - lse for v in y]


def ulp_errors(approx, reference: Sequence) -> np.ndarray:
    r"""Distance of each float64 ``approx[i]`` from ``reference[i]`` in units in the last place.

    The unit is the spacing of float64 at the correctly rounded reference value (at a
    reference of exactly 0, the smallest subnormal), so "0.5" means correctly rounded and
    "1" means one float64 step away. ``inf``/NaN in ``approx`` give ``inf``.

    Parameters
    ----------
    approx : 1-D array_like of float64 results.
    reference : sequence of ``mpmath.mpf`` (or numbers) of the same length, e.g. from
        :func:`softmax_reference`.

    >>> print(ulp_errors([0.1], [mpmath.mpf(1) / 10]))
    [0.4]
    """
    fname = "ulp_errors"
    got = _vector(approx, fname, "approx", finite=False)
    try:
        n_ref = len(reference)
    except TypeError:
        raise TypeError(f"{fname}: reference must be a sequence, got {type(reference).__name__}") from None
    if n_ref != got.size:
        raise ValueError(f"{fname}: approx has {got.size} elements but reference has {n_ref}")
    out = np.empty(got.size)
    with mpmath.workdps(60):
        for i, (g, r) in enumerate(zip(got, reference)):
            r = mpmath.mpf(r)
            if not np.isfinite(g) or not mpmath.isfinite(r):
                out[i] = 0.0 if (g == r or (np.isnan(g) and mpmath.isnan(r))) else np.inf
                continue
            nearest = float(r)
            unit = np.spacing(abs(nearest)) if nearest != 0.0 else np.spacing(0.0)
            out[i] = float(abs(mpmath.mpf(float(g)) - r) / mpmath.mpf(float(unit)))
    return out


def finite_difference_jacobian(f: Callable, x, h: float = 1e-6) -> np.ndarray:
    r"""Central-difference Jacobian :math:`J_{ij} \approx (f_i(x + h e_j) - f_i(x - h e_j)) / 2h`.

    Independent of any analytic derivative, so it can check one. The error is
    :math:`O(h^2)` truncation plus about :math:`\epsilon\,|f|/h` rounding: ``h = 1e-6``
    gives roughly 1e-10 for functions of moderate size.

    Parameters
    ----------
    f : callable mapping a 1-D float64 array of length ``n`` to a 1-D array of length ``m``.
    x : 1-D array_like of finite reals, the point.
    h : float > 0, the step.

    Returns the ``(m, n)`` matrix ``J[i, j] = d f_i / d x_j``.

    >>> J = finite_difference_jacobian(lambda v: np.array([v[0] * v[1], v[0]]), [2.0, 3.0])
    >>> print(np.round(J, 6))
    [[3. 2.]
     [1. 0.]]
    """
    fname = "finite_difference_jacobian"
    if not callable(f):
        raise TypeError(f"{fname}: f must be callable, got {type(f).__name__}")
    x0 = _vector(x, fname)
    h = check_param(h, fname, "h", positive=True)
    cols = []
    for j in range(x0.size):
        up, down = x0.copy(), x0.copy()
        up[j] += h
        down[j] -= h
        fu = np.asarray(f(up), dtype=np.float64)
        fd = np.asarray(f(down), dtype=np.float64)
        if fu.ndim != 1 or fu.shape != fd.shape:
            raise ValueError(f"{fname}: f must return a 1-D array of a fixed length, got shape {fu.shape}")
        cols.append((fu - fd) / (up[j] - down[j]))  # the step actually taken, after rounding
    return np.stack(cols, axis=1)


# ----------------------------------------------------------------------------- experiments
def temperature_samples(logits, temperatures: Sequence[float], n_samples: int = 1000,
                        seed: int = 0) -> dict:
    r"""Draw ``n_samples`` classes from ``softmax(logits / T)`` for each temperature ``T``.

    This is how a language model samples its next token: the temperature reshapes the
    distribution before the draw. Low ``T`` repeats the top class; high ``T`` spreads the
    draws over every class.

    Parameters
    ----------
    logits : 1-D array_like of finite reals (the scores of ``n`` classes).
    temperatures : sequence of floats ``T > 0``.
    n_samples : int >= 1, draws per temperature.
    seed : int, seed of the one ``numpy.random.Generator`` used for all draws (in order).

    Returns
    -------
    dict with
        ``temperatures`` (k,), ``probs`` (k, n) the exact distributions (package softmax),
        ``draws`` (k, n_samples) the sampled class indices, ``counts`` (k, n),
        ``distinct`` (k,) number of classes drawn at least once,
        ``top_share`` (k,) fraction of draws equal to the argmax of ``logits``,
        ``entropy`` (k,) entropy of ``probs`` in nats and ``empirical_entropy`` (k,) of
        the sample frequencies (both from :func:`activations.information.entropy`).
    """
    fname = "temperature_samples"
    z = _vector(logits, fname, "logits")
    if isinstance(temperatures, (str, bytes)) or np.ndim(temperatures) != 1 or len(temperatures) == 0:
        raise TypeError(f"{fname}: temperatures must be a non-empty 1-D sequence of numbers")
    Ts = np.array([check_param(t, fname, "temperature", positive=True) for t in temperatures])
    n_samples = _positive_int(n_samples, fname, "n_samples")
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{fname}: seed must be an integer, got {type(seed).__name__}")
    rng = np.random.default_rng(int(seed))
    n = z.size
    probs = np.stack([softmax(z, temperature=T) for T in Ts])
    draws = np.stack([rng.choice(n, size=n_samples, p=p) for p in probs])
    counts = np.stack([np.bincount(d, minlength=n) for d in draws])
    top = int(np.argmax(z))
    return {
        "temperatures": Ts,
        "probs": probs,
        "draws": draws,
        "counts": counts,
        "distinct": np.count_nonzero(counts, axis=1),
        "top_share": counts[:, top] / n_samples,
        "entropy": np.asarray(entropy(probs, axis=-1), dtype=np.float64),
        "empirical_entropy": np.asarray(entropy(counts / n_samples, axis=-1), dtype=np.float64),
    }


def attention_entropy(dims: Sequence[int], n_keys: int = 16, n_queries: int = 256, seed: int = 0) -> dict:
    r"""Entropy of dot-product attention weights, with and without the ``1/sqrt(d)`` scale.

    For each dimension ``d``: queries and keys with independent standard-normal entries,
    scores :math:`s_j = q \cdot k_j` (variance ``d``), and attention weights
    ``softmax(s)`` (unscaled) or ``softmax(s / sqrt(d))`` (scaled dot-product attention,
    Vaswani et al. 2017): that is, softmax at temperature ``T = 1`` or ``T = sqrt(d)``.

    Parameters
    ----------
    dims : sequence of ints >= 1, the dimensions ``d`` to try.
    n_keys : int >= 1, keys per query (the length of each softmax).
    n_queries : int >= 1, queries per dimension (the results are averages over them).
    seed : int, seed of the one generator used for every draw (in order of ``dims``).

    Returns
    -------
    dict of arrays over ``dims``: ``dims``; ``score_std`` (empirical standard deviation of
    the raw scores); ``entropy_unscaled``, ``entropy_scaled`` (mean entropy of the weights,
    nats; at most ``log(n_keys)``); ``max_weight_unscaled``, ``max_weight_scaled`` (mean of
    the largest weight, at least ``1/n_keys``).
    """
    fname = "attention_entropy"
    if isinstance(dims, (str, bytes)) or np.ndim(dims) != 1 or len(dims) == 0:
        raise TypeError(f"{fname}: dims must be a non-empty 1-D sequence of integers")
    ds = [_positive_int(d, fname, "each dimension in dims") for d in dims]
    n_keys = _positive_int(n_keys, fname, "n_keys")
    n_queries = _positive_int(n_queries, fname, "n_queries")
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{fname}: seed must be an integer, got {type(seed).__name__}")
    rng = np.random.default_rng(int(seed))
    out = {k: [] for k in ("score_std", "entropy_unscaled", "entropy_scaled",
                           "max_weight_unscaled", "max_weight_scaled")}
    for d in ds:
        q = rng.standard_normal((n_queries, d))
        k = rng.standard_normal((n_keys, d))
        s = q @ k.T  # (n_queries, n_keys)
        for tag, T in (("unscaled", 1.0), ("scaled", float(np.sqrt(d)))):
            w = softmax(s, axis=-1, temperature=T)
            out[f"entropy_{tag}"].append(float(np.mean(entropy(w, axis=-1))))
            out[f"max_weight_{tag}"].append(float(np.mean(np.max(w, axis=-1))))
        out["score_std"].append(float(np.std(s)))
    return {"dims": np.array(ds), **{k: np.array(v) for k, v in out.items()}}
