"""The MLP: backpropagation checked against central finite differences."""
from __future__ import annotations

import numpy as np
import pytest

from activations.nn import MLP, init_weights

RNG = np.random.default_rng(1234)
X = RNG.normal(size=(7, 3))
Y_REG = RNG.normal(size=(7, 2))
Y_CLS = np.array([0, 1, 1, 0, 1, 0, 0])


def numeric_grad(net, X, y, kind, get, set_, h=1e-6):
    """Central differences of the loss with respect to every entry of one parameter array."""
    base = np.array(get(), dtype=float, copy=True)
    out = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        for sign in (+1, -1):
            p = base.copy()
            p[idx] += sign * h
            set_(p)
            out[idx] += sign * net.loss(X, y, kind)
    set_(base)
    return out / (2 * h)


CASES = [
    ("sigmoid", "mse", Y_REG, {}), ("tanh", "mse", Y_REG, {}), ("softplus", "mse", Y_REG, {}),
    ("gelu", "cross_entropy", Y_CLS, {}), ("selu", "cross_entropy", Y_CLS, {}), ("silu", "bce", Y_CLS, {}),
    ("elu", "mse", Y_REG, {"alpha": 0.7}), ("leaky_relu", "mse", Y_REG, {"negative_slope": 0.1}),
    ("relu", "mse", Y_REG, {}), ("mish", "cross_entropy", Y_CLS, {}),
]


@pytest.mark.parametrize("act, kind, y, params", CASES, ids=[c[0] + "-" + c[1] for c in CASES])
def test_backprop_matches_finite_differences(act, kind, y, params):
    out = {"mse": 2, "cross_entropy": 2, "bce": 1}[kind]
    yk = y.reshape(-1, 1) if kind == "bce" else y
    net = MLP([3, 5, 4, out], activation=act, activation_params=params, rng=7)
    _, grads = net.gradients(X, yk, kind)
    for i, layer in enumerate(net.layers):
        for name, key in (("W", "dW"), ("b", "db")):
            num = numeric_grad(net, X, yk, kind, lambda: getattr(layer, name),
                               lambda v: setattr(layer, name, v))
            np.testing.assert_allclose(grads[i][key], num, rtol=1e-5, atol=1e-8,
                                       err_msg=f"{act}/{kind}: layer {i} {key}")


@pytest.mark.parametrize("per_unit", [False, True])
def test_prelu_slope_gradient(per_unit):
    net = MLP([3, 6, 2], activation="prelu", prelu_per_unit=per_unit, prelu_init=0.2, rng=3)
    _, grads = net.gradients(X, Y_REG, "mse")
    layer = net.layers[0]
    assert layer.slope.shape == ((6,) if per_unit else ())
    num = numeric_grad(net, X, Y_REG, "mse", lambda: layer.slope, lambda v: setattr(layer, "slope", v))
    np.testing.assert_allclose(grads[0]["dslope"], num, rtol=1e-5, atol=1e-9)


def test_training_reduces_loss_and_learns_xor():
    Xx = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    yx = np.array([0, 1, 1, 0])
    net = MLP([2, 8, 2], activation="tanh", rng=0)
    first = net.train_step(Xx, yx, lr=0.5, kind="cross_entropy")
    for _ in range(500):
        last = net.train_step(Xx, yx, lr=0.5, kind="cross_entropy")
    assert last < first / 10
    assert (net(Xx).argmax(axis=1) == yx).all()


def test_init_scales_and_dead_units():
    w = init_weights(400, 100, "he", rng=0)
    assert w.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    net = MLP([3, 50, 1], activation="relu", bias=-10.0, rng=0)
    dead = net.dead_units(X)
    assert dead[0].all()  # a bias of -10 silences every unit on unit-scale inputs
    _, grads = net.gradients(X, Y_REG[:, :1])
    assert not np.any(grads[0]["dW"])


def test_bad_input():
    with pytest.raises(ValueError, match="MLP"):
        MLP([3])
    with pytest.raises(ValueError, match="unknown activation"):
        MLP([3, 2], activation="nope")
    net = MLP([3, 2], rng=0)
    with pytest.raises(ValueError, match="MLP.forward"):
        net.forward(np.zeros((2, 4)))
    with pytest.raises(TypeError, match="MLP.forward"):
        net.forward("abc")
    with pytest.raises(ValueError, match="MLP.loss"):
        net.loss(X, Y_REG[:, :2], kind="hinge")
    with pytest.raises(ValueError, match="init_weights"):
        init_weights(2, 2, "xavier-ish")
    x0 = X.copy()
    net.forward(X)
    assert np.array_equal(X, x0)
