"""activations: the library behind the executable textbook on activation functions.

Every function the book uses lives here once; chapters import it::

    import activations as act
    act.gelu(x), act.gelu_grad(x), act.softmax(z, temperature=0.5)
    act.registry.get("gelu")      # formula, properties, PyTorch name
    act.nn.MLP([2, 16, 1], activation="tanh")

Names follow ``torch.nn.functional``; every elementwise function ``f`` has its
derivative ``f_grad`` beside it.
"""
from __future__ import annotations

from . import experiments, nn, registry, style, widgets
from .along_axis import *  # noqa: F401,F403
from .along_axis import __all__ as _axis_all
from .elementwise import *  # noqa: F401,F403
from .elementwise import __all__ as _elementwise_all
from .information import *  # noqa: F401,F403
from .information import __all__ as _information_all
from .linearity import *  # noqa: F401,F403
from .linearity import __all__ as _linearity_all

__version__ = "0.1.0"

__all__ = [*_elementwise_all, *_axis_all, *_information_all, *_linearity_all,
           "experiments", "nn", "registry", "style", "widgets"]
