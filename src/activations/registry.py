r"""A declarative registry of the elementwise activations and their properties.

One frozen :class:`Activation` record per function of
:mod:`activations.elementwise`, holding the function and its derivative, the
formula in LaTeX, the parameters, the PyTorch name, a family, the chapter of
the book that teaches it, and its mathematical properties.  Chapters render
their comparison tables from :func:`table`; ``tests/test_registry.py`` checks
every property of every record numerically, so the tables cannot drift from
the code.

Properties describe the function **with the parameters in** ``params`` (the
defaults; for parameters PyTorch requires, the representative value stated in
``note``).  Their exact meaning:

``output_range``
    The image of the real line as an :class:`OutputRange` ``(lo, hi)`` with
    ``lo_attained`` / ``hi_attained`` telling whether the end is reached at a
    finite x (a closed end) or only approached as x → ±∞ (an open end).
    Infinite ends are never attained.  Gaps inside the range (the image of
    ``hardshrink`` misses (−λ, 0) ∪ (0, λ)) are not represented.
``monotonic``
    ``"increasing"``: x < y ⇒ f(x) < f(y).  ``"non-decreasing"``: x < y ⇒
    f(x) ≤ f(y) and f is constant on some interval.  ``False``: neither (no
    activation here is decreasing).
``continuous``
    f is continuous on the real line.  ``jumps`` counts its discontinuities.
``kinks``
    Number of points where f is continuous but f' jumps (0 for C¹ functions).
``smooth``
    f is C^∞ (infinitely differentiable) everywhere.  ELU (alpha = 1), CELU and
    softsign are C¹ but not C², so they have no kinks yet are not smooth.
``zero_centred``
    f(0) = 0 and f takes both signs: outputs can average to zero.
``bounded_above`` / ``bounded_below``
    ``hi`` / ``lo`` of the output range is finite.
``scale_equivariant``
    f(αx) = α·f(x) for every α > 0 and every x (positive homogeneity).

Families (``FAMILIES``) group functions by shape:

* ``linear``: the identity.
* ``threshold``: discontinuous; constant or the identity between the jumps.
* ``sigmoid-like``: bounded, non-decreasing, S-shaped and point-symmetric
  about (0, f(0)).
* ``relu-like``: piecewise linear with a kink at 0; the identity for 0 < x < 6.
* ``exponential-linear``: linear for x > 0, an exponential approach to a
  finite floor for x ≤ 0.
* ``smooth-relu``: C^∞ and asymptotic to a one-kink piecewise-linear function
  (ReLU or min(x, 0)) as x → ±∞.
* ``shrinkage``: odd, |f(x)| ≤ |x|, f(x) − x bounded: pulls inputs toward 0.

Axis-wise functions (softmax and friends) are not elementwise and live in
their own module; they are not in this registry.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping

from . import elementwise as _E

__all__ = ["Activation", "OutputRange", "REGISTRY", "FAMILIES", "CHAPTERS", "PARAM_SYMBOLS",
           "ROW_KEYS", "get", "table", "names"]

INF = math.inf

FAMILIES = MappingProxyType({
    "linear": "the identity",
    "threshold": "discontinuous; constant or the identity between the jumps",
    "sigmoid-like": "bounded, non-decreasing, S-shaped, point-symmetric about (0, f(0))",
    "relu-like": "piecewise linear with a kink at 0; the identity for 0 < x < 6",
    "exponential-linear": "linear for x > 0, exponential approach to a floor for x <= 0",
    "smooth-relu": "C-infinity and asymptotic to ReLU (or min(x, 0)) as x -> +-inf",
    "shrinkage": "odd, |f(x)| <= |x|, f(x) - x bounded: pulls inputs toward 0",
})

CHAPTERS = MappingProxyType({
    1: "Linearity and the step function",
    3: "Sigmoid and tanh",
    4: "The ReLU family",
})

#: The symbol each parameter has in the LaTeX formulas.
PARAM_SYMBOLS = MappingProxyType({
    "threshold": r"\theta", "value": "v", "negative_slope": r"\alpha", "weight": "a",
    "lower": "l", "upper": "u", "alpha": r"\alpha", "beta": r"\beta", "min_val": "a",
    "max_val": "b", "lambd": r"\lambda", "approximate": r"\tanh", "training": r"\mathcal{U}",
})


@dataclass(frozen=True)
class OutputRange:
    """The image of the real line: ends ``lo``/``hi`` and whether each is attained."""
    lo: float
    hi: float
    lo_attained: bool
    hi_attained: bool

    def __post_init__(self):
        if not self.lo < self.hi:
            raise ValueError(f"OutputRange: need lo < hi, got {self.lo}, {self.hi}")
        if (self.lo_attained and math.isinf(self.lo)) or (self.hi_attained and math.isinf(self.hi)):
            raise ValueError("OutputRange: an infinite end cannot be attained")

    @staticmethod
    def _fmt(v, latex):
        if math.isinf(v):
            return ("-" if v < 0 else "") + (r"\infty" if latex else "∞")
        text = f"{v:.6g}"
        return text

    def __str__(self):
        return (("[" if self.lo_attained else "(") + self._fmt(self.lo, False) + ", "
                + self._fmt(self.hi, False) + ("]" if self.hi_attained else ")"))

    def latex(self) -> str:
        return (("[" if self.lo_attained else "(") + self._fmt(self.lo, True) + ", "
                + self._fmt(self.hi, True) + ("]" if self.hi_attained else ")"))


@dataclass(frozen=True)
class Activation:
    """Everything the book states about one elementwise activation (see the module docstring)."""
    name: str
    fn: Callable
    grad: Callable
    latex: str
    params: Mapping[str, object] = field(hash=False)
    torch: str | None
    family: str
    chapter: int
    output_range: OutputRange
    monotonic: str | bool
    continuous: bool
    jumps: int
    kinks: int
    smooth: bool
    zero_centred: bool
    bounded_above: bool
    bounded_below: bool
    scale_equivariant: bool
    note: str = ""

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        if self.family not in FAMILIES:
            raise ValueError(f"{self.name}: unknown family {self.family!r}")
        if self.chapter not in CHAPTERS:
            raise ValueError(f"{self.name}: unknown chapter {self.chapter!r}")
        if self.monotonic not in ("increasing", "non-decreasing", False):
            raise ValueError(f"{self.name}: monotonic must be 'increasing', 'non-decreasing' or False")

    def __call__(self, x):
        """f(x) with the record's parameters."""
        return self.fn(x, **self.params)

    def derivative(self, x):
        """f'(x) with the record's parameters."""
        return self.grad(x, **self.params)

    def as_row(self) -> dict:
        """A flat dict for tables (see :func:`table`)."""
        return {
            "name": self.name,
            "formula": self.latex,
            "params": dict(self.params),
            "torch": self.torch,
            "family": self.family,
            "chapter": self.chapter,
            "range": str(self.output_range),
            "range_latex": self.output_range.latex(),
            "monotonic": self.monotonic,
            "continuous": self.continuous,
            "jumps": self.jumps,
            "kinks": self.kinks,
            "smooth": self.smooth,
            "zero_centred": self.zero_centred,
            "bounded_above": self.bounded_above,
            "bounded_below": self.bounded_below,
            "scale_equivariant": self.scale_equivariant,
            "note": self.note,
        }


def _rec(name, latex, params, family, chapter, rng, monotonic, *, torch="default", continuous=True,
         jumps=0, kinks=0, smooth=False, zero_centred, scale_equivariant=False, note=""):
    return Activation(
        name=name, fn=getattr(_E, name), grad=getattr(_E, name + "_grad"), latex=latex,
        params=params,
        torch=f"torch.nn.functional.{name}" if torch == "default" else torch,
        family=family, chapter=chapter, output_range=OutputRange(*rng), monotonic=monotonic,
        continuous=continuous, jumps=jumps, kinks=kinks, smooth=smooth,
        zero_centred=zero_centred, bounded_above=math.isfinite(rng[1]),
        bounded_below=math.isfinite(rng[0]), scale_equivariant=scale_equivariant, note=note)


_SA = _E._SELU_SCALE_ALPHA  # selu(x) -> -scale·alpha as x -> -inf

_RECORDS = [
    # Chapter 1
    _rec("identity", r"f(x) = x", {}, "linear", 1, (-INF, INF, False, False), "increasing",
         torch=None, smooth=True, zero_centred=True, scale_equivariant=True,
         note="PyTorch has the module torch.nn.Identity but no functional form."),
    _rec("step", r"f(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}",
         {"threshold": 0.0}, "threshold", 1, (0.0, 1.0, True, True), "non-decreasing",
         torch=None, continuous=False, jumps=1, zero_centred=False,
         note="PyTorch: torch.heaviside(x - threshold, 0); there is no torch.nn.functional.step."),
    # Chapter 3
    _rec("sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}", {}, "sigmoid-like", 3,
         (0.0, 1.0, False, False), "increasing", smooth=True, zero_centred=False),
    _rec("tanh", r"\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", {}, "sigmoid-like", 3,
         (-1.0, 1.0, False, False), "increasing", smooth=True, zero_centred=True),
    _rec("softsign", r"f(x) = \frac{x}{1 + |x|}", {}, "sigmoid-like", 3,
         (-1.0, 1.0, False, False), "increasing", zero_centred=True,
         note="C1 but not C2: f'' jumps from 2 to -2 at 0."),
    _rec("hardtanh", r"f(x) = \min(\max(x, a), b)", {"min_val": -1.0, "max_val": 1.0},
         "sigmoid-like", 3, (-1.0, 1.0, True, True), "non-decreasing", kinks=2,
         zero_centred=True),
    _rec("logsigmoid", r"f(x) = \log \sigma(x) = -\log(1 + e^{-x})", {}, "smooth-relu", 3,
         (-INF, 0.0, False, False), "increasing", smooth=True, zero_centred=False),
    _rec("tanhshrink", r"f(x) = x - \tanh x", {}, "shrinkage", 3, (-INF, INF, False, False),
         "increasing", smooth=True, zero_centred=True),
    # Chapter 4
    _rec("relu", r"f(x) = \max(x, 0)", {}, "relu-like", 4, (0.0, INF, True, False),
         "non-decreasing", kinks=1, zero_centred=False, scale_equivariant=True),
    _rec("relu6", r"f(x) = \min(\max(x, 0), 6)", {}, "relu-like", 4, (0.0, 6.0, True, True),
         "non-decreasing", kinks=2, zero_centred=False),
    _rec("leaky_relu", r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
         {"negative_slope": 0.01}, "relu-like", 4, (-INF, INF, False, False), "increasing",
         kinks=1, zero_centred=True, scale_equivariant=True),
    _rec("prelu", r"f(x) = \max(x, 0) + a \min(x, 0)", {"weight": 0.25}, "relu-like", 4,
         (-INF, INF, False, False), "increasing", kinks=1, zero_centred=True,
         scale_equivariant=True,
         note="weight is learned (PyTorch requires it); 0.25 is nn.PReLU's initial value."),
    _rec("rrelu", r"f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases},"
                  r"\ a \sim \mathcal{U}(l, u) \text{ (training)},\ a = \tfrac{l + u}{2} \text{ (eval)}",
         {"lower": 1.0 / 8.0, "upper": 1.0 / 3.0, "training": False}, "relu-like", 4,
         (-INF, INF, False, False), "increasing", kinks=1, zero_centred=True,
         scale_equivariant=True, note="Properties are for evaluation mode (slope 11/48)."),
    _rec("elu", r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
         {"alpha": 1.0}, "exponential-linear", 4, (-1.0, INF, False, False), "increasing",
         zero_centred=True, note="C1 but not C2 for alpha = 1; a kink for any other alpha."),
    _rec("celu", r"f(x) = \max(x, 0) + \min\big(0, \alpha (e^{x/\alpha} - 1)\big)",
         {"alpha": 1.0}, "exponential-linear", 4, (-1.0, INF, False, False), "increasing",
         zero_centred=True, note="C1 but not C2 for every alpha > 0."),
    _rec("selu", r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases},"
                 r"\ \lambda \approx 1.0507,\ \alpha \approx 1.6733",
         {}, "exponential-linear", 4, (-_SA, INF, False, False), "increasing", kinks=1,
         zero_centred=True),
    _rec("gelu", r"f(x) = x\,\Phi(x) = \tfrac{x}{2}\big(1 + \operatorname{erf}(x/\sqrt{2})\big)"
                 r"\quad\text{or, approximate='tanh': }"
                 r"\tfrac{x}{2}\big(1 + \tanh\big(\sqrt{2/\pi}\,(x + 0.044715\,x^{3})\big)\big)",
         {"approximate": "none"}, "smooth-relu", 4, (-0.16997120747990366, INF, True, False),
         False, smooth=True, zero_centred=True,
         note="Minimum at x = -0.75179; properties are for the exact form."),
    _rec("silu", r"f(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}", {}, "smooth-relu", 4,
         (-0.2784645427610738, INF, True, False), False, smooth=True, zero_centred=True,
         note="Minimum at x = -1.27846 (where f(x) = x + 1)."),
    _rec("mish", r"f(x) = x \tanh\big(\log(1 + e^{x})\big)", {}, "smooth-relu", 4,
         (-0.30884341301725043, INF, True, False), False, smooth=True, zero_centred=True,
         note="Minimum at x = -1.19243."),
    _rec("softplus", r"f(x) = \tfrac{1}{\beta} \log(1 + e^{\beta x})", {"beta": 1.0},
         "smooth-relu", 4, (0.0, INF, False, False), "increasing", smooth=True,
         zero_centred=False, note="Exact for all x: no linear cut-off as PyTorch's threshold=20."),
    _rec("threshold", r"f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
         {"threshold": 1.0, "value": 0.0}, "threshold", 4, (0.0, INF, True, False),
         "non-decreasing", continuous=False, jumps=1, zero_centred=False,
         note="PyTorch requires threshold and value; properties are for theta = 1, v = 0."),
    _rec("softshrink", r"f(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda"
                       r" \\ 0 & \text{otherwise} \end{cases}",
         {"lambd": 0.5}, "shrinkage", 4, (-INF, INF, False, False), "non-decreasing", kinks=2,
         zero_centred=True),
    _rec("hardshrink", r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
         {"lambd": 0.5}, "shrinkage", 4, (-INF, INF, False, False), "non-decreasing",
         continuous=False, jumps=2, zero_centred=True),
]

#: name -> Activation, in book order (chapter, then the order the chapter introduces them).
REGISTRY: Mapping[str, Activation] = MappingProxyType({r.name: r for r in _RECORDS})

#: The keys of every row :func:`table` returns.
ROW_KEYS = tuple(_RECORDS[0].as_row())


def names(chapter: int | None = None, family: str | None = None) -> list[str]:
    """Names of the registered activations, optionally only one chapter's or family's."""
    return [r.name for r in REGISTRY.values()
            if (chapter is None or r.chapter == chapter) and (family is None or r.family == family)]


def get(name: str) -> Activation:
    """The record for ``name``; ``KeyError`` with suggestions if there is none."""
    try:
        return REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(str(name), list(REGISTRY), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"get: no elementwise activation named {name!r}{hint}") from None


def table(chapter: int | None = None, family: str | None = None,
          columns: list[str] | None = None) -> list[dict]:
    """Rows (dicts) describing the activations, ready for a chapter to render.

    Each row has the keys of :meth:`Activation.as_row` (or only ``columns``):
    name, formula (LaTeX), params, torch, family, chapter, range (text, e.g.
    ``"[0, ∞)"``), range_latex, monotonic, continuous, jumps, kinks, smooth,
    zero_centred, bounded_above, bounded_below, scale_equivariant, note.
    """
    if columns is not None:
        unknown = [c for c in columns if c not in ROW_KEYS]
        if unknown:
            raise ValueError(f"table: unknown columns {unknown}; choose from {list(ROW_KEYS)}")
    rows = [REGISTRY[n].as_row() for n in names(chapter, family)]
    if columns is not None:
        rows = [{c: row[c] for c in columns} for row in rows]
    return rows
