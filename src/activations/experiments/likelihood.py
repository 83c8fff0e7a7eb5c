"""Likelihood, question games and maximum entropy: the experiments of chapter 6.

Four groups of tested helpers behind the chapter "Entropy and likelihood":

* **Coin likelihood.** :func:`bernoulli_log_likelihood`, :func:`bernoulli_likelihood`
  and :func:`bernoulli_mle` read ``P(h heads, t tails | theta)`` as a function of
  ``theta`` and locate its maximum ``h / (h + t)``.
* **Yes/no question games.** A questioning strategy is a binary tree of
  :class:`Question` nodes whose leaves are outcome indices. Each question asks "is the
  outcome one of the outcomes under the *yes* branch?". :func:`huffman_tree` builds the
  optimal strategy (Huffman, 1952), :func:`sequential_tree` asks about one outcome at a
  time in a given order and :func:`balanced_tree` halves the candidates every time.
  :func:`question_counts` and :func:`expected_questions` give the exact cost of a
  strategy; :func:`simulate_questions` plays the game on seeded random draws.
* **Maximum entropy.** :func:`maxent_distribution` solves "maximise the entropy of ``p``
  subject to ``sum(p) = 1`` and ``sum(p * scores) = mu``" in closed form (a softmax of
  ``beta * scores``), :func:`maxent_numerical` solves the same problem with a generic
  constrained optimiser (SciPy's SLSQP) as a cross-check, and
  :func:`random_feasible_distributions` samples other distributions that meet the same
  constraints.
* **Likelihood of a classifier.** :func:`gaussian_blobs` makes a seeded toy data set,
  :func:`mean_log_likelihood` averages the log-probabilities a model gives to the
  observed labels, :func:`train_and_track` trains an :class:`activations.nn.MLP` with
  the cross-entropy loss while recording the log-likelihood, and
  :func:`central_difference_grad` checks gradients by finite differences.

Every function validates its inputs (``TypeError`` / ``ValueError`` messages start with
the function's name) and never modifies them; :func:`train_and_track` updates the
network it is given, which is its purpose.
"""
from __future__ import annotations

import heapq
import itertools
import numbers
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np
from scipy import optimize, special

from .._checks import as_float_array, check_param

__all__ = [
    "bernoulli_log_likelihood",
    "bernoulli_likelihood",
    "bernoulli_mle",
    "Question",
    "huffman_tree",
    "sequential_tree",
    "balanced_tree",
    "question_counts",
    "expected_questions",
    "describe_tree",
    "QuestionGame",
    "simulate_questions",
    "MaxEnt",
    "maxent_distribution",
    "maxent_numerical",
    "random_feasible_distributions",
    "gaussian_blobs",
    "mean_log_likelihood",
    "TrainingTrace",
    "train_and_track",
    "central_difference_grad",
]


# --- shared validation -----------------------------------------------------------------

def _count(value, fname: str, name: str) -> int:
    """A non-negative integer count (Python or NumPy integer; bools rejected)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fname}: {name} must be a non-negative integer, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{fname}: {name} must be >= 0, got {value}")
    return int(value)


def _distribution(p, fname: str, name: str = "p", *, atol: float = 1e-9) -> np.ndarray:
    """A 1-D float64 probability vector: finite, non-negative, summing to 1 within ``atol``."""
    arr = as_float_array(p, fname, name).astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{fname}: {name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{fname}: {name} must be finite")
    if np.any(arr < 0):
        raise ValueError(f"{fname}: {name} must be non-negative")
    if abs(arr.sum() - 1.0) > atol:
        raise ValueError(f"{fname}: {name} must sum to 1, got {arr.sum():.17g}")
    return arr


def _rng(rng, fname: str) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_))):
        return np.random.default_rng(rng)
    raise TypeError(f"{fname}: rng must be an integer seed, None or a numpy Generator, got {type(rng).__name__}")


# --- coin likelihood ---------------------------------------------------------------------

def _theta(theta, fname: str) -> np.ndarray:
    t = as_float_array(theta, fname, "theta").astype(np.float64)
    if np.any(np.isnan(t)) or np.any(t < 0) or np.any(t > 1):
        raise ValueError(f"{fname}: theta must lie in [0, 1]")
    return t


def bernoulli_log_likelihood(theta, heads, tails):
    r"""Log-likelihood of ``heads`` heads and ``tails`` tails for a coin with ``P(heads) = theta``.

    .. math:: \ell(\theta) = h \log\theta + t \log(1 - \theta)

    This is the log-probability of one particular sequence of tosses with those counts
    (the binomial coefficient, which does not depend on ``theta``, is left out). The
    convention ``0 log 0 = 0`` holds, so ``theta = 0`` with no heads gives a finite value;
    with at least one head it gives ``-inf``.

    Parameters
    ----------
    theta : float or array_like in [0, 1]
    heads, tails : non-negative int

    Returns
    -------
    float or ndarray of ``theta``'s shape.

    >>> round(bernoulli_log_likelihood(0.5, 1, 1), 6)  # 2 log(1/2)
    -1.386294
    """
    fname = "bernoulli_log_likelihood"
    t = _theta(theta, fname)
    h, k = _count(heads, fname, "heads"), _count(tails, fname, "tails")
    with np.errstate(divide="ignore"):
        out = special.xlogy(h, t) + special.xlog1py(k, -t)
    return float(out) if out.ndim == 0 and np.ndim(theta) == 0 else out


def bernoulli_likelihood(theta, heads, tails, *, relative: bool = False):
    r"""Likelihood ``theta**h * (1 - theta)**t``; with ``relative=True`` divided by its maximum.

    The relative likelihood :math:`L(\theta) / L(\hat\theta)` lies in ``[0, 1]`` and equals 1
    at the maximum-likelihood estimate :math:`\hat\theta = h / (h + t)`; it is computed as
    ``exp(l(theta) - l(theta_hat))`` so that large counts do not underflow. With no tosses
    at all (``h = t = 0``) the likelihood is 1 for every ``theta``.

    >>> float(bernoulli_likelihood(0.5, 2, 0))
    0.25
    """
    fname = "bernoulli_likelihood"
    if not isinstance(relative, (bool, np.bool_)):
        raise TypeError(f"{fname}: relative must be True or False, got {type(relative).__name__}")
    t = _theta(theta, fname)
    h, k = _count(heads, fname, "heads"), _count(tails, fname, "tails")
    ll = bernoulli_log_likelihood(t, h, k)
    if relative and h + k > 0:
        ll = ll - bernoulli_log_likelihood(bernoulli_mle(h, k), h, k)
    out = np.exp(ll)
    return float(out) if np.ndim(out) == 0 and np.ndim(theta) == 0 else out


def bernoulli_mle(heads, tails) -> float:
    r"""The maximum-likelihood estimate :math:`\hat\theta = h / (h + t)` of ``P(heads)``.

    Setting :math:`\ell'(\theta) = h/\theta - t/(1 - \theta)` to zero gives it. With no
    tosses every ``theta`` is equally likely and there is no unique maximiser: ValueError.

    >>> bernoulli_mle(3, 1)
    0.75
    """
    fname = "bernoulli_mle"
    h, k = _count(heads, fname, "heads"), _count(tails, fname, "tails")
    if h + k == 0:
        raise ValueError(f"{fname}: with no tosses (heads = tails = 0) every theta is a maximiser")
    return h / (h + k)


# --- yes/no question games ---------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    """One yes/no question: "is the outcome one of the outcomes under ``yes``?".

    ``yes`` and ``no`` are either another :class:`Question` or an outcome index (a leaf:
    the outcome is identified and no more questions are needed).
    """

    yes: "Question | int"
    no: "Question | int"

    @property
    def outcomes(self) -> frozenset:
        """Every outcome index reachable from this node."""
        return _leaves(self.yes) | _leaves(self.no)


def _leaves(node) -> frozenset:
    return node.outcomes if isinstance(node, Question) else frozenset([node])


def huffman_tree(p) -> Question | int:
    r"""The optimal yes/no strategy for identifying an outcome drawn from ``p`` (Huffman, 1952).

    Repeatedly merges the two least probable groups into one question; the expected number
    of questions :math:`\sum_i p_i \ell_i` is the smallest any strategy achieves, and lies
    in :math:`[H_2(p), H_2(p) + 1)` (equal to :math:`H_2(p)` exactly when every :math:`p_i`
    is a power of 1/2). Ties are broken by index, so the tree is deterministic; the first
    group taken from the queue (the less probable) becomes the *yes* branch. A single
    outcome needs no question and the result is then the leaf ``0``.

    >>> describe_tree(huffman_tree([0.5, 0.25, 0.25]), ["a", "b", "c"])[0]
    'Is it a?'
    """
    fname = "huffman_tree"
    prob = _distribution(p, fname)
    counter = itertools.count()
    heap = [(float(pi), next(counter), i) for i, pi in enumerate(prob)]
    heapq.heapify(heap)
    while len(heap) > 1:
        pa, _, a = heapq.heappop(heap)
        pb, _, b = heapq.heappop(heap)
        heapq.heappush(heap, (pa + pb, next(counter), Question(yes=a, no=b)))
    return heap[0][2]


def _labels(order, fname: str) -> list[int]:
    try:
        items = list(order)
    except TypeError:
        raise TypeError(f"{fname}: order must be a sequence of outcome indices, got {type(order).__name__}") from None
    if not items:
        raise ValueError(f"{fname}: order must not be empty")
    for i in items:
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, numbers.Integral):
            raise TypeError(f"{fname}: outcome indices must be integers, got {type(i).__name__}")
    items = [int(i) for i in items]
    if sorted(items) != list(range(len(items))):
        raise ValueError(f"{fname}: order must be a permutation of 0..{len(items) - 1}, got {items}")
    return items


def sequential_tree(order: Sequence[int]) -> Question | int:
    """Ask "is it ``order[0]``?", then "is it ``order[1]``?", ... until one outcome is left.

    The outcome at position ``k`` (from 0) costs ``k + 1`` questions, except the last one,
    which is known once every other outcome has been ruled out.

    >>> question_counts(sequential_tree([2, 0, 1]), 3).tolist()
    [2, 2, 1]
    """
    items = _labels(order, "sequential_tree")
    node: Question | int = items[-1]
    for i in reversed(items[:-1]):
        node = Question(yes=i, no=node)
    return node


def balanced_tree(n: int) -> Question | int:
    """Halve the candidate outcomes ``0..n-1`` with every question (a fixed-length code).

    Every outcome costs ``floor(log2 n)`` or ``ceil(log2 n)`` questions, whatever its
    probability.

    >>> question_counts(balanced_tree(4), 4).tolist()
    [2, 2, 2, 2]
    """
    fname = "balanced_tree"
    n = _count(n, fname, "n")
    if n < 1:
        raise ValueError(f"{fname}: n must be >= 1, got {n}")

    def build(lo, hi):
        if hi - lo == 1:
            return lo
        mid = (lo + hi + 1) // 2
        return Question(yes=build(lo, mid), no=build(mid, hi))

    return build(0, n)


def _check_tree(tree, n: int, fname: str) -> np.ndarray:
    """Depth of every outcome; ValueError unless outcomes ``0..n-1`` are the leaves, once each."""
    depths = np.full(n, -1, dtype=np.int64)
    stack = [(tree, 0)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, Question):
            stack.append((node.yes, d + 1))
            stack.append((node.no, d + 1))
            continue
        if isinstance(node, (bool, np.bool_)) or not isinstance(node, numbers.Integral):
            raise TypeError(f"{fname}: tree leaves must be outcome indices (int), got {type(node).__name__}")
        if not 0 <= node < n:
            raise ValueError(f"{fname}: tree has leaf {node}, outside 0..{n - 1}")
        if depths[node] >= 0:
            raise ValueError(f"{fname}: outcome {node} appears more than once in the tree")
        depths[node] = d
    missing = np.flatnonzero(depths < 0)
    if missing.size:
        raise ValueError(f"{fname}: the tree never identifies outcome(s) {missing.tolist()}")
    return depths


def question_counts(tree, n: int) -> np.ndarray:
    """Number of questions the strategy ``tree`` asks before it identifies each outcome ``0..n-1``.

    ValueError unless every outcome is a leaf exactly once.
    """
    fname = "question_counts"
    n = _count(n, fname, "n")
    if n < 1:
        raise ValueError(f"{fname}: n must be >= 1, got {n}")
    return _check_tree(tree, n, fname)


def expected_questions(tree, p) -> float:
    r"""Exact expected number of questions :math:`\sum_i p_i \ell_i` of strategy ``tree`` under ``p``."""
    fname = "expected_questions"
    prob = _distribution(p, fname)
    return float(np.dot(prob, _check_tree(tree, prob.size, fname)))


def describe_tree(tree, names: Sequence[str]) -> list[str]:
    """The strategy as indented text lines: each question, then its *yes* and *no* branches.

    >>> print("\\n".join(describe_tree(sequential_tree([0, 1]), ["red", "blue"])))
    Is it red?
      yes: red
      no: blue
    """
    fname = "describe_tree"
    if isinstance(names, (str, bytes)) or not all(isinstance(s, str) for s in names):
        raise TypeError(f"{fname}: names must be a sequence of strings")
    names = list(names)
    _check_tree(tree, len(names), fname)

    def question(node):
        return "Is it " + " or ".join(names[i] for i in sorted(_leaves(node.yes))) + "?"

    lines: list[str] = []

    def walk(node, indent, prefix):
        if isinstance(node, Question):
            lines.append(f"{indent}{prefix}{question(node)}")
            walk(node.yes, indent + "  ", "yes: ")
            walk(node.no, indent + "  ", "no: ")
        else:
            lines.append(f"{indent}{prefix}{names[node]}")

    walk(tree, "", "")
    return lines


class QuestionGame(NamedTuple):
    """Result of :func:`simulate_questions`: the drawn outcomes and the questions each took."""

    outcomes: np.ndarray
    questions: np.ndarray


def simulate_questions(tree, p, n_draws: int, rng=None) -> QuestionGame:
    """Play the question game ``n_draws`` times: draw an outcome from ``p``, then ask.

    Each draw walks down ``tree``: at every :class:`Question` the answer is "yes" if the
    drawn outcome is under the yes branch, and one question is counted. The walk stops at
    a leaf, which is checked to be the drawn outcome. Draws are vectorised: every question
    is answered for all the draws that reach it at once.

    Parameters
    ----------
    tree : a strategy (see :func:`huffman_tree`)
    p : probabilities of outcomes ``0..n-1``
    n_draws : positive int
    rng : seed, None or ``numpy.random.Generator``

    Returns
    -------
    QuestionGame(outcomes, questions), two int arrays of length ``n_draws``.
    """
    fname = "simulate_questions"
    prob = _distribution(p, fname)
    _check_tree(tree, prob.size, fname)
    n_draws = _count(n_draws, fname, "n_draws")
    if n_draws < 1:
        raise ValueError(f"{fname}: n_draws must be >= 1, got {n_draws}")
    gen = _rng(rng, fname)
    outcomes = gen.choice(prob.size, size=n_draws, p=prob / prob.sum())
    questions = np.zeros(n_draws, dtype=np.int64)
    stack = [(tree, np.arange(n_draws))]
    while stack:
        node, idx = stack.pop()
        if idx.size == 0:
            continue
        if isinstance(node, Question):
            questions[idx] += 1
            yes = np.isin(outcomes[idx], list(_leaves(node.yes)))
            stack.append((node.yes, idx[yes]))
            stack.append((node.no, idx[~yes]))
        elif np.any(outcomes[idx] != node):  # cannot happen for a valid tree
            raise AssertionError(f"{fname}: the tree misidentified a draw")
    return QuestionGame(outcomes, questions)


# --- maximum entropy ---------------------------------------------------------------------

class MaxEnt(NamedTuple):
    """Result of :func:`maxent_distribution`: ``p = softmax(beta * scores)``."""

    p: np.ndarray
    beta: float


def _scores_and_mu(scores, mu, fname: str):
    s = as_float_array(scores, fname, "scores").astype(np.float64)
    if s.ndim != 1 or s.size < 2:
        raise ValueError(f"{fname}: scores must be a 1-D array of at least 2 values, got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError(f"{fname}: scores must be finite")
    m = check_param(mu, fname, "mu")
    if not s.min() < m < s.max():
        raise ValueError(
            f"{fname}: mu must lie strictly between min(scores) = {s.min():.6g} and max(scores) = {s.max():.6g}, "
            f"got {m!r}"
        )
    return s, m


def maxent_distribution(scores, mu) -> MaxEnt:
    r"""The maximum-entropy distribution on ``n`` outcomes with expected score ``mu``.

    Among all ``p`` with :math:`\sum_i p_i = 1` and :math:`\sum_i p_i s_i = \mu`, the entropy
    :math:`-\sum_i p_i \log p_i` is largest for

    .. math:: p_i = \frac{e^{\beta s_i}}{\sum_j e^{\beta s_j}} = \operatorname{softmax}(\beta s)_i,

    with the one :math:`\beta` that meets the constraint (Jaynes, 1957). The expected score
    under ``softmax(beta * s)`` increases with ``beta`` (its derivative is the variance of
    the scores), so ``beta`` is found by bracketing and Brent's method; ``beta = 0`` (the
    uniform distribution) when ``mu`` is the plain mean of the scores, ``beta > 0`` above
    it. ``mu`` must lie strictly between ``min(scores)`` and ``max(scores)``.

    >>> r = maxent_distribution([0.0, 1.0, 2.0], 1.0)
    >>> bool(np.allclose(r.p, 1 / 3)) and abs(r.beta) < 1e-12
    True
    """
    from ..along_axis import softmax

    fname = "maxent_distribution"
    s, m = _scores_and_mu(scores, mu, fname)

    def gap(beta):
        return float(np.dot(softmax(beta * s), s)) - m

    if gap(0.0) == 0.0:
        return MaxEnt(softmax(0.0 * s), 0.0)
    # bracket the root: the mean score tends to max(s) as beta -> +inf and to min(s) as beta -> -inf
    sign = 1.0 if gap(0.0) < 0 else -1.0
    width = 1.0 / (s.max() - s.min())
    hi = sign * width
    while sign * gap(hi) < 0:
        hi *= 2.0
        if abs(hi) > 1e12:  # pragma: no cover - mu is strictly inside the range, so this is unreachable
            raise ValueError(f"{fname}: could not bracket beta for mu = {m!r}")
    lo, hi = sorted((hi / 2.0 if abs(hi) > width else 0.0, hi))
    beta = optimize.brentq(gap, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)
    return MaxEnt(softmax(beta * s), float(beta))


def maxent_numerical(scores, mu, x0=None) -> np.ndarray:
    r"""Maximise the entropy under the same constraints as :func:`maxent_distribution`,
    with a generic constrained optimiser (SciPy's SLSQP), knowing nothing about softmax.

    Minimises :math:`\sum_i p_i \log p_i` subject to :math:`\sum_i p_i = 1`,
    :math:`\sum_i p_i s_i = \mu` and :math:`0 \le p_i \le 1`, from ``x0`` (default: the
    uniform distribution, which need not satisfy the score constraint). Raises
    RuntimeError if the optimiser does not converge.
    """
    fname = "maxent_numerical"
    s, m = _scores_and_mu(scores, mu, fname)
    n = s.size
    start = np.full(n, 1.0 / n) if x0 is None else as_float_array(x0, fname, "x0").astype(np.float64)
    if start.shape != (n,):
        raise ValueError(f"{fname}: x0 must have shape ({n},), got {start.shape}")
    tiny = 1e-300

    def neg_entropy(p):
        return -float(np.sum(special.entr(p)))

    def neg_entropy_grad(p):
        return np.log(np.maximum(p, tiny)) + 1.0

    cons = [
        {"type": "eq", "fun": lambda p: np.sum(p) - 1.0, "jac": lambda p: np.ones(n)},
        {"type": "eq", "fun": lambda p: np.dot(p, s) - m, "jac": lambda p: s.copy()},
    ]
    res = optimize.minimize(neg_entropy, start, jac=neg_entropy_grad, method="SLSQP", bounds=[(0.0, 1.0)] * n,
                            constraints=cons, options={"ftol": 1e-15, "maxiter": 1000})
    if not res.success:
        raise RuntimeError(f"{fname}: SLSQP did not converge ({res.message})")
    return np.clip(res.x, 0.0, 1.0)


def random_feasible_distributions(scores, mu, size: int, rng=None, burn_in: int = 100) -> np.ndarray:
    r"""``size`` random distributions ``p`` with ``sum(p) = 1``, ``p @ scores = mu`` and ``p >= 0``.

    The distributions meeting both constraints form a convex polytope of dimension
    ``n - 2`` (so ``n >= 3`` outcomes are needed for it to hold more than one point). They
    are sampled by *hit-and-run*, a random walk whose long-run distribution is uniform on
    the polytope: from the current point, pick a random direction ``d`` that keeps both
    constraints (``sum(d) = 0``, ``d @ scores = 0``), find the segment of that line on which
    every probability stays non-negative, and jump to a uniformly random point of it. The
    walk starts at the maximum-entropy distribution, discards ``burn_in`` steps, and
    returns the next ``size`` points (consecutive points are correlated).

    Returns an array of shape ``(size, n)``.
    """
    fname = "random_feasible_distributions"
    s, m = _scores_and_mu(scores, mu, fname)
    if s.size < 3:
        raise ValueError(f"{fname}: with {s.size} outcomes the constraints leave a single distribution; need >= 3")
    size = _count(size, fname, "size")
    burn_in = _count(burn_in, fname, "burn_in")
    gen = _rng(rng, fname)
    p = maxent_distribution(s, m).p
    A = np.vstack([np.ones_like(s), s])
    _, _, vt = np.linalg.svd(A)
    null = vt[2:].T  # orthonormal basis of {d : sum d = 0, d @ s = 0}
    out = np.empty((size, s.size))
    for k in range(burn_in + size):
        d = null @ gen.standard_normal(null.shape[1])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = -p / d  # p + t d >= 0  <=>  t >= ratio where d > 0, t <= ratio where d < 0
        t_lo = np.max(ratio[d > 0], initial=-np.inf)
        t_hi = np.min(ratio[d < 0], initial=np.inf)
        p = np.maximum(p + gen.uniform(t_lo, t_hi) * d, 0.0)  # the max clears -1e-17 rounding
        p /= p.sum()
        if k >= burn_in:
            out[k - burn_in] = p
    return out


# --- likelihood of a classifier ----------------------------------------------------------

def gaussian_blobs(centers, n_per_class: int, std: float = 1.0, rng=None):
    """Seeded toy classification data: ``n_per_class`` Gaussian points around each centre.

    Parameters
    ----------
    centers : array_like of shape (k, d), one row per class
    n_per_class : positive int
    std : positive float, the standard deviation of every coordinate
    rng : seed, None or ``numpy.random.Generator``

    Returns
    -------
    X : ndarray (k * n_per_class, d);  y : int ndarray of class indices, class 0 first.
    """
    fname = "gaussian_blobs"
    c = as_float_array(centers, fname, "centers").astype(np.float64)
    if c.ndim != 2 or c.shape[0] < 1 or c.shape[1] < 1:
        raise ValueError(f"{fname}: centers must have shape (k, d), got {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{fname}: centers must be finite")
    n = _count(n_per_class, fname, "n_per_class")
    if n < 1:
        raise ValueError(f"{fname}: n_per_class must be >= 1, got {n}")
    sd = check_param(std, fname, "std", positive=True)
    gen = _rng(rng, fname)
    X = np.concatenate([ci + sd * gen.standard_normal((n, c.shape[1])) for ci in c])
    y = np.repeat(np.arange(c.shape[0]), n)
    return X, y


def _labels_for(y, n_rows: int, n_classes: int, fname: str) -> np.ndarray:
    arr = np.asarray(y)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{fname}: y must be integer class indices, got dtype {arr.dtype}")
    if arr.shape != (n_rows,):
        raise ValueError(f"{fname}: y must have shape ({n_rows},), got {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(f"{fname}: class indices must lie in 0..{n_classes - 1}")
    return arr.astype(np.int64)


def mean_log_likelihood(probs, y) -> float:
    r"""Average log-probability a model gives to the observed labels: :math:`\frac1N\sum_i \log q_{i, y_i}`.

    ``probs`` has shape ``(N, k)``, one predicted distribution per row; ``y`` holds the
    ``N`` observed class indices. This is the log of the likelihood of the whole data set
    (the product of the ``q_{i, y_i}``), divided by ``N``.
    """
    fname = "mean_log_likelihood"
    q = as_float_array(probs, fname, "probs").astype(np.float64)
    if q.ndim != 2 or q.shape[0] == 0:
        raise ValueError(f"{fname}: probs must have shape (N, k) with N >= 1, got {q.shape}")
    if np.any(~np.isfinite(q)) or np.any(q < 0) or np.any(q > 1):
        raise ValueError(f"{fname}: probs must be probabilities in [0, 1]")
    labels = _labels_for(y, q.shape[0], q.shape[1], fname)
    with np.errstate(divide="ignore"):
        return float(np.mean(np.log(q[np.arange(q.shape[0]), labels])))


class TrainingTrace(NamedTuple):
    """Per-step record of :func:`train_and_track` (both measured before each step)."""

    cross_entropy: np.ndarray
    log_likelihood: np.ndarray


def train_and_track(net, X, y, steps: int, lr: float) -> TrainingTrace:
    """Train ``net`` (an :class:`activations.nn.MLP` with logit outputs) by gradient descent on
    the mean cross-entropy, recording two numbers before every step:

    * ``cross_entropy``: the loss ``net.train_step(..., kind="cross_entropy")`` minimises;
    * ``log_likelihood``: :func:`mean_log_likelihood` of the labels under the softmax of the
      network's outputs, computed separately from probabilities.

    ``net`` is updated in place (that is the point); ``X`` and ``y`` are not modified.
    """
    from ..along_axis import softmax
    from ..nn import MLP

    fname = "train_and_track"
    if not isinstance(net, MLP):
        raise TypeError(f"{fname}: net must be an activations.nn.MLP, got {type(net).__name__}")
    Xa = as_float_array(X, fname, "X")
    if Xa.ndim != 2:
        raise ValueError(f"{fname}: X must have shape (N, d), got {Xa.shape}")
    n_classes = net.layers[-1].W.shape[1]
    labels = _labels_for(y, Xa.shape[0], n_classes, fname)
    steps = _count(steps, fname, "steps")
    lr = check_param(lr, fname, "lr", positive=True)
    ce = np.empty(steps)
    ll = np.empty(steps)
    for k in range(steps):
        ll[k] = mean_log_likelihood(softmax(net.forward(Xa), axis=-1), labels)
        ce[k] = net.train_step(Xa, labels, lr=lr, kind="cross_entropy")
    return TrainingTrace(ce, ll)


def central_difference_grad(f: Callable, x, h: float = 1e-6) -> np.ndarray:
    r"""Gradient of a scalar function ``f`` at ``x`` by central differences.

    .. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    The error is :math:`O(h^2)` from truncation plus :math:`O(\epsilon |f| / h)` from
    rounding; ``h = 1e-6`` balances both for values of order 1 (about 1e-10).
    ``f`` receives a fresh float64 array of ``x``'s shape every time.
    """
    fname = "central_difference_grad"
    if not callable(f):
        raise TypeError(f"{fname}: f must be callable, got {type(f).__name__}")
    x0 = as_float_array(x, fname, "x").astype(np.float64)
    if not np.all(np.isfinite(x0)):
        raise ValueError(f"{fname}: x must be finite")
    step = check_param(h, fname, "h", positive=True)
    grad = np.empty_like(x0)
    flat = grad.reshape(-1)
    for i in range(x0.size):
        e = np.zeros(x0.size)
        e[i] = step
        e = e.reshape(x0.shape)
        try:
            up, down = f(x0 + e), f(x0 - e)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{fname}: f failed near x ({exc})") from exc
        if np.ndim(up) != 0 or np.ndim(down) != 0:
            raise ValueError(f"{fname}: f must return a scalar")
        flat[i] = (float(up) - float(down)) / (2.0 * step)
    return grad
