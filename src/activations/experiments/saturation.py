"""Experiments behind chapter 3, "Sigmoid and tanh: squashing and its price".

Every network here is an :class:`activations.nn.MLP`, so forward and backward passes
are the package's own; this module only sets the experiments up and records what
they measure.

* :func:`saturation_onset` -- where a squashing function's derivative has fallen to a
  given fraction of its peak (the edge of the "saturation region").
* :func:`make_deep_net`, :func:`gradient_profile`, :func:`depth_sweep` -- the norm of
  the weight gradient reaching every layer of a deep, narrow network, per activation,
  depth and initialisation scale (vanishing gradients).
* :func:`layer_statistics` -- the distribution of every layer's activations under a
  given initialisation (bias shift and saturation under naive initialisation).
* :func:`neuron_descent_path`, :func:`loss_grid` -- gradient descent on the weights of
  one neuron, step by step, and its loss surface (zig-zag updates with all-positive
  inputs).

Example
-------
>>> from activations.experiments.saturation import gradient_profile
>>> norms = gradient_profile("sigmoid", depth=10, seeds=(0,))
>>> norms.shape
(1, 10)
>>> bool(norms[0, 0] < 1e-3 * norms[0, -1])   # the first layer gets far less gradient
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_float_array, check_param, check_int as _check_int
from ..nn import INITS, MLP

__all__ = [
    "saturation_onset",
    "make_deep_net",
    "gradient_profile",
    "geometric_mean",
    "depth_sweep",
    "LayerStats",
    "layer_statistics",
    "DescentPath",
    "neuron_descent_path",
    "loss_grid",
]


# --------------------------------------------------------------------------- helpers
def _check_name(value, fname: str, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{fname}: {name} must be a registry name (a string), got {type(value).__name__}")
    return value


def _check_init(init, fname: str) -> str:
    if not isinstance(init, str):
        raise TypeError(f"{fname}: init must be a string, got {type(init).__name__}")
    if init not in INITS:
        raise ValueError(f"{fname}: init must be one of {sorted(INITS)}, got {init!r}")
    return init


def _check_seeds(seeds, fname: str) -> tuple[int, ...]:
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"{fname}: seeds must be a sequence of integers, got {type(seeds).__name__}")
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError(f"{fname}: seeds must not be empty")
    for s in seeds:
        _check_int(s, fname, "every seed", 0)
    return seeds


def _record(name: str, fname: str):
    from .. import registry

    try:
        return registry.get(name)
    except (KeyError, ValueError):
        raise ValueError(f"{fname}: unknown activation {name!r}") from None


# --------------------------------------------------------------------------- saturation
def saturation_onset(grad, frac: float = 0.01, *, x_max: float = 1000.0) -> float:
    r"""The smallest :math:`x > 0` at which ``|grad(x)|`` has fallen to ``frac`` times ``|grad(0)|``.

    For a squashing function whose derivative peaks at 0 and decreases for
    :math:`x > 0` (sigmoid, tanh, softsign), :math:`|x| >` this value is the
    *saturation region*: there the derivative, and with it every gradient that
    passes through the unit, is less than ``frac`` of its best value.

    Parameters
    ----------
    grad : callable
        The derivative, evaluated elementwise (e.g. ``activations.sigmoid_grad``).
    frac : float in (0, 1)
        The fraction of the peak that marks the onset.
    x_max : float > 0
        The search interval is ``[0, x_max]``.

    Returns
    -------
    float
        The crossing point, found by bisection to full float64 precision.

    Raises
    ------
    ValueError
        If ``grad(0)`` is 0 or not finite, or ``|grad|`` stays above ``frac·|grad(0)|``
        on the whole interval.

    >>> from activations.elementwise import softsign_grad
    >>> round(saturation_onset(softsign_grad, 0.01), 12)   # 1/(1+x)^2 = 0.01
    9.0
    """
    fname = "saturation_onset"
    if not callable(grad):
        raise TypeError(f"{fname}: grad must be callable, got {type(grad).__name__}")
    frac = check_param(frac, fname, "frac", positive=True)
    if not frac < 1:
        raise ValueError(f"{fname}: frac must be < 1, got {frac!r}")
    x_max = check_param(x_max, fname, "x_max", positive=True)
    peak = abs(float(grad(0.0)))
    if not (np.isfinite(peak) and peak > 0):
        raise ValueError(f"{fname}: grad(0) must be finite and non-zero, got {peak!r}")
    level = frac * peak
    if abs(float(grad(x_max))) > level:
        raise ValueError(f"{fname}: |grad| stays above {frac}·|grad(0)| on [0, {x_max}]; increase x_max")
    lo, hi = 0.0, x_max
    for _ in range(200):  # bisection: |grad(lo)| > level >= |grad(hi)|
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if abs(float(grad(mid))) > level:
            lo = mid
        else:
            hi = mid
    return hi


# --------------------------------------------------------------------------- vanishing gradients
def make_deep_net(activation: str, depth: int, *, width: int = 32, n_samples: int = 64,
                  init: str = "glorot", scale: float = 1.0, seed: int = 0):
    """A deep, narrow regression network and a batch of data for gradient measurements.

    The network is ``MLP([width] * depth + [1], activation=activation, init=init,
    scale=scale)``: ``depth`` weight layers, the first ``depth - 1`` followed by
    ``activation``, the last one linear. The data are ``X`` with independent standard
    normal entries, shape ``(n_samples, width)``, and standard normal targets ``y``,
    shape ``(n_samples, 1)``. One generator seeded with ``seed`` draws, in this
    order, ``X``, ``y`` and then the weights, so the triple is reproducible.

    Returns
    -------
    (net, X, y)
    """
    fname = "make_deep_net"
    _check_name(activation, fname, "activation")
    depth = _check_int(depth, fname, "depth", 2)
    width = _check_int(width, fname, "width", 1)
    n_samples = _check_int(n_samples, fname, "n_samples", 1)
    _check_init(init, fname)
    scale = check_param(scale, fname, "scale", positive=True)
    seed = _check_int(seed, fname, "seed", 0)
    _record(activation, fname)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, width))
    y = rng.normal(size=(n_samples, 1))
    net = MLP([width] * depth + [1], activation=activation, output="identity", init=init, scale=scale, rng=rng)
    return net, X, y


def gradient_profile(activation: str, depth: int, *, width: int = 32, n_samples: int = 64,
                     init: str = "glorot", scale: float = 1.0, seeds=(0, 1, 2)) -> np.ndarray:
    r"""Frobenius norm of the weight gradient :math:`\|\partial L/\partial W_\ell\|` of every layer.

    For each seed, builds ``make_deep_net(activation, depth, width=..., n_samples=...,
    init=..., scale=..., seed=seed)``, takes the mean-squared-error loss on its batch
    and backpropagates once (:meth:`activations.nn.MLP.gradients`).

    Returns
    -------
    ndarray of shape ``(len(seeds), depth)``
        Row ``k`` holds the norms for ``seeds[k]``, input layer first (column 0) and
        the linear output layer last.
    """
    fname = "gradient_profile"
    seeds = _check_seeds(seeds, fname)
    out = np.empty((len(seeds), _check_int(depth, fname, "depth", 2)))
    for k, seed in enumerate(seeds):
        net, X, y = make_deep_net(activation, depth, width=width, n_samples=n_samples,
                                  init=init, scale=scale, seed=seed)
        _, grads = net.gradients(X, y, "mse")
        out[k] = net.grad_norms(grads)
    return out


def geometric_mean(values, axis: int = 0) -> np.ndarray:
    """Geometric mean of positive values along ``axis`` (0 if any value is 0).

    Gradient norms spread over many orders of magnitude, so seeds are averaged on
    a log scale. Negative or NaN values raise ``ValueError``.
    """
    fname = "geometric_mean"
    v = as_float_array(values, fname, "values")
    if v.size == 0:
        raise ValueError(f"{fname}: values must not be empty")
    if np.any(np.isnan(v)) or np.any(v < 0):
        raise ValueError(f"{fname}: values must be non-negative (and not NaN)")
    with np.errstate(divide="ignore"):
        return np.exp(np.mean(np.log(v), axis=axis))


def depth_sweep(activations, depths, scales, *, width: int = 32, n_samples: int = 64,
                init: str = "glorot", seeds=(0, 1, 2)) -> dict:
    """Per-layer gradient norms for every activation, initialisation scale and depth.

    Returns
    -------
    dict
        ``{(activation, scale, depth): ndarray of shape (depth,)}`` -- the
        :func:`geometric_mean` over ``seeds`` of :func:`gradient_profile`. This is
        everything a depth/scale widget needs, computed once.
    """
    fname = "depth_sweep"
    acts = [activations] if isinstance(activations, str) else list(activations)
    depths = [_check_int(d, fname, "every depth", 2) for d in depths]
    scales = [check_param(s, fname, "every scale", positive=True) for s in scales]
    if not (acts and depths and scales):
        raise ValueError(f"{fname}: activations, depths and scales must be non-empty")
    out = {}
    for a in acts:
        for s in scales:
            for d in depths:
                norms = gradient_profile(a, d, width=width, n_samples=n_samples, init=init, scale=s, seeds=seeds)
                out[(a, s, d)] = geometric_mean(norms, axis=0)
    return out


# --------------------------------------------------------------------------- layer statistics
@dataclass(frozen=True)
class LayerStats:
    """What every layer of a freshly initialised network outputs on a batch.

    Attributes
    ----------
    activations : list of ndarray
        The post-activation output of layer 1, 2, ..., each of shape ``(n_samples, width)``.
    mean, std : ndarray of shape ``(n_layers,)``
        Mean and standard deviation of each layer's activations (over samples and units).
    within_unit_std : ndarray
        Root-mean-square over units of each unit's standard deviation *over the batch*:
        the part of the spread that depends on the input. (``std`` also counts the
        differences between units' average outputs, which carry no information about
        the input.)
    pre_std : ndarray
        Standard deviation of each layer's pre-activations ``Z = A W + b``.
    unit_offset : ndarray
        Root-mean-square over units of each unit's pre-activation *mean over the
        batch*: the systematic shift every unit receives (for layer 1, whose inputs
        are zero-mean, it is sampling noise; deeper, it is the bias shift).
    saturated : ndarray
        Fraction of (sample, unit) pairs whose derivative ``|f'(z)|`` is below
        ``frac`` times its maximum.
    """

    activations: list
    mean: np.ndarray
    std: np.ndarray
    within_unit_std: np.ndarray
    pre_std: np.ndarray
    unit_offset: np.ndarray
    saturated: np.ndarray


def layer_statistics(activation: str, n_layers: int, *, width: int = 100, n_samples: int = 500,
                     init: str = "glorot", scale: float = 1.0, seed: int = 0, frac: float = 0.01) -> LayerStats:
    """Forward a standard-normal batch through ``n_layers`` square layers and describe each one.

    The network is ``MLP([width] * (n_layers + 1), activation=activation,
    output=activation, init=init, scale=scale)`` with zero biases, so every layer
    (including the last) applies ``activation``. A generator seeded with ``seed``
    draws the inputs ``X`` (shape ``(n_samples, width)``) first and then the weights.
    ``init="naive"`` draws unit-normal weights; ``"glorot"`` scales them by
    ``sqrt(2 / (fan_in + fan_out))``.

    The derivative's maximum (for ``saturated``) is taken over a fine grid on [-20, 20].
    """
    fname = "layer_statistics"
    _check_name(activation, fname, "activation")
    n_layers = _check_int(n_layers, fname, "n_layers", 1)
    width = _check_int(width, fname, "width", 1)
    n_samples = _check_int(n_samples, fname, "n_samples", 2)
    _check_init(init, fname)
    scale = check_param(scale, fname, "scale", positive=True)
    seed = _check_int(seed, fname, "seed", 0)
    frac = check_param(frac, fname, "frac", positive=True)
    rec = _record(activation, fname)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, width))
    net = MLP([width] * (n_layers + 1), activation=activation, output=activation, init=init, scale=scale, rng=rng)
    net.forward(X)
    acts = [np.array(a) for a in net.activations()]
    Zs = net.cache["Z"]
    peak = float(np.max(np.abs(rec.grad(np.linspace(-20.0, 20.0, 40001)))))
    return LayerStats(
        activations=acts,
        mean=np.array([a.mean() for a in acts]),
        std=np.array([a.std() for a in acts]),
        within_unit_std=np.array([np.sqrt(np.mean(a.var(axis=0))) for a in acts]),
        pre_std=np.array([z.std() for z in Zs]),
        unit_offset=np.array([np.sqrt(np.mean(z.mean(axis=0) ** 2)) for z in Zs]),
        saturated=np.array([np.mean(np.abs(rec.grad(z)) < frac * peak) for z in Zs]),
    )


# --------------------------------------------------------------------------- one neuron, two weights
@dataclass(frozen=True)
class DescentPath:
    """The weights of one neuron after every gradient step.

    Attributes
    ----------
    weights : ndarray of shape ``(steps + 1, d)``
        Row 0 is the starting point, row ``t`` the weights after ``t`` steps.
    losses : ndarray of shape ``(steps + 1,)``
        The full-batch loss at every row of ``weights``.
    """

    weights: np.ndarray
    losses: np.ndarray

    @property
    def steps(self) -> np.ndarray:
        """The update vectors ``weights[t + 1] - weights[t]``."""
        return np.diff(self.weights, axis=0)

    def same_sign_fraction(self) -> float:
        """Fraction of non-zero updates whose components all have one sign."""
        s = np.sign(self.steps)
        moving = np.any(s != 0, axis=1)
        same = np.all(s >= 0, axis=1) | np.all(s <= 0, axis=1)
        return float(np.mean(same[moving])) if np.any(moving) else float("nan")

    def path_length(self) -> float:
        """Total Euclidean length of the path."""
        return float(np.sum(np.linalg.norm(self.steps, axis=1)))


def neuron_descent_path(X, y, w0, *, lr: float, epochs: int = 1, batch_size: int = 1,
                        output: str = "identity") -> DescentPath:
    r"""Gradient descent on the weights of a single neuron :math:`\hat y = f(x \cdot w)` (no bias).

    The neuron is an ``MLP([d, 1], output=output)`` whose bias is kept at 0; each
    step backpropagates the mean-squared-error loss of one mini-batch
    (:meth:`activations.nn.MLP.gradients`) and moves only the weights:
    :math:`w \leftarrow w - \text{lr}\,\partial L/\partial w`. Mini-batches are taken
    in order, ``batch_size`` consecutive rows at a time (the last one may be
    shorter), for ``epochs`` passes over ``X``. With ``batch_size=1`` every step
    is :math:`-\text{lr}\,\delta\,x` for one example :math:`x` and a scalar
    :math:`\delta`, so it is parallel to that example.

    Parameters
    ----------
    X : array of shape ``(n, d)``; y : array of ``n`` targets; w0 : array of ``d`` weights.
    lr : learning rate > 0; epochs, batch_size : positive integers.
    output : registry name of ``f`` (default ``"identity"``: a linear neuron).
    """
    fname = "neuron_descent_path"
    X = as_float_array(X, fname, "X")
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{fname}: X must be a non-empty 2-D array (n, d), got shape {X.shape}")
    n, d = X.shape
    y = as_float_array(y, fname, "y")
    if y.size != n or (y.ndim == 2 and y.shape[1] != 1) or y.ndim not in (1, 2):
        raise ValueError(f"{fname}: y must hold one target per row of X ({n}), got shape {y.shape}")
    y = y.reshape(n, 1)
    w = as_float_array(w0, fname, "w0").reshape(-1)
    if w.shape != (d,):
        raise ValueError(f"{fname}: w0 must have {d} entries, got shape {np.shape(w0)}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y)) and np.all(np.isfinite(w))):
        raise ValueError(f"{fname}: X, y and w0 must be finite")
    lr = check_param(lr, fname, "lr", positive=True)
    epochs = _check_int(epochs, fname, "epochs", 1)
    batch_size = _check_int(batch_size, fname, "batch_size", 1)
    _check_name(output, fname, "output")
    _record(output, fname)
    net = MLP([d, 1], output=output, rng=0)
    layer = net.layers[0]
    layer.W = w.reshape(d, 1).copy()
    layer.b = np.zeros(1)
    weights, losses = [layer.W[:, 0].copy()], [net.loss(X, y)]
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            _, grads = net.gradients(X[start:start + batch_size], y[start:start + batch_size], "mse")
            layer.W = layer.W - lr * grads[0]["dW"]
            weights.append(layer.W[:, 0].copy())
            losses.append(net.loss(X, y))
    return DescentPath(weights=np.array(weights), losses=np.array(losses))


def loss_grid(X, y, w1, w2, *, output: str = "identity") -> np.ndarray:
    r"""Full-batch loss :math:`\frac{1}{2n}\sum_i (f(x_i\cdot w) - y_i)^2` of a two-weight neuron on a grid.

    ``w1`` and ``w2`` are 1-D grids; the result has shape ``(len(w2), len(w1))``
    (rows follow ``w2``), ready for ``plt.contour(w1, w2, L)``. It is the loss
    :func:`neuron_descent_path` minimises, evaluated for all grid points at once.
    """
    fname = "loss_grid"
    X = as_float_array(X, fname, "X")
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"{fname}: X must have shape (n, 2), got {X.shape}")
    y = as_float_array(y, fname, "y").reshape(-1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{fname}: y must hold one target per row of X ({X.shape[0]}), got {y.shape[0]}")
    w1 = as_float_array(w1, fname, "w1")
    w2 = as_float_array(w2, fname, "w2")
    if w1.ndim != 1 or w2.ndim != 1:
        raise ValueError(f"{fname}: w1 and w2 must be 1-D grids")
    _check_name(output, fname, "output")
    f = _record(output, fname).fn
    W1, W2 = np.meshgrid(w1, w2)
    Z = X[:, 0, None, None] * W1 + X[:, 1, None, None] * W2  # (n, len(w2), len(w1))
    R = f(Z) - y[:, None, None]
    return 0.5 * np.mean(R * R, axis=0)
