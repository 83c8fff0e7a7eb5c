"""Linearity checks and stacks of affine maps (chapter 1).

Two questions drive the first chapter of the book:

* *Is a function linear?*  A map ``f`` is linear when it is **additive**,
  ``f(x + y) = f(x) + f(y)``, and **homogeneous**, ``f(a x) = a f(x)``.
  :func:`additivity_gap`, :func:`homogeneity_gap` and :func:`check_linearity`
  test both properties numerically on sample points.
* *What does a stack of layers compute?*  A layer is an affine map
  ``x -> x W + b``; without an activation between them, any number of layers
  collapses into a single affine map (:func:`collapse_affine_stack`).
  :func:`random_affine_stack` builds a seeded random stack,
  :func:`stack_forward` runs it with or without an activation between the
  layers, and :func:`line_deviation` measures how far a 1-D output is from a
  straight line.

:func:`neuron_mse` gives the loss and exact gradient of a one-input neuron, to
show what backpropagation receives through a given activation.

Conventions are the book's (and :mod:`activations.nn`'s): inputs are rows, a
weight matrix has shape ``(n_in, n_out)`` and a bias shape ``(n_out,)``, so a
batch ``X`` of shape ``(N, n_in)`` maps to ``X @ W + b``. (``torch.nn.Linear``
stores the transpose, ``(n_out, n_in)``.)
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ._checks import as_float_array, check_param, check_callable as _check_callable

__all__ = [
    "additivity_gap",
    "homogeneity_gap",
    "LinearityCheck",
    "check_linearity",
    "random_affine_stack",
    "stack_forward",
    "collapse_affine_stack",
    "line_deviation",
    "neuron_mse",
]


# --- linearity checks -------------------------------------------------------------------

def _evaluate(f, x: np.ndarray, fname: str) -> np.ndarray:
    """``f`` applied to a private copy of ``x``, as a finite float array."""
    try:
        out = np.asarray(f(x.copy()))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{fname}: f failed on the sample points ({exc})") from exc
    if out.dtype.kind not in "biuf":
        raise TypeError(f"{fname}: f must return real numbers, got dtype {out.dtype}")
    out = out.astype(np.float64)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{fname}: f returned non-finite values on the sample points")
    return out


def _same_shape(x: np.ndarray, y: np.ndarray, fname: str) -> None:
    if x.shape != y.shape:
        raise ValueError(f"{fname}: x and y must have the same shape, got {x.shape} and {y.shape}")


def _gap(a: np.ndarray, b: np.ndarray, fname: str) -> float:
    if a.shape != b.shape:
        raise ValueError(f"{fname}: f returned arrays of different shapes {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def additivity_gap(f: Callable, x, y) -> float:
    r"""Largest violation of additivity on the sample points.

    .. math:: \max_i \bigl| f(x_i + y_i) - f(x_i) - f(y_i) \bigr|

    Parameters
    ----------
    f : callable
        Vectorised function; ``f(x)`` is evaluated on whole arrays.
    x, y : array_like of the same shape
        Sample points (rows of a batch for vector-valued maps).

    Returns
    -------
    float
        0 for an additive ``f`` (up to rounding), > 0 otherwise.

    Example
    -------
    >>> additivity_gap(lambda v: v**2, [1.0, 2.0], [3.0, -1.0])  # |2 x y| = 6, 4
    6.0
    """
    fname = "additivity_gap"
    _check_callable(f, fname)
    x = as_float_array(x, fname, "x")
    y = as_float_array(y, fname, "y")
    _same_shape(x, y, fname)
    lhs = _evaluate(f, x + y, fname)
    return _gap(lhs, _evaluate(f, x, fname) + _evaluate(f, y, fname), fname)


def homogeneity_gap(f: Callable, x, alpha) -> float:
    r"""Largest violation of homogeneity for one scale factor ``alpha``.

    .. math:: \max_i \bigl| f(\alpha x_i) - \alpha f(x_i) \bigr|

    Parameters
    ----------
    f : callable
        Vectorised function.
    x : array_like
        Sample points.
    alpha : real number
        The scale factor.

    Example
    -------
    >>> homogeneity_gap(lambda v: 2 * v + 1, [0.0, 5.0], 3.0)  # |1 - alpha| |b| = 2
    2.0
    """
    fname = "homogeneity_gap"
    _check_callable(f, fname)
    x = as_float_array(x, fname, "x")
    a = check_param(alpha, fname, "alpha")
    return _gap(_evaluate(f, a * x, fname), a * _evaluate(f, x, fname), fname)


@dataclass(frozen=True)
class LinearityCheck:
    """Result of :func:`check_linearity`.

    The ``*_gap`` fields are the largest absolute violations found; the boolean
    fields say whether each gap is within ``tol`` (round-off). ``positively_homogeneous``
    only uses the scale factors ``alpha > 0`` (it is ``None`` when there are none).
    """

    additivity_gap: float
    homogeneity_gap: float
    positive_homogeneity_gap: float | None
    tol: float
    additive: bool
    homogeneous: bool
    positively_homogeneous: bool | None

    @property
    def linear(self) -> bool:
        """Additive and homogeneous: linear in the sense of linear algebra."""
        return self.additive and self.homogeneous


def check_linearity(f: Callable, x, y, alphas, *, rtol: float = 1e-10) -> LinearityCheck:
    r"""Test additivity and homogeneity of ``f`` numerically.

    ``f`` is additive on the samples when
    :math:`\max_i |f(x_i+y_i) - f(x_i) - f(y_i)| \le \text{tol}`, and homogeneous when
    :math:`\max_{i,\alpha} |f(\alpha x_i) - \alpha f(x_i)| \le \text{tol}`, where
    ``tol = rtol * max(1, largest |value| involved)`` absorbs floating-point rounding.
    A numerical check can only refute linearity; passing it on many random samples
    is evidence, not proof.

    Parameters
    ----------
    f : callable
        Vectorised function (elementwise, or a map acting on the rows of a batch).
    x, y : array_like of the same shape
        Sample points for additivity; ``x`` is also used for homogeneity.
    alphas : array_like of real numbers
        Scale factors to try (at least one).
    rtol : float, default 1e-10
        Relative tolerance for rounding errors.

    Returns
    -------
    LinearityCheck

    Example
    -------
    >>> x = np.array([-2.0, -0.5, 1.0, 3.0]); y = x[::-1]
    >>> check_linearity(np.abs, x, y, [0.5, 2.0]).positively_homogeneous
    True
    >>> check_linearity(np.abs, x, y, [-1.0, 2.0]).linear
    False
    """
    fname = "check_linearity"
    _check_callable(f, fname)
    x = as_float_array(x, fname, "x")
    y = as_float_array(y, fname, "y")
    _same_shape(x, y, fname)
    a = as_float_array(alphas, fname, "alphas").ravel()
    if a.size == 0:
        raise ValueError(f"{fname}: alphas must contain at least one scale factor")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{fname}: alphas must be finite")
    rtol = check_param(rtol, fname, "rtol", nonnegative=True)

    fx, fy, fxy = _evaluate(f, x, fname), _evaluate(f, y, fname), _evaluate(f, x + y, fname)
    add_gap = _gap(fxy, fx + fy, fname)
    scale = max(1.0, float(np.max(np.abs(fx), initial=0)), float(np.max(np.abs(fy), initial=0)),
                float(np.max(np.abs(fxy), initial=0)))
    gaps = []
    for alpha in a:
        fax = _evaluate(f, alpha * x, fname)
        afx = alpha * fx
        scale = max(scale, float(np.max(np.abs(fax), initial=0)), float(np.max(np.abs(afx), initial=0)))
        gaps.append(_gap(fax, afx, fname))
    gaps = np.array(gaps)
    tol = rtol * scale
    pos = gaps[a > 0]
    pos_gap = float(pos.max()) if pos.size else None
    return LinearityCheck(
        additivity_gap=add_gap,
        homogeneity_gap=float(gaps.max()),
        positive_homogeneity_gap=pos_gap,
        tol=tol,
        additive=add_gap <= tol,
        homogeneous=bool(gaps.max() <= tol),
        positively_homogeneous=None if pos_gap is None else pos_gap <= tol,
    )


# --- stacks of affine maps -----------------------------------------------------------------

def _as_layers(layers, fname: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Validated copies of ``[(W, b), ...]``; ``b`` may be None (no bias)."""
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise TypeError(f"{fname}: layers must be a sequence of (W, b) pairs, got {type(layers).__name__}")
    if len(layers) == 0:
        raise ValueError(f"{fname}: layers must contain at least one (W, b) pair")
    out = []
    for i, layer in enumerate(layers, start=1):
        if not (isinstance(layer, (tuple, list)) and len(layer) == 2):
            raise TypeError(f"{fname}: layer {i} must be a (W, b) pair")
        W = as_float_array(layer[0], fname, f"W of layer {i}")
        if W.ndim != 2:
            raise ValueError(f"{fname}: W of layer {i} must be 2-D (n_in, n_out), got shape {W.shape}")
        if layer[1] is None:
            b = np.zeros(W.shape[1], dtype=W.dtype)
        else:
            b = as_float_array(layer[1], fname, f"b of layer {i}")
            if b.shape != (W.shape[1],):
                raise ValueError(f"{fname}: b of layer {i} must have shape ({W.shape[1]},), got {b.shape}")
        if out and out[-1][0].shape[1] != W.shape[0]:
            raise ValueError(
                f"{fname}: layer {i} expects {W.shape[0]} inputs but layer {i - 1} gives {out[-1][0].shape[1]} outputs"
            )
        out.append((W, b))
    return out


def random_affine_stack(widths, *, rng=None, weight_gain: float = 1.0, bias_std: float = 0.0):
    r"""A seeded random stack of affine layers ``[(W1, b1), ..., (WL, bL)]``.

    Layer ``l`` maps ``widths[l-1]`` inputs to ``widths[l]`` outputs (``W`` of shape
    ``(widths[l-1], widths[l])``) with
    :math:`W_{ij} \sim \mathcal N(0, \text{gain}^2 / n_\text{in})` and
    :math:`b_i \sim \mathcal N(0, \text{bias\_std}^2)`, so that with gain 1 a
    linear layer roughly preserves the size of its input.

    Parameters
    ----------
    widths : sequence of positive ints, length >= 2
        ``[n_in, hidden..., n_out]``.
    rng : numpy Generator, int seed or None
        Source of randomness (None: a fresh, unseeded generator).
    weight_gain : float > 0, default 1
        Multiplies the standard deviation of the weights.
    bias_std : float >= 0, default 0
        Standard deviation of the biases.

    Example
    -------
    >>> layers = random_affine_stack([1, 8, 8, 1], rng=0, bias_std=0.5)
    >>> [W.shape for W, b in layers]
    [(1, 8), (8, 8), (8, 1)]
    """
    fname = "random_affine_stack"
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"{fname}: widths must be a sequence of positive integers")
    if len(widths) < 2:
        raise ValueError(f"{fname}: widths needs at least an input and an output size, got {list(widths)}")
    for w in widths:
        if isinstance(w, (bool, np.bool_)) or not isinstance(w, numbers.Integral):
            raise TypeError(f"{fname}: widths must be integers, got {w!r}")
        if w < 1:
            raise ValueError(f"{fname}: widths must be >= 1, got {w}")
    gain = check_param(weight_gain, fname, "weight_gain", positive=True)
    bstd = check_param(bias_std, fname, "bias_std", nonnegative=True)
    if rng is None or isinstance(rng, (numbers.Integral, np.random.SeedSequence)):
        rng = np.random.default_rng(rng)
    elif not isinstance(rng, np.random.Generator):
        raise TypeError(f"{fname}: rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        W = rng.normal(0.0, gain / np.sqrt(n_in), size=(int(n_in), int(n_out)))
        b = rng.normal(0.0, bstd, size=int(n_out)) if bstd > 0 else np.zeros(int(n_out))
        layers.append((W, b))
    return layers


def stack_forward(layers, x, activation: Callable | None = None):
    r"""Run inputs through a stack of affine layers.

    .. math:: H_0 = X,\quad H_l = g(H_{l-1} W_l + b_l)\ (l < L),\quad Y = H_{L-1} W_L + b_L

    The activation ``g`` acts after every layer but the last, whose output is
    returned as is (the identity output of a regression network).
    ``activation=None`` means no activation at all: a purely affine stack.

    Parameters
    ----------
    layers : sequence of (W, b) pairs
        ``W`` of shape ``(n_in, n_out)``; ``b`` of shape ``(n_out,)`` or None.
    x : array_like, shape ``(n_in,)`` or ``(N, n_in)``
        One input or a batch of row inputs.
    activation : callable or None
        Elementwise function applied to the hidden layers.

    Returns
    -------
    ndarray, shape ``(n_out,)`` or ``(N, n_out)``

    Example
    -------
    >>> stack_forward([(np.array([[2.0]]), np.array([1.0])), (np.array([[3.0]]), None)], [[1.0]])
    array([[9.]])
    """
    fname = "stack_forward"
    layers = _as_layers(layers, fname)
    if activation is not None:
        _check_callable(activation, fname, "activation")
    h = as_float_array(x, fname, "x")
    n_in = layers[0][0].shape[0]
    if h.ndim not in (1, 2) or h.shape[-1] != n_in:
        raise ValueError(f"{fname}: x must have shape ({n_in},) or (N, {n_in}), got {h.shape}")
    for i, (W, b) in enumerate(layers):
        h = h @ W + b
        if activation is not None and i < len(layers) - 1:
            h = np.asarray(activation(h), dtype=h.dtype)
    return h


def collapse_affine_stack(layers):
    r"""The single affine map ``(W, b)`` equal to a stack of affine layers.

    Applying :math:`x \mapsto x W_1 + b_1` (row vectors), then :math:`(\cdot) W_2 + b_2`, ... gives

    .. math:: W = W_1 W_2 \cdots W_L,\qquad
              b = b_1 W_2 \cdots W_L + b_2 W_3 \cdots W_L + \dots + b_{L-1} W_L + b_L .

    (In column-vector notation, :math:`W_L \cdots W_1` and
    :math:`b_L + W_L b_{L-1} + \dots`: the same map, transposed.)

    Parameters
    ----------
    layers : sequence of (W, b) pairs
        ``W`` of shape ``(n_in, n_out)``; ``b`` of shape ``(n_out,)`` or None
        (no bias). Consecutive shapes must chain.

    Returns
    -------
    (W, b) : tuple of new ndarrays, shapes ``(n_in_1, n_out_L)`` and ``(n_out_L,)``;
        ``X @ W + b`` equals ``stack_forward(layers, X)`` up to rounding.

    Example
    -------
    >>> W, b = collapse_affine_stack([(np.array([[2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([-1.0]))])
    >>> W, b   # 3 (2 x + 1) - 1 = 6 x + 2
    (array([[6.]]), array([2.]))
    """
    layers = _as_layers(layers, "collapse_affine_stack")
    W, b = layers[0][0].copy(), layers[0][1].copy()
    for Wl, bl in layers[1:]:
        W, b = W @ Wl, b @ Wl + bl
    return W, b


def line_deviation(x, y) -> float:
    r"""How far the points ``(x_i, y_i)`` are from a straight line, relative to their spread.

    Fits the least-squares line :math:`\hat y = a x + c` and returns

    .. math:: \frac{\max_i |y_i - \hat y_i|}{\max_i y_i - \min_i y_i}

    (0 when ``y`` is constant). The result is 0 for points on a line, up to
    rounding of order ``1e-16 * max|y| / spread``, and does not change when ``y``
    is scaled or shifted.

    Parameters
    ----------
    x, y : 1-D array_like of the same length (at least 2), ``x`` not constant

    Example
    -------
    >>> line_deviation([0, 1, 2, 3], [1, 3, 5, 7])
    0.0
    >>> round(line_deviation([-1, 0, 1], [1, 0, 1]), 4)   # line y = 2/3; worst residual 2/3
    0.6667
    """
    fname = "line_deviation"
    x = as_float_array(x, fname, "x").astype(np.float64)
    y = as_float_array(y, fname, "y").astype(np.float64)
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"{fname}: x and y must be 1-D arrays of the same length, got {x.shape} and {y.shape}")
    if x.size < 2:
        raise ValueError(f"{fname}: need at least 2 points, got {x.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError(f"{fname}: x and y must be finite")
    if np.ptp(x) == 0:
        raise ValueError(f"{fname}: x must not be constant")
    spread = float(np.ptp(y))
    if spread == 0:
        return 0.0
    # centre and scale before fitting: keeps the fit well conditioned
    xc = (x - x.mean()) / np.ptp(x)
    yc = (y - y.mean()) / spread
    slope = float(xc @ yc) / float(xc @ xc)
    return float(np.max(np.abs(yc - slope * xc)))


def neuron_mse(x, t, w, b, activation: Callable, activation_grad: Callable):
    r"""Mean squared error of a one-input neuron and its exact gradient.

    The neuron computes :math:`\hat y_i = g(w x_i + b)`; the loss and, by the chain rule,
    its gradient are

    .. math::
        L = \frac1N \sum_i (\hat y_i - t_i)^2,\qquad
        \frac{\partial L}{\partial w} = \frac2N \sum_i (\hat y_i - t_i)\, g'(z_i)\, x_i,\qquad
        \frac{\partial L}{\partial b} = \frac2N \sum_i (\hat y_i - t_i)\, g'(z_i),

    with :math:`z_i = w x_i + b`. If :math:`g'` is zero everywhere (a step function),
    both partial derivatives are exactly zero: gradient descent gets no signal.

    Parameters
    ----------
    x, t : 1-D array_like of the same length
        Inputs and targets.
    w, b : real numbers
        Weight and bias of the neuron.
    activation, activation_grad : callables
        The activation ``g`` and its derivative ``g'`` (elementwise).

    Returns
    -------
    (loss, dL_dw, dL_db) : tuple of floats

    Example
    -------
    >>> neuron_mse([1.0, 2.0], [1.0, 1.0], 1.0, 0.0, lambda z: z, np.ones_like)
    (0.5, 2.0, 1.0)
    """
    fname = "neuron_mse"
    x = as_float_array(x, fname, "x").astype(np.float64)
    t = as_float_array(t, fname, "t").astype(np.float64)
    if x.ndim != 1 or x.shape != t.shape or x.size == 0:
        raise ValueError(f"{fname}: x and t must be non-empty 1-D arrays of the same length, got {x.shape} and {t.shape}")
    w = check_param(w, fname, "w")
    b = check_param(b, fname, "b")
    _check_callable(activation, fname, "activation")
    _check_callable(activation_grad, fname, "activation_grad")
    z = w * x + b
    err = np.asarray(activation(z), dtype=np.float64) - t
    dz = 2.0 * err * np.asarray(activation_grad(z), dtype=np.float64) / x.size
    return float(np.mean(err**2)), float(dz @ x), float(dz.sum())
