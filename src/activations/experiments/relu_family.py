r"""Experiments behind chapter 4, *The ReLU family: one kink and many variants*.

Each function here computes the numbers of one figure or table of the chapter;
the notebook only draws them. Everything is seeded and deterministic, inputs are
never modified, and bad arguments raise ``TypeError``/``ValueError`` whose message
starts with the function's name.

Gaussian expectations (no training)
    :func:`gaussian_expectation` integrates a function against a normal density
    with Gauss--Legendre quadrature split at the function's kinks (accurate to
    about 1e-12 for piecewise-smooth integrands); :func:`moment_map` is the
    mean/variance map of one wide layer (the SELU fixed-point argument of
    Klambauer et al., 2017) and :func:`affine_r2` measures how *linear* an
    activation looks on inputs of a given scale.

Deep random networks
    :func:`moments_through_depth` pushes standard-normal data through a deep
    random :class:`activations.nn.MLP` and records the mean and variance of every
    hidden layer.

Training small networks (plain full-batch gradient descent, :class:`activations.nn.MLP`)
    :func:`train_and_count_dead` trains one network and counts its dead units
    before and after; :func:`dead_unit_sweep` repeats that over a hidden-bias or
    learning-rate grid; :func:`loss_curves` records loss curves over seeds (the
    skinny-network experiment); :func:`prelu_slope_trajectory` records the PReLU
    slopes during training.

Sparse recovery
    :func:`sparse_recovery_problem` draws a seeded compressed-sensing problem,
    :func:`ista` solves the lasso by iterative soft thresholding (or its
    ℓ0 cousin, iterative hard thresholding), and :func:`prox_by_search` computes a
    proximal operator by brute force, to compare with softshrink/hardshrink.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .._checks import as_float_array, check_param, check_callable as _check_callable, check_int as _check_int
from ..elementwise import hardshrink, softshrink
from ..nn import MLP

__all__ = [
    "gaussian_expectation",
    "moment_map",
    "affine_r2",
    "moments_through_depth",
    "DeadUnitResult",
    "train_and_count_dead",
    "dead_unit_sweep",
    "loss_curves",
    "prelu_slope_trajectory",
    "sparse_recovery_problem",
    "IstaResult",
    "ista",
    "lasso_objective",
    "prox_by_search",
]

# --------------------------------------------------------------------------------------
# small validation helpers
# --------------------------------------------------------------------------------------


def _check_sizes(sizes, fname: str) -> list[int]:
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 3:
        raise TypeError(f"{fname}: sizes must be a list of at least three layer widths "
                        f"(input, hidden..., output), got {sizes!r}")
    return [_check_int(s, fname, "every entry of sizes") for s in sizes]


def _check_data(X, y, fname: str):
    X = as_float_array(X, fname, "X")
    y = as_float_array(y, fname, "y")
    if X.ndim != 2:
        raise ValueError(f"{fname}: X must be 2-D (examples x features), got shape {X.shape}")
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{fname}: y must have one row per row of X, got shapes {X.shape} and {y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError(f"{fname}: X and y must be finite")
    return X, y


# --------------------------------------------------------------------------------------
# Gaussian expectations
# --------------------------------------------------------------------------------------

_TAIL = 12.0  # the normal mass beyond 12 standard deviations is below 4e-33
_LEG_T, _LEG_W = np.polynomial.legendre.leggauss(40)


def gaussian_expectation(g: Callable, mean: float = 0.0, std: float = 1.0,
                         breakpoints: Sequence[float] = (0.0,)) -> float:
    r"""E[g(Z)] for Z ~ N(mean, std²), by quadrature split at the kinks of ``g``.

    .. math:: \mathbb E[g(Z)] = \int_{-12}^{12} g(\mu + \sigma t)\,\varphi(t)\,dt

    The interval is cut into pieces of unit length and, in addition, where
    ``mean + std * t`` hits a breakpoint (a kink or jump of ``g``; ReLU-like
    functions have one at 0); each piece gets 40-point Gauss--Legendre quadrature.
    For piecewise-smooth ``g`` that vary on the scale of ``std`` or slower this is
    accurate to about 1e-12. A function that changes on a much finer scale than
    ``std`` (``tanh`` at ``std = 100``) should have that place listed as a breakpoint.

    Parameters
    ----------
    g : callable
        Vectorised function of one array argument.
    mean, std : float
        Parameters of the normal distribution (``std > 0``).
    breakpoints : sequence of float
        Points in the *input* of ``g`` where it is not smooth (default ``(0.0,)``).

    Returns
    -------
    float

    >>> from activations.elementwise import relu
    >>> round(gaussian_expectation(relu), 12)   # 1/sqrt(2 pi)
    0.398942280401
    """
    fname = "gaussian_expectation"
    _check_callable(g, fname, "g")
    mu = check_param(mean, fname, "mean")
    sd = check_param(std, fname, "std", positive=True)
    if isinstance(breakpoints, (str, bytes)):
        raise TypeError(f"{fname}: breakpoints must be a sequence of real numbers, got {breakpoints!r}")
    try:
        bps = [check_param(b, fname, "every breakpoint") for b in breakpoints]
    except TypeError:
        raise TypeError(f"{fname}: breakpoints must be a sequence of real numbers, got {breakpoints!r}") from None
    inner = [(b - mu) / sd for b in bps if -_TAIL < (b - mu) / sd < _TAIL]
    cuts = np.unique(np.concatenate([np.arange(-_TAIL, _TAIL + 0.5), inner]))
    lo, hi = cuts[:-1, None], cuts[1:, None]
    half = 0.5 * (hi - lo)
    t = (lo + half * (_LEG_T + 1.0)).ravel()
    vals = np.asarray(g(mu + sd * t), dtype=float)
    if vals.shape != t.shape:
        raise ValueError(f"{fname}: g must be elementwise (same output shape as input)")
    dens = np.exp(-0.5 * t * t) / np.sqrt(2.0 * np.pi)
    return float(np.sum((half * _LEG_W).ravel() * vals * dens))


def moment_map(f: Callable, mean: float = 0.0, var: float = 1.0, *, omega: float = 0.0,
               tau: float = 1.0, breakpoints: Sequence[float] = (0.0,)) -> tuple[float, float]:
    r"""One wide layer's map from input moments to output moments.

    A unit of a wide layer sums many inputs with mean ``mean`` and variance ``var``;
    with weights whose sum is ``omega`` and sum of squares ``tau``, its
    pre-activation is (by the central limit theorem) :math:`z \sim N(\omega\mu,\ \tau\nu)`.
    The function returns the mean and variance of :math:`f(z)`,

    .. math:: (\mu, \nu) \mapsto \big(\mathbb E f(z),\ \operatorname{Var} f(z)\big).

    LeCun-normal weights have ``omega`` ≈ 0 and ``tau`` ≈ 1. Klambauer et al. (2017)
    chose SELU's constants so that (0, 1) is a fixed point of this map.

    >>> from activations.elementwise import selu
    >>> m, v = moment_map(selu, 0.0, 1.0)
    >>> abs(m) < 1e-8 and abs(v - 1) < 1e-8
    True
    """
    fname = "moment_map"
    _check_callable(f, fname)
    mu = check_param(mean, fname, "mean")
    nu = check_param(var, fname, "var", positive=True)
    om = check_param(omega, fname, "omega")
    ta = check_param(tau, fname, "tau", positive=True)
    m_z, s_z = om * mu, float(np.sqrt(ta * nu))
    e1 = gaussian_expectation(f, m_z, s_z, breakpoints)
    e2 = gaussian_expectation(lambda z: np.asarray(f(z), dtype=float) ** 2, m_z, s_z, breakpoints)
    return e1, max(e2 - e1 * e1, 0.0)


def affine_r2(f: Callable, std: float, mean: float = 0.0, breakpoints: Sequence[float] = (0.0,)) -> float:
    r"""How linear ``f`` looks on inputs Z ~ N(mean, std²): the R² of the best affine fit.

    .. math:: R^2 = \frac{\operatorname{Cov}(Z, f(Z))^2}{\operatorname{Var} Z\ \operatorname{Var} f(Z)}

    1 means that ``f`` is indistinguishable from a straight line on data of this
    scale; lower values mean that the curvature (or the kink) is used. For a
    scale-equivariant ``f`` (ReLU, leaky ReLU) the value does not depend on ``std``
    when ``mean = 0``.

    >>> from activations.elementwise import relu
    >>> round(affine_r2(relu, 1.0), 6) == round(affine_r2(relu, 50.0), 6)
    True
    """
    fname = "affine_r2"
    _check_callable(f, fname)
    mu = check_param(mean, fname, "mean")
    sd = check_param(std, fname, "std", positive=True)

    def fz(z):
        return np.asarray(f(z), dtype=float)

    e_f = gaussian_expectation(fz, mu, sd, breakpoints)
    e_ff = gaussian_expectation(lambda z: fz(z) ** 2, mu, sd, breakpoints)
    e_zf = gaussian_expectation(lambda z: (z - mu) * fz(z), mu, sd, breakpoints)
    var_f = e_ff - e_f * e_f
    if not var_f > 1e-300:
        raise ValueError(f"{fname}: f is constant on N({mu}, {sd}**2); R² is undefined")
    return float(min(e_zf * e_zf / (sd * sd * var_f), 1.0))


# --------------------------------------------------------------------------------------
# deep random networks
# --------------------------------------------------------------------------------------


def moments_through_depth(activation: str, *, depth: int = 30, width: int = 100, n: int = 500,
                          init: str = "lecun", rng=0, activation_params: dict | None = None):
    r"""Mean and variance of every hidden layer of a deep random network on N(0, 1) data.

    Builds ``activations.nn.MLP([width] * (depth + 1) + [1], activation, init=init,
    bias=0)``, feeds ``n`` examples with i.i.d. standard-normal features and returns
    the mean and the variance of each hidden layer's outputs (over all examples and
    units) -- no training.

    Returns
    -------
    means, variances : ndarray of shape ``(depth + 1,)``
        Entry 0 is the input layer, entry ``l`` the ``l``-th hidden layer.
    """
    fname = "moments_through_depth"
    if not isinstance(activation, str):
        raise TypeError(f"{fname}: activation must be a registry name (str), got {type(activation).__name__}")
    depth = _check_int(depth, fname, "depth")
    width = _check_int(width, fname, "width")
    n = _check_int(n, fname, "n", minimum=2)
    gen = np.random.default_rng(rng)
    X = gen.normal(size=(n, width))
    try:
        net = MLP([width] * (depth + 1) + [1], activation=activation, init=init, bias=0.0,
                  activation_params=activation_params, rng=gen)
    except ValueError as exc:
        raise ValueError(f"{fname}: {exc}") from None
    net.forward(X)
    hidden = net.activations()[:-1]
    means = np.array([X.mean()] + [float(A.mean()) for A in hidden])
    variances = np.array([X.var()] + [float(A.var()) for A in hidden])
    return means, variances


# --------------------------------------------------------------------------------------
# training small networks
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadUnitResult:
    """Outcome of :func:`train_and_count_dead`.

    ``inactive_*`` count hidden units whose pre-activation is ≤ 0 on *every* training
    example (:meth:`activations.nn.MLP.dead_units`); ``frozen`` counts hidden units
    whose bias gradient is exactly zero after training, i.e. units that gradient
    descent can no longer change. For ReLU the two coincide (a unit that is never
    active passes no gradient); a leaky unit can be inactive and still learn.
    """

    n_hidden: int
    inactive_init: int
    inactive_final: int
    frozen: int
    losses: np.ndarray
    final_loss: float


_SNAPSHOT_EVERY = 10


def _frozen_units(net: MLP, X, y) -> int:
    with np.errstate(all="ignore"):
        _, grads = net.gradients(X, y, "mse")
    return int(sum(np.sum(g["db"] == 0.0) for g in grads[:-1]))


def _check_training(X, y, sizes, lr, steps, fname):
    """Validated (X, y, sizes, lr, steps) for a training run; sizes must fit X and y."""
    X, y = _check_data(X, y, fname)
    sizes = _check_sizes(sizes, fname)
    if sizes[0] != X.shape[1] or sizes[-1] != y.shape[1]:
        raise ValueError(f"{fname}: sizes {sizes} do not match X with {X.shape[1]} features "
                         f"and y with {y.shape[1]} outputs")
    lr = check_param(lr, fname, "lr", positive=True)
    steps = _check_int(steps, fname, "steps", minimum=0)
    return X, y, sizes, lr, steps


def train_and_count_dead(X, y, *, sizes, activation: str = "relu", bias: float = 0.0, lr: float = 0.1,
                         steps: int = 300, init: str = "he", seed=0, activation_params: dict | None = None,
                         prelu_per_unit: bool = False) -> DeadUnitResult:
    r"""Train an :class:`activations.nn.MLP` by full-batch gradient descent on the MSE; count dead units.

    Parameters
    ----------
    X, y : arrays of shapes ``(n, d)`` and ``(n,)`` or ``(n, k)``
        Training data (not modified).
    sizes : list of int
        Layer widths, input first (``sizes[0] == d``).
    activation, activation_params, init, prelu_per_unit : passed to ``MLP``.
    bias : float
        Initial value of every hidden bias (negative values start units off).
    lr, steps : learning rate and number of gradient steps.
    seed : seed of the weight initialisation.

    Returns
    -------
    DeadUnitResult
        If training diverges (a non-finite loss), training stops and the network
        is rolled back to a snapshot (taken every 10 steps) whose loss was finite;
        the losses after that snapshot are ``nan``, and the counts and
        ``final_loss`` are those of the snapshot.
    """
    fname = "train_and_count_dead"
    X, y, sizes, lr, steps = _check_training(X, y, sizes, lr, steps, fname)
    try:
        net = MLP(sizes, activation=activation, init=init, bias=bias, activation_params=activation_params,
                  prelu_per_unit=prelu_per_unit, rng=seed)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{fname}: {exc}") from None
    n_hidden = int(sum(sizes[1:-1]))
    inactive0 = int(sum(m.sum() for m in net.dead_units(X)))
    losses = np.full(steps, np.nan)

    def snapshot():
        return [(L.W.copy(), L.b.copy(), None if L.slope is None else np.copy(L.slope)) for L in net.layers]

    def restore(k, params):  # go back to the parameters of step k (whose loss was finite)
        for L, (W, b, s) in zip(net.layers, params):
            L.W, L.b, L.slope = W, b, s
        losses[k + 1:] = np.nan

    # Snapshots every _SNAPSHOT_EVERY steps (copying every step would double the cost);
    # `saved` holds the latest ones as (step, parameters), newest last.
    saved = [(0, snapshot())]
    diverged = False
    for k in range(steps):
        if k % _SNAPSHOT_EVERY == 0 and k > 0:
            saved = [saved[-1], (k, snapshot())]
        with np.errstate(all="ignore"):
            value = net.train_step(X, y, lr=lr)
        if not np.isfinite(value):
            diverged = True
            break
        losses[k] = value
    with np.errstate(all="ignore"):
        final = net.loss(X, y)
    if diverged or not np.isfinite(final):
        k_last = k if diverged else steps
        good = next(((kk, pp) for kk, pp in reversed(saved) if kk < k_last), None)
        if good is not None:  # (None: not even the initial network had a finite loss)
            restore(*good)
            with np.errstate(all="ignore"):
                final = net.loss(X, y)
    inactive1 = int(sum(m.sum() for m in net.dead_units(X)))
    return DeadUnitResult(n_hidden, inactive0, inactive1, _frozen_units(net, X, y), losses, float(final))


def dead_unit_sweep(X, y, values, *, vary: str = "bias", activations: Sequence[str] = ("relu",),
                    seeds: Sequence[int] = (0,), activation_params: dict | None = None, **kwargs) -> dict:
    r"""Repeat :func:`train_and_count_dead` over a grid of hidden-bias inits or learning rates.

    Parameters
    ----------
    values : sequence of float
        The grid of ``bias`` (``vary="bias"``) or ``lr`` (``vary="lr"``) values.
    activations : sequence of str
        Registry names to compare (e.g. ``("relu", "leaky_relu", "prelu")``).
    seeds : sequence of int
        Weight-initialisation seeds; results are averaged over them.
    activation_params : dict, optional
        ``{name: params}`` for activations that take parameters.
    **kwargs : passed to :func:`train_and_count_dead` (``sizes``, ``steps``, ``lr`` or ``bias``...).

    Returns
    -------
    dict
        ``{name: {"inactive_init", "inactive_final", "frozen", "final_loss"}}``, each an
        array of shape ``(len(values),)`` with the *fraction* of hidden units
        (the loss: its mean) averaged over the seeds.
    """
    fname = "dead_unit_sweep"
    if vary not in ("bias", "lr"):
        raise ValueError(f"{fname}: vary must be 'bias' or 'lr', got {vary!r}")
    if vary in kwargs:
        raise ValueError(f"{fname}: {vary!r} is the swept parameter; do not pass it as a keyword")
    vals = as_float_array(values, fname, "values").ravel()
    if vals.size == 0:
        raise ValueError(f"{fname}: values must not be empty")
    if isinstance(activations, str) or len(activations) == 0:
        raise TypeError(f"{fname}: activations must be a non-empty sequence of names, got {activations!r}")
    if len(seeds) == 0:
        raise ValueError(f"{fname}: seeds must not be empty")
    params = dict(activation_params or {})
    out = {}
    for name in activations:
        rec = {k: np.zeros(vals.size) for k in ("inactive_init", "inactive_final", "frozen", "final_loss")}
        for i, v in enumerate(vals):
            for s in seeds:
                r = train_and_count_dead(X, y, activation=name, activation_params=params.get(name),
                                         seed=s, **{vary: float(v)}, **kwargs)
                rec["inactive_init"][i] += r.inactive_init / r.n_hidden
                rec["inactive_final"][i] += r.inactive_final / r.n_hidden
                rec["frozen"][i] += r.frozen / r.n_hidden
                rec["final_loss"][i] += r.final_loss
        out[name] = {k: a / len(seeds) for k, a in rec.items()}
    return out


def loss_curves(X, y, *, sizes, activation: str = "relu", seeds: Sequence[int] = (0, 1, 2), lr: float = 0.05,
                steps: int = 500, init: str = "he", bias: float = 0.0, activation_params: dict | None = None,
                prelu_per_unit: bool = False) -> np.ndarray:
    """Training-loss curves of one architecture over several seeds.

    Returns an array of shape ``(len(seeds), steps)``: the full-batch MSE before each
    gradient step (see :func:`train_and_count_dead`, which does the training).
    """
    if len(seeds) == 0:
        raise ValueError("loss_curves: seeds must not be empty")
    return np.array([
        train_and_count_dead(X, y, sizes=sizes, activation=activation, bias=bias, lr=lr, steps=steps, init=init,
                             seed=s, activation_params=activation_params, prelu_per_unit=prelu_per_unit).losses
        for s in seeds
    ])


def prelu_slope_trajectory(X, y, *, sizes, per_unit: bool = False, prelu_init: float = 0.25, lr: float = 0.05,
                           steps: int = 400, init: str = "he", seed=0, first_layer=None):
    r"""Train a PReLU network by gradient descent and record its first hidden layer's slopes.

    ``first_layer=(W, b)`` replaces the random initial weights (shape
    ``(sizes[0], sizes[1])``) and biases (shape ``(sizes[1],)``) of the first layer,
    e.g. the identity so that each hidden unit starts by looking at one input;
    they are trained like every other parameter.

    Returns
    -------
    slopes : ndarray
        Shape ``(steps + 1,)`` for one shared slope, ``(steps + 1, sizes[1])`` per unit;
        row ``k`` holds the slope(s) after ``k`` steps.
    losses : ndarray of shape ``(steps + 1,)``
        The loss after ``k`` steps.
    net : activations.nn.MLP
        The trained network.
    """
    fname = "prelu_slope_trajectory"
    X, y, sizes, lr, steps = _check_training(X, y, sizes, lr, steps, fname)
    check_param(prelu_init, fname, "prelu_init")
    if not isinstance(per_unit, (bool, np.bool_)):
        raise TypeError(f"{fname}: per_unit must be True or False, got {per_unit!r}")
    net = MLP(sizes, activation="prelu", init=init, prelu_per_unit=bool(per_unit), prelu_init=prelu_init, rng=seed)
    if first_layer is not None:
        if not (isinstance(first_layer, (tuple, list)) and len(first_layer) == 2):
            raise TypeError(f"{fname}: first_layer must be a pair (W, b), got {type(first_layer).__name__}")
        W1 = as_float_array(first_layer[0], fname, "first_layer W")
        b1 = as_float_array(first_layer[1], fname, "first_layer b")
        if W1.shape != (sizes[0], sizes[1]) or b1.shape != (sizes[1],):
            raise ValueError(f"{fname}: first_layer must have shapes ({sizes[0]}, {sizes[1]}) and ({sizes[1]},), "
                             f"got {W1.shape} and {b1.shape}")
        net.layers[0].W, net.layers[0].b = W1, b1
    slopes, losses = [np.copy(net.layers[0].slope)], []
    for _ in range(steps):
        losses.append(net.train_step(X, y, lr=lr))
        slopes.append(np.copy(net.layers[0].slope))
    losses.append(net.loss(X, y))
    return np.array(slopes), np.array(losses), net


# --------------------------------------------------------------------------------------
# sparse recovery: ISTA and proximal operators
# --------------------------------------------------------------------------------------


def sparse_recovery_problem(n_measurements: int = 40, n_features: int = 100, n_nonzero: int = 5,
                            noise: float = 0.01, rng=0):
    r"""A seeded compressed-sensing problem y = A x + e with a sparse x.

    ``A`` has i.i.d. N(0, 1/m) entries (m = ``n_measurements``), so its columns
    have unit norm on average; ``x`` has ``n_nonzero`` entries of magnitude in
    [1, 2] with random signs at random positions; ``e`` is N(0, noise²).

    Returns
    -------
    A : ndarray (m, n), y : ndarray (m,), x_true : ndarray (n,)
    """
    fname = "sparse_recovery_problem"
    m = _check_int(n_measurements, fname, "n_measurements")
    n = _check_int(n_features, fname, "n_features")
    k = _check_int(n_nonzero, fname, "n_nonzero", minimum=0)
    if k > n:
        raise ValueError(f"{fname}: n_nonzero ({k}) cannot exceed n_features ({n})")
    sigma = check_param(noise, fname, "noise", nonnegative=True)
    gen = np.random.default_rng(rng)
    A = gen.normal(0.0, 1.0 / np.sqrt(m), size=(m, n))
    x = np.zeros(n)
    support = np.sort(gen.choice(n, size=k, replace=False))
    x[support] = gen.choice([-1.0, 1.0], size=k) * gen.uniform(1.0, 2.0, size=k)
    y = A @ x + sigma * gen.normal(size=m)
    return A, y, x


def lasso_objective(A, y, x, lam: float) -> float:
    r"""The lasso objective :math:`\tfrac12\|Ax - y\|_2^2 + \lambda\|x\|_1`."""
    fname = "lasso_objective"
    A, y, x = _check_linear_problem(A, y, x, fname)
    lam = check_param(lam, fname, "lam", nonnegative=True)
    r = A @ x - y
    return float(0.5 * r @ r + lam * np.sum(np.abs(x)))


def _check_linear_problem(A, y, x, fname):
    A = as_float_array(A, fname, "A")
    y = as_float_array(y, fname, "y")
    if A.ndim != 2:
        raise ValueError(f"{fname}: A must be a 2-D matrix, got shape {A.shape}")
    if y.shape != (A.shape[0],):
        raise ValueError(f"{fname}: y must have shape ({A.shape[0]},), got {y.shape}")
    if x is not None:
        x = as_float_array(x, fname, "x")
        if x.shape != (A.shape[1],):
            raise ValueError(f"{fname}: x must have shape ({A.shape[1]},), got {x.shape}")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(y))):
        raise ValueError(f"{fname}: A and y must be finite")
    return A, y, x


@dataclass(frozen=True)
class IstaResult:
    """Outcome of :func:`ista`: the final iterate, the objective and support size per iteration.

    ``objective[k]`` and ``n_nonzero[k]`` describe the iterate after ``k`` steps
    (entry 0 is the starting point). For ``shrink="soft"`` the objective is the
    lasso objective; for ``shrink="hard"`` it is ½‖Ax − y‖² + λ·‖x‖₀.
    """

    x: np.ndarray
    objective: np.ndarray
    n_nonzero: np.ndarray
    step: float


def ista(A, y, lam: float, *, step: float | None = None, n_iter: int = 500, x0=None,
         shrink: str = "soft") -> IstaResult:
    r"""Iterative shrinkage-thresholding for :math:`\min_x \tfrac12\|Ax-y\|^2 + \lambda\,\mathrm{pen}(x)`.

    Each iteration is a gradient step on the smooth part followed by the proximal
    map of the penalty:

    .. math:: x \leftarrow \operatorname{softshrink}\big(x - \eta A^\top(Ax - y),\ \eta\lambda\big)

    for the ℓ1 penalty (ISTA; Daubechies et al., 2004), or
    ``hardshrink(·, sqrt(2 η λ))`` for the ℓ0 penalty (iterative hard thresholding;
    Blumensath & Davies, 2009). The default step is :math:`\eta = 1/\|A\|_2^2`, the
    inverse Lipschitz constant of the gradient, for which ISTA decreases the lasso
    objective monotonically (Beck & Teboulle, 2009).

    Parameters
    ----------
    A : (m, n) array, y : (m,) array
    lam : float, the penalty weight λ ≥ 0.
    step : float, optional; must be in (0, 2/‖A‖²) for ``shrink="soft"`` to converge.
    n_iter : int, number of iterations.
    x0 : (n,) array, optional starting point (default zeros).
    shrink : ``"soft"`` (ℓ1, softshrink) or ``"hard"`` (ℓ0, hardshrink).

    Returns
    -------
    IstaResult
    """
    fname = "ista"
    A, y, x0 = _check_linear_problem(A, y, x0, fname)
    lam = check_param(lam, fname, "lam", nonnegative=True)
    n_iter = _check_int(n_iter, fname, "n_iter", minimum=0)
    if shrink not in ("soft", "hard"):
        raise ValueError(f"{fname}: shrink must be 'soft' or 'hard', got {shrink!r}")
    L = float(np.linalg.norm(A, 2)) ** 2
    eta = 1.0 / L if step is None else check_param(step, fname, "step", positive=True)
    x = np.zeros(A.shape[1]) if x0 is None else x0.copy()

    def penalty(v):
        return np.sum(np.abs(v)) if shrink == "soft" else float(np.count_nonzero(v))

    def objective(v):
        r = A @ v - y
        return float(0.5 * r @ r + lam * penalty(v))

    objs, nnz = [objective(x)], [int(np.count_nonzero(x))]
    thresh = eta * lam if shrink == "soft" else float(np.sqrt(2.0 * eta * lam))
    for _ in range(n_iter):
        v = x - eta * (A.T @ (A @ x - y))
        x = softshrink(v, thresh) if shrink == "soft" else hardshrink(v, thresh)
        objs.append(objective(x))
        nnz.append(int(np.count_nonzero(x)))
    return IstaResult(x, np.array(objs), np.array(nnz), eta)


def prox_by_search(v, lam: float, penalty: str = "l1", *, grid=None) -> np.ndarray:
    r"""Proximal operator by brute force: :math:`\arg\min_u \tfrac12 (u - v)^2 + \lambda\,p(u)`.

    ``p`` is :math:`|u|` (``penalty="l1"``) or the indicator :math:`[u \ne 0]`
    (``penalty="l0"``). The minimum is searched over ``grid`` (default: 200 001
    points on [-10, 10], which includes 0) for every entry of ``v``, with no
    formula -- so the result can be compared with ``softshrink(v, lam)`` and
    ``hardshrink(v, sqrt(2 lam))``. Exact ties go to the minimiser of smaller
    magnitude (for ℓ0 at |v| = sqrt(2 lam), both 0 and v are optimal).
    """
    fname = "prox_by_search"
    v = as_float_array(v, fname, "v")
    lam = check_param(lam, fname, "lam", nonnegative=True)
    if penalty not in ("l1", "l0"):
        raise ValueError(f"{fname}: penalty must be 'l1' or 'l0', got {penalty!r}")
    u = np.linspace(-10.0, 10.0, 200_001) if grid is None else as_float_array(grid, fname, "grid").ravel()
    if u.size == 0:
        raise ValueError(f"{fname}: grid must not be empty")
    pen = np.abs(u) if penalty == "l1" else (u != 0).astype(float)
    flat = v.ravel()
    out = np.empty_like(flat, dtype=float)
    for i, vi in enumerate(flat):
        obj = 0.5 * (u - vi) ** 2 + lam * pen
        best = u[obj == obj.min()]
        out[i] = best[np.argmin(np.abs(best))]  # ties go to the smaller |u|, like hardshrink at |v| = λ
    return out.reshape(v.shape)
