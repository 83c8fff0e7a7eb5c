"""Chapter 3 experiments, checked against closed forms, hand-written loops and finite differences."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit
from scipy.stats import gmean

from activations.elementwise import identity_grad, relu_grad, sigmoid_grad, softsign_grad, tanh_grad
from activations.experiments.saturation import (
    depth_sweep,
    geometric_mean,
    gradient_profile,
    layer_statistics,
    loss_grid,
    make_deep_net,
    neuron_descent_path,
    saturation_onset,
)


# --------------------------------------------------------------------------- saturation_onset
@pytest.mark.parametrize("frac", [0.5, 0.1, 0.01, 1e-4])
def test_saturation_onset_matches_closed_forms(frac):
    # sigmoid: s(1 - s) = frac / 4  =>  s = (1 + sqrt(1 - frac)) / 2,  x = logit(s)
    s = (1 + math.sqrt(1 - frac)) / 2
    assert saturation_onset(sigmoid_grad, frac) == pytest.approx(math.log(s / (1 - s)), rel=1e-12)
    # tanh: 1 - t^2 = frac  =>  x = atanh(sqrt(1 - frac))
    assert saturation_onset(tanh_grad, frac) == pytest.approx(math.atanh(math.sqrt(1 - frac)), rel=1e-12)
    # softsign: 1 / (1 + x)^2 = frac  =>  x = 1/sqrt(frac) - 1
    assert saturation_onset(softsign_grad, frac) == pytest.approx(1 / math.sqrt(frac) - 1, rel=1e-12)


def test_saturation_onset_is_the_crossing():
    x = saturation_onset(sigmoid_grad, 0.01)
    assert sigmoid_grad(np.nextafter(x, 0)) > 0.0025 >= sigmoid_grad(x)


def test_saturation_onset_errors():
    with pytest.raises(TypeError, match="^saturation_onset"):
        saturation_onset(3.0)
    with pytest.raises(ValueError, match="^saturation_onset"):
        saturation_onset(sigmoid_grad, 1.0)
    with pytest.raises(ValueError, match="^saturation_onset"):
        saturation_onset(sigmoid_grad, 0.0)
    with pytest.raises(ValueError, match="^saturation_onset"):
        saturation_onset(relu_grad, 0.01)  # derivative 0 at 0: no peak to compare with
    with pytest.raises(ValueError, match="^saturation_onset"):
        saturation_onset(identity_grad, 0.01)  # never falls
    with pytest.raises(ValueError, match="^saturation_onset"):
        saturation_onset(softsign_grad, 1e-6, x_max=10.0)


# --------------------------------------------------------------------------- deep nets
def test_make_deep_net_shapes_and_reproducibility():
    net, X, y = make_deep_net("tanh", 5, width=6, n_samples=9, seed=4)
    assert X.shape == (9, 6) and y.shape == (9, 1)
    assert [layer.W.shape for layer in net.layers] == [(6, 6)] * 4 + [(6, 1)]
    assert [layer.activation for layer in net.layers] == ["tanh"] * 4 + ["identity"]
    net2, X2, y2 = make_deep_net("tanh", 5, width=6, n_samples=9, seed=4)
    np.testing.assert_array_equal(X, X2)
    for a, b in zip(net.layers, net2.layers):
        np.testing.assert_array_equal(a.W, b.W)
    net3, X3, _ = make_deep_net("tanh", 5, width=6, n_samples=9, seed=5)
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize("init, scale, std", [("glorot", 1.0, math.sqrt(2 / 64)), ("glorot", 3.0, 3 * math.sqrt(2 / 64)),
                                               ("naive", 1.0, 1.0), ("he", 0.5, 0.5 * math.sqrt(2 / 32))])
def test_make_deep_net_weight_scale(init, scale, std):
    net, _, _ = make_deep_net("sigmoid", 12, width=32, init=init, scale=scale, seed=0)
    w = np.concatenate([layer.W.ravel() for layer in net.layers[:-1]])  # 11 * 1024 samples
    assert np.std(w) == pytest.approx(std, rel=0.03)
    assert abs(np.mean(w)) < 0.05 * std


def _numeric_weight_grad_norms(net, X, y, h=1e-6):
    norms = []
    for layer in net.layers:
        base = layer.W.copy()
        g = np.zeros_like(base)
        for idx in np.ndindex(base.shape):
            for sign in (1, -1):
                W = base.copy()
                W[idx] += sign * h
                layer.W = W
                g[idx] += sign * net.loss(X, y, "mse")
        layer.W = base
        norms.append(np.linalg.norm(g / (2 * h)))
    return np.array(norms)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_gradient_profile_matches_finite_differences(activation):
    got = gradient_profile(activation, 4, width=4, n_samples=5, scale=1.5, seeds=(3, 8))
    assert got.shape == (2, 4)
    for row, seed in zip(got, (3, 8)):
        net, X, y = make_deep_net(activation, 4, width=4, n_samples=5, scale=1.5, seed=seed)
        np.testing.assert_allclose(row, _numeric_weight_grad_norms(net, X, y), rtol=1e-5, atol=1e-10)


def test_gradient_profile_of_a_linear_net_by_hand():
    # identity hidden layer: out = X W1 W2, loss = 0.5 * mean((out - y)^2)
    net, X, y = make_deep_net("identity", 2, width=3, n_samples=7, seed=11)
    W1, W2 = net.layers[0].W, net.layers[1].W
    r = (X @ W1 @ W2 - y) / len(X)
    dW2 = (X @ W1).T @ r
    dW1 = X.T @ (r @ W2.T)
    got = gradient_profile("identity", 2, width=3, n_samples=7, seeds=(11,))[0]
    np.testing.assert_allclose(got, [np.linalg.norm(dW1), np.linalg.norm(dW2)], rtol=1e-12)


def test_sigmoid_gradients_vanish_with_depth_but_relu_with_he_do_not():
    sig = gradient_profile("sigmoid", 20, seeds=(0, 1, 2))
    relu = gradient_profile("relu", 20, init="he", seeds=(0, 1, 2))
    # first hidden layer vs last hidden layer
    assert np.all(sig[:, 0] < 1e-6 * sig[:, -2])
    assert np.all(relu[:, 0] > 0.05 * relu[:, -2])


def test_geometric_mean():
    v = np.array([[1e-8, 2.0], [1e-2, 8.0], [1.0, 0.5]])
    np.testing.assert_allclose(geometric_mean(v, axis=0), gmean(v, axis=0), rtol=1e-12)
    assert geometric_mean([0.0, 3.0]) == 0.0
    with pytest.raises(ValueError, match="^geometric_mean"):
        geometric_mean([-1.0, 2.0])
    with pytest.raises(ValueError, match="^geometric_mean"):
        geometric_mean([])
    with pytest.raises(TypeError, match="^geometric_mean"):
        geometric_mean("abc")


def test_depth_sweep_collects_geometric_means():
    out = depth_sweep(["tanh", "relu"], [2, 5], [0.5, 2.0], width=8, n_samples=10, seeds=(1, 2))
    assert set(out) == {(a, s, d) for a in ("tanh", "relu") for s in (0.5, 2.0) for d in (2, 5)}
    want = gmean(gradient_profile("tanh", 5, width=8, n_samples=10, scale=2.0, seeds=(1, 2)), axis=0)
    np.testing.assert_allclose(out[("tanh", 2.0, 5)], want, rtol=1e-12)
    assert out[("relu", 0.5, 2)].shape == (2,)


@pytest.mark.parametrize("call, exc", [
    (lambda: make_deep_net("sigmoid", 1), ValueError),
    (lambda: make_deep_net("sigmoid", 3.0), TypeError),
    (lambda: make_deep_net("no_such_thing", 3), ValueError),
    (lambda: make_deep_net(np.tanh, 3), TypeError),
    (lambda: make_deep_net("tanh", 3, init="xavier"), ValueError),
    (lambda: make_deep_net("tanh", 3, scale=0.0), ValueError),
    (lambda: gradient_profile("tanh", 3, seeds=()), ValueError),
    (lambda: gradient_profile("tanh", 3, seeds=5), TypeError),
    (lambda: depth_sweep("tanh", [], [1.0]), ValueError),
])
def test_deep_net_errors_name_the_function(call, exc):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value).split(":")[0] in {"make_deep_net", "gradient_profile", "depth_sweep"}


# --------------------------------------------------------------------------- layer statistics
@pytest.mark.parametrize("activation, fn, init, std", [
    ("tanh", np.tanh, "naive", 1.0), ("sigmoid", expit, "glorot", math.sqrt(2 / 40)),
])
def test_layer_statistics_against_a_hand_written_forward_pass(activation, fn, init, std):
    st_ = layer_statistics(activation, 4, width=20, n_samples=50, init=init, seed=7)
    rng = np.random.default_rng(7)  # documented order: inputs first, then each layer's weights
    A = rng.normal(size=(50, 20))
    grad = {"tanh": tanh_grad, "sigmoid": sigmoid_grad}[activation]
    peak = {"tanh": 1.0, "sigmoid": 0.25}[activation]
    for layer in range(4):
        Z = A @ rng.normal(0.0, std, size=(20, 20))
        A = fn(Z)
        np.testing.assert_allclose(st_.activations[layer], A, rtol=1e-12, atol=1e-15)
        assert st_.mean[layer] == pytest.approx(A.mean(), rel=1e-12, abs=1e-15)
        assert st_.std[layer] == pytest.approx(A.std(), rel=1e-12)
        per_unit_var = [np.var(A[:, j]) for j in range(A.shape[1])]
        assert st_.within_unit_std[layer] == pytest.approx(math.sqrt(np.mean(per_unit_var)), rel=1e-12)
        assert st_.pre_std[layer] == pytest.approx(Z.std(), rel=1e-12)
        assert st_.unit_offset[layer] == pytest.approx(np.sqrt(np.mean(Z.mean(0) ** 2)), rel=1e-12)
        assert st_.saturated[layer] == pytest.approx(np.mean(grad(Z) < 0.01 * peak), abs=1e-12)


def test_naive_init_saturates_sigmoid_and_glorot_does_not():
    naive = layer_statistics("sigmoid", 6, width=100, n_samples=300, init="naive", seed=0)
    glorot = layer_statistics("sigmoid", 6, width=100, n_samples=300, init="glorot", seed=0)
    # unit-normal weights over 100 inputs: pre-activation std about 10 (layer 1) and more
    assert naive.pre_std[0] == pytest.approx(10.0, rel=0.1)
    assert np.all(naive.saturated > 0.3) and np.all(glorot.saturated < 0.01)
    # bias shift: from layer 2 on, positive sigmoid inputs give every unit a systematic offset
    assert np.all(naive.unit_offset[1:] > 0.3 * naive.pre_std[1:])
    assert naive.unit_offset[0] < 0.2 * naive.pre_std[0]
    # with Glorot weights the sigmoid is nearly linear with slope 1/4 around its operating point, so
    # the input-dependent spread shrinks by roughly 4 per layer (Var z = n Var(w) Var(a) = Var(a))
    ratios = glorot.within_unit_std[2:] / glorot.within_unit_std[1:-1]
    assert np.all((ratios > 0.18) & (ratios < 0.3))


def test_layer_statistics_does_not_modify_and_validates():
    with pytest.raises(ValueError, match="^layer_statistics"):
        layer_statistics("tanh", 0)
    with pytest.raises(ValueError, match="^layer_statistics"):
        layer_statistics("tanh", 2, init="bad")
    with pytest.raises(TypeError, match="^layer_statistics"):
        layer_statistics("tanh", 2, width=2.5)


# --------------------------------------------------------------------------- neuron descent
def _sgd_by_hand(X, y, w0, lr, epochs, batch_size, f, fprime):
    w, path = np.array(w0, float), [np.array(w0, float)]
    for _ in range(epochs):
        for s in range(0, len(X), batch_size):
            Xb, yb = X[s:s + batch_size], y[s:s + batch_size]
            z = Xb @ w
            delta = (f(z) - yb) * fprime(z)
            w = w - lr * Xb.T @ delta / len(Xb)
            path.append(w.copy())
    return np.array(path)


@pytest.mark.parametrize("output, f, fprime", [
    ("identity", lambda z: z, lambda z: np.ones_like(z)),
    ("sigmoid", expit, lambda z: expit(z) * (1 - expit(z))),
    ("tanh", np.tanh, lambda z: 1 - np.tanh(z) ** 2),
])
@pytest.mark.parametrize("batch_size", [1, 3, 10])
def test_neuron_descent_path_matches_hand_written_sgd(output, f, fprime, batch_size):
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, size=(10, 2))
    y = f(X @ np.array([0.7, -1.2]))
    X0, y0 = X.copy(), y.copy()
    path = neuron_descent_path(X, y, [0.1, 0.2], lr=0.4, epochs=3, batch_size=batch_size, output=output)
    want = _sgd_by_hand(X, y, [0.1, 0.2], 0.4, 3, batch_size, f, fprime)
    np.testing.assert_allclose(path.weights, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_allclose(path.losses, [0.5 * np.mean((f(X @ w) - y) ** 2) for w in want], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), positive=st.booleans())
def test_per_example_steps_with_positive_inputs_share_one_sign(seed, positive):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.01, 1.0, size=(8, 3))
    if not positive:
        X = -X  # all-negative inputs: also one sign per step
    y = rng.normal(size=8)
    path = neuron_descent_path(X, y, rng.normal(size=3), lr=0.3, epochs=2)
    assert path.same_sign_fraction() == 1.0


@pytest.mark.parametrize("seed", range(4))
def test_zero_centred_inputs_allow_mixed_sign_steps_and_positive_ones_zig_zag(seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 1.5, size=(16, 2))
    w_star, w0 = np.array([1.0, -1.0]), np.array([-1.0, 1.0])
    pos, cen = expit(z), 2 * expit(z) - 1
    p = neuron_descent_path(pos, pos @ w_star, w0, lr=0.5, epochs=4)
    c = neuron_descent_path(cen, cen @ w_star, w0, lr=0.5, epochs=4)
    assert p.same_sign_fraction() == 1.0 and c.same_sign_fraction() < 0.8
    straight = np.linalg.norm(w_star - w0)
    assert p.path_length() > 1.5 * straight and c.path_length() < p.path_length()
    # after one pass over the data the zero-centred run is closer to the target
    assert np.linalg.norm(c.weights[16] - w_star) < 0.7 * np.linalg.norm(p.weights[16] - w_star)
    # both converge: the targets are realisable
    assert np.linalg.norm(p.weights[-1] - w_star) < np.linalg.norm(w0 - w_star)


def test_descent_path_helpers():
    from activations.experiments.saturation import DescentPath

    d = DescentPath(weights=np.array([[0.0, 0.0], [1.0, 2.0], [1.0, 2.0], [0.0, 3.0]]), losses=np.zeros(4))
    np.testing.assert_array_equal(d.steps, [[1, 2], [0, 0], [-1, 1]])
    assert d.same_sign_fraction() == 0.5  # the zero step is ignored
    assert d.path_length() == pytest.approx(math.sqrt(5) + math.sqrt(2))


@pytest.mark.parametrize("kwargs, exc", [
    (dict(X=np.ones((3, 2)), y=np.ones(2), w0=[0, 0], lr=0.1), ValueError),
    (dict(X=np.ones(3), y=np.ones(3), w0=[0, 0], lr=0.1), ValueError),
    (dict(X=np.ones((3, 2)), y=np.ones(3), w0=[0, 0, 0], lr=0.1), ValueError),
    (dict(X=np.ones((3, 2)), y=np.ones(3), w0=[0, 0], lr=-1.0), ValueError),
    (dict(X=np.ones((3, 2)), y=np.ones(3), w0=[0, 0], lr=0.1, epochs=0), ValueError),
    (dict(X=np.ones((3, 2)), y=np.ones(3), w0=[0, 0], lr=0.1, batch_size=1.5), TypeError),
    (dict(X=np.ones((3, 2)), y=None, w0=[0, 0], lr=0.1), TypeError),
    (dict(X="abc", y=np.ones(3), w0=[0, 0], lr=0.1), TypeError),
    (dict(X=np.ones((3, 2)), y=np.ones(3), w0=[np.nan, 0], lr=0.1), ValueError),
    (dict(X=np.ones((3, 2)), y=np.ones(3), w0=[0, 0], lr=0.1, output="nope"), ValueError),
])
def test_neuron_descent_path_errors(kwargs, exc):
    with pytest.raises(exc, match="^neuron_descent_path"):
        neuron_descent_path(**kwargs)


# --------------------------------------------------------------------------- loss grid
def test_loss_grid_matches_a_loop():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(6, 2)), rng.normal(size=6)
    w1, w2 = np.linspace(-2, 2, 5), np.linspace(-1, 3, 4)
    for output, f in (("identity", lambda z: z), ("tanh", np.tanh)):
        L = loss_grid(X, y, w1, w2, output=output)
        assert L.shape == (4, 5)
        for i, b in enumerate(w2):
            for j, a in enumerate(w1):
                assert L[i, j] == pytest.approx(0.5 * np.mean((f(X @ [a, b]) - y) ** 2), rel=1e-12)
    with pytest.raises(ValueError, match="^loss_grid"):
        loss_grid(np.ones((3, 3)), np.ones(3), w1, w2)
    with pytest.raises(ValueError, match="^loss_grid"):
        loss_grid(X, np.ones(5), w1, w2)
