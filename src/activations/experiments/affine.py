r"""Experiments of chapter 2, "Affine transforms: bending space".

The chapter watches what a layer does to the *whole plane*, not only to a few data
points. Four kinds of computation sit behind its figures:

* **Matrices to look at.** :func:`preset_matrix` gives a rotation, a scaling, a shear
  or a reflection whose strength grows from the identity (``t = 0``) to the full
  transform (``t = 1``).
* **Grids to bend.** :func:`grid_lines` samples the lines of a square grid densely,
  so that a non-linear map can visibly bend them; :func:`warp_path` moves points
  step by step from the input space through an affine map to the space after an
  activation, the way a layer of a network does.
* **The bias as a weight.** :func:`add_bias_column` and :func:`absorb_bias` write a
  layer ``X W + b`` as one matrix product ``[1, X] [b; W]`` (homogeneous coordinates).
* **Folds found by training.** :func:`train_hidden_layers` trains small one-hidden-layer
  networks (:class:`activations.nn.MLP`) from several seeds and reports, for each, whether
  the hidden layer made the classes linearly separable and how many units died.
* **Lines that separate.** :func:`separating_line` decides exactly (by linear
  programming) whether two classes of points can be split by a line (a hyperplane in
  general); :func:`max_margin_line` finds the line with the widest margin;
  :func:`line_margin` measures the margin of a given line; :func:`line_scan` is the
  brute-force view: the best accuracy of any line with a given normal direction.

Conventions
-----------
Points and data are **rows**: a batch ``X`` has shape ``(n, d)``. A *layer* uses the
row convention of :mod:`activations.nn`, ``Z = X W + b`` with ``W`` of shape
``(d_in, d_out)``. A *geometric* matrix ``A`` from :func:`preset_matrix` acts on
column vectors, ``x -> A x``, as in linear-algebra texts; on rows it is applied as
``X @ A.T``. Labels of two classes may be given as ``{0, 1}``, ``{-1, +1}`` or booleans.
Every function returns new arrays and never modifies its inputs.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .._checks import as_float_array, check_param

__all__ = [
    "PRESET_KINDS",
    "preset_matrix",
    "grid_lines",
    "warp_path",
    "add_bias_column",
    "absorb_bias",
    "separating_line",
    "max_margin_line",
    "line_margin",
    "line_scan",
    "HiddenLayerRun",
    "train_hidden_layers",
]

#: The kinds of 2x2 matrices :func:`preset_matrix` knows, in the order the chapter shows them.
PRESET_KINDS = ("rotation", "scaling", "shear", "reflection")


# --- small validation helpers ------------------------------------------------------------

def _matrix(A, fname: str, name: str, shape: tuple | None = None) -> np.ndarray:
    M = as_float_array(A, fname, name)
    if M.ndim != 2:
        raise ValueError(f"{fname}: {name} must be a 2-D array, got shape {M.shape}")
    if shape is not None and M.shape != shape:
        raise ValueError(f"{fname}: {name} must have shape {shape}, got {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{fname}: {name} must be finite")
    return M


def _points(X, fname: str, name: str = "X", allow_nan: bool = False) -> np.ndarray:
    P = as_float_array(X, fname, name)
    if P.ndim != 2:
        raise ValueError(f"{fname}: {name} must be a 2-D array of row points (n, d), got shape {P.shape}")
    if P.shape[0] == 0 or P.shape[1] == 0:
        raise ValueError(f"{fname}: {name} must contain at least one point with at least one coordinate")
    bad = np.isinf(P) if allow_nan else ~np.isfinite(P)
    if np.any(bad):
        raise ValueError(f"{fname}: {name} must be finite" + (" (NaN rows are allowed)" if allow_nan else ""))
    return P


def _labels(y, n: int, fname: str) -> np.ndarray:
    """Labels as a float array of -1.0 / +1.0."""
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"{fname}: y must be an array of two class labels")
    arr = np.asarray(y)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{fname}: y must hold numbers or booleans, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{fname}: y must have shape ({n},) to match X, got {arr.shape}")
    values = set(np.unique(arr.astype(np.float64)).tolist())
    if values <= {0.0, 1.0}:
        s = np.where(arr.astype(np.float64) > 0, 1.0, -1.0)
    elif values <= {-1.0, 1.0}:
        s = arr.astype(np.float64)
    else:
        raise ValueError(f"{fname}: y must contain only 0/1 or -1/+1 labels, got {sorted(values)}")
    if np.all(s > 0) or np.all(s < 0):
        raise ValueError(f"{fname}: y must contain both classes")
    return s


# --- matrices and grids ----------------------------------------------------------------------

def preset_matrix(kind: str, t: float) -> np.ndarray:
    r"""A 2x2 matrix of a named kind, grown from the identity (``t = 0``) to full strength (``t = 1``).

    ================  =====================================================  ==================
    ``kind``          matrix (acting on column vectors)                       at ``t = 1``
    ================  =====================================================  ==================
    ``"rotation"``    :math:`\begin{pmatrix}\cos\pi t & -\sin\pi t\\ \sin\pi t & \cos\pi t\end{pmatrix}`  rotation by 180°
    ``"scaling"``     :math:`\operatorname{diag}(1 + t,\ 1 - t/2)`            x doubled, y halved
    ``"shear"``       :math:`\begin{pmatrix}1 & t\\ 0 & 1\end{pmatrix}`      x += y
    ``"reflection"``  :math:`\operatorname{diag}(1,\ 1 - 2t)`                 mirror in the x-axis
    ================  =====================================================  ==================

    The reflection path passes through the singular matrix ``diag(1, 0)`` at ``t = 1/2``:
    a continuous path from the identity to a reflection must cross ``det = 0``.

    Parameters
    ----------
    kind : one of :data:`PRESET_KINDS`
    t : real number in [0, 1]

    Returns
    -------
    ndarray of shape (2, 2)

    Example
    -------
    >>> preset_matrix("shear", 0.5)
    array([[1. , 0.5],
           [0. , 1. ]])
    """
    fname = "preset_matrix"
    if not isinstance(kind, str):
        raise TypeError(f"{fname}: kind must be a string, got {type(kind).__name__}")
    if kind not in PRESET_KINDS:
        raise ValueError(f"{fname}: kind must be one of {PRESET_KINDS}, got {kind!r}")
    t = check_param(t, fname, "t")
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"{fname}: t must be in [0, 1], got {t!r}")
    if kind == "rotation":
        c, s = np.cos(np.pi * t), np.sin(np.pi * t)
        return np.array([[c, -s], [s, c]])
    if kind == "scaling":
        return np.diag([1.0 + t, 1.0 - t / 2.0])
    if kind == "shear":
        return np.array([[1.0, t], [0.0, 1.0]])
    return np.diag([1.0, 1.0 - 2.0 * t])


def grid_lines(lim: float = 1.0, n_lines: int = 9, samples: int = 41):
    r"""The lines of the square grid on :math:`[-\text{lim}, \text{lim}]^2`, densely sampled.

    Each family is returned as **one** array of points in which consecutive lines are
    separated by a row of NaN, so a whole family draws as a single matplotlib line and
    passes through any vectorised map in one call (NaN stays NaN).

    Parameters
    ----------
    lim : float > 0
        Half-width of the square.
    n_lines : int >= 2
        Lines per direction, equally spaced from ``-lim`` to ``lim``.
    samples : int >= 2
        Points per line (more points: smoother curves after a non-linear map).

    Returns
    -------
    (vertical, horizontal) : two ndarrays of shape ``(n_lines * (samples + 1), 2)``
        ``vertical`` holds the lines ``x = const``, ``horizontal`` the lines ``y = const``.

    Example
    -------
    >>> v, h = grid_lines(1.0, n_lines=2, samples=2)
    >>> v
    array([[-1., -1.],
           [-1.,  1.],
           [nan, nan],
           [ 1., -1.],
           [ 1.,  1.],
           [nan, nan]])
    """
    fname = "grid_lines"
    lim = check_param(lim, fname, "lim", positive=True)
    for name, v in (("n_lines", n_lines), ("samples", samples)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{fname}: {name} must be an integer, got {type(v).__name__}")
        if v < 2:
            raise ValueError(f"{fname}: {name} must be >= 2, got {v}")
    levels = np.linspace(-lim, lim, int(n_lines))
    s = np.linspace(-lim, lim, int(samples))
    vertical, horizontal = [], []
    gap = np.full((1, 2), np.nan)
    for c in levels:
        const = np.full_like(s, c)
        vertical += [np.column_stack([const, s]), gap]
        horizontal += [np.column_stack([s, const]), gap]
    return np.vstack(vertical), np.vstack(horizontal)


def warp_path(X, W, b, activation: Callable, t: float) -> np.ndarray:
    r"""Points part-way along the path input → affine map → activation.

    A layer computes :math:`h = g(xW + b)`. To watch it happen, ``t`` runs from 0 to 1:

    .. math::
        p(t) = \begin{cases}
        (1 - 2t)\,x + 2t\,(xW + b), & 0 \le t \le \tfrac12 \quad\text{(the affine part)}\\
        (2 - 2t)\,z + (2t - 1)\,g(z),\ z = xW + b, & \tfrac12 \le t \le 1 \quad\text{(the activation)}
        \end{cases}

    so ``t = 0`` is the input, ``t = 1/2`` the pre-activation ``z`` and ``t = 1`` the
    layer's output ``g(z)``. Straight interpolation is only a way to draw the motion;
    the network itself jumps from one end to the other.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Row points; rows of NaN (line separators from :func:`grid_lines`) are allowed.
    W : array_like, shape (d, d)
        Square weight matrix (row convention, ``z = x W + b``), so that input and
        output live in the same plane.
    b : array_like, shape (d,)
    activation : callable
        Elementwise activation ``g`` (e.g. ``activations.tanh``).
    t : real number in [0, 1]

    Returns
    -------
    ndarray of shape (n, d)

    Example
    -------
    >>> import numpy as np
    >>> X = np.array([[1.0, -2.0]]); W = np.eye(2); b = np.zeros(2)
    >>> warp_path(X, W, b, lambda z: np.maximum(z, 0), 1.0)
    array([[1., 0.]])
    """
    fname = "warp_path"
    P = _points(X, fname, allow_nan=True)
    d = P.shape[1]
    Wm = _matrix(W, fname, "W", (d, d))
    bv = as_float_array(b, fname, "b")
    if bv.shape != (d,):
        raise ValueError(f"{fname}: b must have shape ({d},), got {bv.shape}")
    if not np.all(np.isfinite(bv)):
        raise ValueError(f"{fname}: b must be finite")
    if not callable(activation):
        raise TypeError(f"{fname}: activation must be callable, got {type(activation).__name__}")
    t = check_param(t, fname, "t")
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"{fname}: t must be in [0, 1], got {t!r}")
    Z = P @ Wm + bv
    if t <= 0.5:
        s = 2.0 * t
        return (1.0 - s) * P + s * Z
    G = np.asarray(activation(Z.copy()), dtype=np.float64)
    if G.shape != Z.shape:
        raise ValueError(f"{fname}: activation changed the shape {Z.shape} to {G.shape}; it must be elementwise")
    s = 2.0 * t - 1.0
    return (1.0 - s) * Z + s * G


# --- the bias as a weight -----------------------------------------------------------------

def add_bias_column(X) -> np.ndarray:
    r"""Prepend a column of ones: :math:`\tilde X = [\mathbf 1, X]` (homogeneous coordinates).

    Parameters
    ----------
    X : array_like, shape (n, d)

    Returns
    -------
    ndarray of shape (n, d + 1)

    Example
    -------
    >>> add_bias_column([[2.0, 3.0]])
    array([[1., 2., 3.]])
    """
    fname = "add_bias_column"
    P = as_float_array(X, fname, "X")
    if P.ndim != 2:
        raise ValueError(f"{fname}: X must be a 2-D array (n, d), got shape {P.shape}")
    return np.hstack([np.ones((P.shape[0], 1), dtype=P.dtype), P])


def absorb_bias(W, b) -> np.ndarray:
    r"""Stack the bias on top of the weights: :math:`\tilde W = \begin{pmatrix} b \\ W \end{pmatrix}`.

    With :func:`add_bias_column`, :math:`\tilde X \tilde W = \mathbf 1\, b + X W = X W + b`:
    the bias is the weight :math:`w_0` of an input that is always 1.

    Parameters
    ----------
    W : array_like, shape (d_in, d_out)
        Row-convention weights (as in :mod:`activations.nn`).
    b : array_like, shape (d_out,)

    Returns
    -------
    ndarray of shape (d_in + 1, d_out)

    Example
    -------
    >>> absorb_bias([[1.0, 2.0]], [5.0, 6.0])
    array([[5., 6.],
           [1., 2.]])
    """
    fname = "absorb_bias"
    Wm = as_float_array(W, fname, "W")
    if Wm.ndim != 2:
        raise ValueError(f"{fname}: W must be a 2-D array (d_in, d_out), got shape {Wm.shape}")
    bv = as_float_array(b, fname, "b")
    if bv.shape != (Wm.shape[1],):
        raise ValueError(f"{fname}: b must have shape ({Wm.shape[1]},) to match W's {Wm.shape[1]} outputs, got {bv.shape}")
    return np.vstack([bv[None, :], Wm]).astype(np.result_type(Wm, bv))


# --- lines that separate ------------------------------------------------------------------------

def separating_line(X, y):
    r"""A line (hyperplane) that strictly separates two classes, or None if there is none.

    Solves the linear feasibility problem

    .. math:: \text{find } w, c \quad\text{with}\quad s_i\,(w \cdot x_i + c) \ge 1 \ \text{for all } i,

    where :math:`s_i = \pm 1` is the class of point :math:`x_i`. Such ``(w, c)`` exists
    exactly when some hyperplane has all of one class strictly on one side and all of
    the other class strictly on the other side (scale any strict separator until its
    smallest :math:`s_i(w\cdot x_i + c)` is 1). The answer is exact up to the LP
    solver's tolerance (about 1e-9 in the constraint values).

    Parameters
    ----------
    X : array_like, shape (n, d)
        Finite row points.
    y : array_like, shape (n,)
        Two class labels: 0/1, -1/+1 or booleans; both classes must occur.

    Returns
    -------
    (w, c) : tuple of ndarray (d,) and float, with ``w . x + c > 0`` on class 1 (``+1``)
        or None if the classes are not linearly separable.

    Example
    -------
    >>> separating_line([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1]) is None   # XOR
    True
    """
    from scipy.optimize import linprog

    fname = "separating_line"
    P = _points(X, fname)
    s = _labels(y, P.shape[0], fname)
    n, d = P.shape
    # variables (w_1..w_d, c); constraints -s_i (w.x_i + c) <= -1
    A_ub = -s[:, None] * np.hstack([P, np.ones((n, 1))])
    res = linprog(np.zeros(d + 1), A_ub=A_ub, b_ub=-np.ones(n), bounds=[(None, None)] * (d + 1), method="highs")
    if res.status != 0:  # 2: infeasible; anything else is reported as no line found
        if res.status not in (2,):
            raise RuntimeError(f"{fname}: the LP solver failed ({res.message})")
        return None
    w, c = res.x[:d].copy(), float(res.x[d])
    if np.min(s * (P @ w + c)) <= 0:  # guard against solver tolerance on degenerate inputs
        return None
    return w, c


def line_margin(X, y, w, c) -> float:
    r"""Signed geometric margin of the line :math:`w\cdot x + c = 0` on labelled points.

    .. math:: \min_i \frac{s_i\,(w \cdot x_i + c)}{\lVert w \rVert}

    Positive: every point is on its class's side (class 1 / ``+1`` where
    ``w . x + c > 0``), and the value is the distance from the line to the nearest
    point. Zero or negative: some point lies on the line or on the wrong side.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,), two classes (0/1, -1/+1 or booleans)
    w : array_like, shape (d,), not zero
    c : real number

    Example
    -------
    >>> line_margin([[0.0, 0.0], [2.0, 0.0]], [0, 1], [1.0, 0.0], -1.0)
    1.0
    """
    fname = "line_margin"
    P = _points(X, fname)
    s = _labels(y, P.shape[0], fname)
    wv = as_float_array(w, fname, "w")
    if wv.shape != (P.shape[1],):
        raise ValueError(f"{fname}: w must have shape ({P.shape[1]},), got {wv.shape}")
    norm = float(np.linalg.norm(wv))
    if not np.isfinite(norm) or norm == 0:
        raise ValueError(f"{fname}: w must be finite and not zero")
    c = check_param(c, fname, "c")
    return float(np.min(s * (P @ wv + c)) / norm)


def max_margin_line(X, y):
    r"""The separating line with the widest margin (a hard-margin linear SVM), or None.

    Solves :math:`\min \tfrac12\lVert w\rVert^2` subject to
    :math:`s_i (w\cdot x_i + c) \ge 1`; the margin of the optimum is
    :math:`1/\lVert w \rVert`. Returns None when the classes are not linearly
    separable (checked first with :func:`separating_line`).

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,), two classes (0/1, -1/+1 or booleans)

    Returns
    -------
    (w, c, margin) : ndarray (d,), float, float — or None.
        ``w . x + c > 0`` on class 1 (``+1``); ``margin`` is :func:`line_margin` of the line.

    Example
    -------
    >>> w, c, m = max_margin_line([[0.0, 0.0], [2.0, 0.0]], [0, 1])
    >>> round(m, 6), round(float(-c / w[0]), 6)   # the perpendicular bisector x = 1
    (1.0, 1.0)
    """
    from scipy.optimize import minimize

    fname = "max_margin_line"
    P = _points(X, fname)
    s = _labels(y, P.shape[0], fname)
    start = separating_line(P, s)
    if start is None:
        return None
    n, d = P.shape
    # centre and scale for a well-conditioned problem; map the answer back afterwards
    mu = P.mean(axis=0)
    scale = float(np.max(np.abs(P - mu))) or 1.0
    Q = (P - mu) / scale
    w0 = start[0] * scale
    c0 = start[1] + float(start[0] @ mu)
    A = s[:, None] * np.hstack([Q, np.ones((n, 1))])
    res = minimize(
        lambda v: 0.5 * float(v[:d] @ v[:d]),
        np.append(w0, c0),
        jac=lambda v: np.append(v[:d], 0.0),
        constraints=[{"type": "ineq", "fun": lambda v: A @ v - 1.0, "jac": lambda v: A}],
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 500},
    )
    v = res.x if res.success else np.append(w0, c0)
    w_q, c_q = v[:d], float(v[d])
    w = w_q / scale
    c = c_q - float(w @ mu)
    margin = line_margin(P, s, w, c)
    if margin <= 0:  # the optimiser must not return a worse line than the LP's
        w, c = start
        margin = line_margin(P, s, w, c)
    return w, float(c), float(margin)


def line_scan(X, y, n_directions: int = 360):
    r"""Brute force over lines: the best accuracy of a line with each normal direction.

    For every angle :math:`\theta_k = 2\pi k / n` the normal :math:`u = (\cos\theta_k,
    \sin\theta_k)` is fixed and *every* threshold :math:`\tau` is tried: points with
    :math:`u\cdot x > \tau` are called class 1, the others class 0. Only thresholds
    between consecutive projections matter, so the scan is exact for each direction;
    the direction grid is what makes it a brute-force search.

    Parameters
    ----------
    X : array_like, shape (n, 2)
        Points in the plane.
    y : array_like, shape (n,), two classes (0/1, -1/+1 or booleans)
    n_directions : int >= 1

    Returns
    -------
    (angles, accuracy) : two ndarrays of shape (n_directions,)
        ``accuracy[k]`` is the largest fraction of points classified correctly by a line
        with normal angle ``angles[k]`` (in radians).

    Example
    -------
    >>> angles, acc = line_scan([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1], 8)
    >>> float(acc.max())          # no line gets all four XOR points right
    0.75
    """
    fname = "line_scan"
    P = _points(X, fname)
    if P.shape[1] != 2:
        raise ValueError(f"{fname}: X must hold points in the plane, shape (n, 2), got {P.shape}")
    s = _labels(y, P.shape[0], fname)
    if isinstance(n_directions, (bool, np.bool_)) or not isinstance(n_directions, numbers.Integral):
        raise TypeError(f"{fname}: n_directions must be an integer, got {type(n_directions).__name__}")
    if n_directions < 1:
        raise ValueError(f"{fname}: n_directions must be >= 1, got {n_directions}")
    n = P.shape[0]
    angles = 2 * np.pi * np.arange(int(n_directions)) / int(n_directions)
    U = np.column_stack([np.cos(angles), np.sin(angles)])
    proj = P @ U.T                      # (n, k)
    order = np.argsort(proj, axis=0, kind="stable")
    sorted_proj = np.take_along_axis(proj, order, axis=0)
    pos = (s[order] > 0).astype(np.int64)  # class-1 indicator in sorted order, per direction
    # threshold after the first j sorted points (j = 0..n): those j are called class 0.
    # correct = (#class-0 among the first j) + (#class-1 among the rest)
    n_pos = pos.sum(axis=0)
    cum_pos = np.vstack([np.zeros((1, pos.shape[1]), dtype=np.int64), np.cumsum(pos, axis=0)])
    j = np.arange(n + 1)[:, None]
    correct = (j - cum_pos) + (n_pos - cum_pos)
    # a threshold can only fall between two *different* projections (ties cannot be split)
    valid = np.ones_like(correct, dtype=bool)
    valid[1:n] = sorted_proj[1:] > sorted_proj[:-1]
    correct = np.where(valid, correct, -1)
    return angles, correct.max(axis=0) / n


# --- folds found by gradient descent ------------------------------------------------------------

@dataclass(frozen=True)
class HiddenLayerRun:
    """One network trained by :func:`train_hidden_layers` (arrays are private copies).

    ``W1, b1`` map inputs to the hidden layer, ``W2, b2`` the hidden layer to the output
    (row convention: ``H = act(X W1 + b1)``, ``out = H W2 + b2``).
    """

    seed: int
    width: int
    loss: float                   #: final loss, 0.5 * mean squared error (as :meth:`MLP.loss`)
    correct: bool                 #: every output on its class's side of 1/2
    hidden_margin: float | None   #: widest margin of a line separating the classes in hidden space; None if none
    dead_units: int               #: hidden units whose pre-activation is <= 0 on every input
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray


def train_hidden_layers(X, y, width: int, seeds, *, steps: int = 400, lr: float = 0.2,
                        activation: str = "relu", init: str = "he") -> list[HiddenLayerRun]:
    r"""Train ``d -> width -> 1`` networks from several seeds and inspect their hidden layers.

    Each network is an :class:`activations.nn.MLP` with the hidden ``activation`` and an
    identity output, trained by ``steps`` full-batch gradient-descent steps of size ``lr`` on
    the squared error to the 0/1 targets. Afterwards we record whether every output lies on
    the correct side of 1/2, whether the hidden representation :math:`H` makes the two
    classes linearly separable (and with what margin, :func:`max_margin_line`), and how many
    hidden units are *dead* (zero pre-activation slope on every input, see
    :meth:`MLP.dead_units`).

    Parameters
    ----------
    X : array_like, shape (n, d)
        Finite inputs.
    y : array_like, shape (n,)
        Two classes (0/1, -1/+1 or booleans); the targets are 0 and 1.
    width : int >= 1
        Hidden units.
    seeds : iterable of int
        One run per seed (the seed of the weight initialisation).
    steps : int >= 1
    lr : float > 0
    activation, init : registry name of the hidden activation and weight initialisation.

    Returns
    -------
    list of HiddenLayerRun, in the order of ``seeds``.

    Example
    -------
    >>> runs = train_hidden_layers([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1], 8, [0, 1])
    >>> [run.correct for run in runs]
    [True, True]
    """
    from ..nn import MLP

    fname = "train_hidden_layers"
    P = _points(X, fname)
    s = _labels(y, P.shape[0], fname)
    target = (s > 0).astype(np.float64)[:, None]
    for name, v, low in (("width", width, 1), ("steps", steps, 1)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{fname}: {name} must be an integer, got {type(v).__name__}")
        if v < low:
            raise ValueError(f"{fname}: {name} must be >= {low}, got {v}")
    lr = check_param(lr, fname, "lr", positive=True)
    if isinstance(seeds, (str, bytes)):
        raise TypeError(f"{fname}: seeds must be an iterable of integers")
    try:
        seeds = list(seeds)
    except TypeError:
        raise TypeError(f"{fname}: seeds must be an iterable of integers, got {type(seeds).__name__}") from None
    for seed in seeds:
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"{fname}: every seed must be an integer, got {seed!r}")
    runs = []
    for seed in seeds:
        try:
            net = MLP([P.shape[1], int(width), 1], activation=activation, init=init, rng=int(seed))
        except ValueError as exc:
            raise ValueError(f"{fname}: {exc}") from None
        for _ in range(int(steps)):
            net.train_step(P, target, lr=lr)
        out = net.forward(P)
        H = net.activations()[0].copy()
        loss = 0.5 * float(np.mean(np.sum((out - target) ** 2, axis=1)))
        found = max_margin_line(H, s) if np.all(np.isfinite(H)) else None
        hidden, last = net.layers
        runs.append(HiddenLayerRun(
            seed=int(seed), width=int(width), loss=loss,
            correct=bool(np.all((out[:, 0] > 0.5) == (s > 0))),
            hidden_margin=None if found is None else found[2],
            dead_units=int(np.sum(np.all(net.cache["Z"][0] <= 0, axis=0))),
            W1=hidden.W.copy(), b1=hidden.b.copy(), W2=last.W.copy(), b2=last.b.copy(),
        ))
    return runs
