"""A small, readable multilayer perceptron for the book's gradient experiments.

Row-vector convention, as in the chapters: a batch ``X`` has shape ``(n, d)`` and a
layer computes ``Z = X W + b``, ``A = f(Z)``. Activations and their derivatives come
from the package's registry, so an experiment uses exactly the functions the book
teaches. Backpropagation is written out once, in :meth:`MLP.backward`.

Example
-------
>>> import numpy as np
>>> from activations.nn import MLP
>>> net = MLP([2, 8, 1], activation="tanh", rng=0)
>>> X = np.array([[0.0, 1.0], [1.0, 0.0]]); y = np.array([[1.0], [0.0]])
>>> loss0 = net.loss(X, y)
>>> for _ in range(200):
...     _ = net.train_step(X, y, lr=0.1)
>>> bool(net.loss(X, y) < loss0)
True
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._checks import as_float_array, check_param

__all__ = ["Layer", "MLP", "init_weights", "INITS", "LOSSES"]

#: Weight initialisations: standard deviation of W for fan-in ``n_in`` and fan-out ``n_out``.
INITS = {
    "glorot": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),   # Glorot & Bengio (2010), normal
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),                 # He et al. (2015)
    "lecun": lambda n_in, n_out: np.sqrt(1.0 / n_in),              # LeCun et al. (1998); SELU's choice
    "naive": lambda n_in, n_out: 1.0,                              # unit normal, no fan scaling
}
LOSSES = ("mse", "cross_entropy", "bce")


def init_weights(n_in: int, n_out: int, init: str = "glorot", scale: float = 1.0, rng=None) -> np.ndarray:
    """Normal weights of shape ``(n_in, n_out)`` with std ``scale * INITS[init](n_in, n_out)``."""
    if init not in INITS:
        raise ValueError(f"init_weights: init must be one of {sorted(INITS)}, got {init!r}")
    rng = np.random.default_rng(rng)
    return rng.normal(0.0, scale * INITS[init](n_in, n_out), size=(n_in, n_out))


def _activation(name: str, params: dict):
    from . import registry

    try:
        rec = registry.get(name)
    except (KeyError, ValueError):
        raise ValueError(f"MLP: unknown activation {name!r}") from None
    unknown = set(params) - set(rec.params)
    if unknown:
        raise ValueError(f"MLP: activation {name!r} has no parameter(s) {sorted(unknown)}")
    return rec


@dataclass
class Layer:
    """One affine map followed by an activation: ``A = f(X W + b)``.

    For ``activation="prelu"`` the slope is a learned parameter ``slope`` (shape ``()``
    for one shared slope, ``(n_out,)`` for one per unit), updated like ``W`` and ``b``.
    """

    W: np.ndarray
    b: np.ndarray
    activation: str = "relu"
    params: dict = field(default_factory=dict)
    slope: np.ndarray | None = None

    def __post_init__(self):
        self.record = _activation(self.activation, {} if self.activation == "prelu" else self.params)

    def act(self, Z):
        if self.activation == "prelu":
            return self.record.fn(Z, self.slope, axis=-1)
        return self.record.fn(Z, **self.params)

    def act_grad(self, Z):
        if self.activation == "prelu":
            return self.record.grad(Z, self.slope, axis=-1)
        return self.record.grad(Z, **self.params)


class MLP:
    """A fully connected network ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``.

    Parameters
    ----------
    sizes : list of int
        Layer widths, input first.
    activation : str
        Registry name of the hidden activation (``"relu"``, ``"tanh"``, ``"selu"``, ...).
    output : str
        Registry name of the output activation; ``"identity"`` for regression and for
        logits (the losses ``"cross_entropy"`` and ``"bce"`` take logits).
    init, scale : weight initialisation (see :data:`INITS`) and a multiplier on its std.
    bias : initial value of every hidden bias (a negative value can kill ReLUs).
    activation_params : keyword parameters of the hidden activation (e.g. ``{"negative_slope": 0.1}``).
    prelu_per_unit : with ``activation="prelu"``, learn one slope per unit instead of one per layer.
    prelu_init : initial PReLU slope (He et al. use 0.25).
    rng : seed or ``numpy.random.Generator``.
    """

    def __init__(self, sizes, activation="relu", output="identity", init="glorot", scale=1.0, bias=0.0,
                 activation_params=None, prelu_per_unit=False, prelu_init=0.25, rng=None):
        if not (isinstance(sizes, (list, tuple)) and len(sizes) >= 2
                and all(isinstance(s, (int, np.integer)) and s > 0 for s in sizes)):
            raise ValueError(f"MLP: sizes must be a list of at least two positive integers, got {sizes!r}")
        check_param(scale, "MLP", "scale", positive=True)
        check_param(bias, "MLP", "bias")
        rng = np.random.default_rng(rng)
        params = dict(activation_params or {})
        for name in (activation, output):  # fail early, even when no layer uses the hidden activation
            _activation(name, {})
        self.layers: list[Layer] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            last = i == len(sizes) - 2
            name = output if last else activation
            W = init_weights(n_in, n_out, init, scale, rng)
            b = np.full(n_out, 0.0 if last else float(bias))
            slope = None
            if name == "prelu":
                slope = np.full(n_out if prelu_per_unit else (), float(prelu_init))
            self.layers.append(Layer(W, b, name, {} if last else params, slope))
        self.cache: dict = {}

    @property
    def depth(self) -> int:
        return len(self.layers)

    # --- forward and backward ----------------------------------------------------------
    def forward(self, X) -> np.ndarray:
        """Output for a batch ``X`` of shape ``(n, sizes[0])``; keeps what backward needs."""
        A = as_float_array(X, "MLP.forward", "X")
        if A.ndim != 2 or A.shape[1] != self.layers[0].W.shape[0]:
            raise ValueError(f"MLP.forward: X must have shape (n, {self.layers[0].W.shape[0]}), got {A.shape}")
        As, Zs = [A], []
        for layer in self.layers:
            Z = A @ layer.W + layer.b
            A = layer.act(Z)
            Zs.append(Z)
            As.append(A)
        self.cache = {"A": As, "Z": Zs}
        return A

    __call__ = forward

    def backward(self, grad_out) -> list[dict]:
        """Backpropagate ``dL/d(output)`` through the cached forward pass.

        Returns one dict per layer with ``dW``, ``db``, ``dZ`` (the gradient at the
        pre-activation) and, for PReLU layers, ``dslope``.
        """
        if not self.cache:
            raise ValueError("MLP.backward: call forward first")
        G = np.asarray(grad_out, dtype=float)
        grads = [None] * self.depth
        for i in reversed(range(self.depth)):
            layer, Z, A_in = self.layers[i], self.cache["Z"][i], self.cache["A"][i]
            dZ = G * layer.act_grad(Z)  # chain rule through the elementwise activation
            g = {"dW": A_in.T @ dZ, "db": dZ.sum(axis=0), "dZ": dZ}
            if layer.activation == "prelu":
                d = G * np.where(Z > 0, 0.0, Z)  # d prelu / d slope = z on the negative side
                g["dslope"] = d.sum() if layer.slope.ndim == 0 else d.sum(axis=0)
            grads[i] = g
            G = dZ @ layer.W.T
        return grads

    # --- losses ---------------------------------------------------------------------------
    def loss(self, X, y, kind: str = "mse") -> float:
        """Mean loss over the batch: ``mse`` (0.5·squared error summed over outputs),
        ``cross_entropy`` (softmax of the output logits; ``y`` class indices or one-hot)
        or ``bce`` (sigmoid of the output logits; ``y`` in {0, 1})."""
        value, _ = self._loss_and_grad(self.forward(X), y, kind)
        return value

    def _loss_and_grad(self, out, y, kind):
        from . import along_axis, information

        n = out.shape[0]
        if kind == "mse":
            y = np.asarray(y, dtype=float).reshape(out.shape)
            r = out - y
            return 0.5 * float(np.sum(r * r)) / n, r / n
        if kind == "cross_entropy":
            y = np.asarray(y)
            onehot = np.eye(out.shape[1])[y] if y.ndim == 1 else y.astype(float)
            logp = along_axis.log_softmax(out, axis=-1)
            return -float(np.sum(onehot * logp)) / n, (np.exp(logp) - onehot) / n  # softmax − y
        if kind == "bce":
            y = np.asarray(y, dtype=float).reshape(out.shape)
            value = information.binary_cross_entropy_with_logits(out, y, reduction="mean")
            from . import elementwise

            return float(value), (elementwise.sigmoid(out) - y) / out.size
        raise ValueError(f"MLP.loss: kind must be one of {LOSSES}, got {kind!r}")

    def gradients(self, X, y, kind: str = "mse"):
        """``(loss, grads)`` for a batch; ``grads`` as returned by :meth:`backward`."""
        value, g = self._loss_and_grad(self.forward(X), y, kind)
        return value, self.backward(g)

    def train_step(self, X, y, lr: float = 0.1, kind: str = "mse") -> float:
        """One step of plain gradient descent on the batch; returns the loss before the step."""
        check_param(lr, "MLP.train_step", "lr", positive=True)
        value, grads = self.gradients(X, y, kind)
        for layer, g in zip(self.layers, grads):
            layer.W -= lr * g["dW"]
            layer.b -= lr * g["db"]
            if "dslope" in g:
                layer.slope = layer.slope - lr * g["dslope"]
        return value

    # --- diagnostics used by the chapters ---------------------------------------------
    def activations(self) -> list[np.ndarray]:
        """Post-activation outputs of every layer from the last forward pass."""
        return self.cache["A"][1:]

    def grad_norms(self, grads) -> np.ndarray:
        """Frobenius norm of dW for every layer (input layer first)."""
        return np.array([np.linalg.norm(g["dW"]) for g in grads])

    def dead_units(self, X) -> list[np.ndarray]:
        """For each hidden layer, a boolean mask of units whose pre-activation is ≤ 0
        for every example of ``X`` (so a ReLU unit passes no gradient on this data)."""
        self.forward(X)
        return [np.all(Z <= 0, axis=0) for Z in self.cache["Z"][:-1]]
