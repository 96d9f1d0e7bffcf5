"""``nest.math``: functions of parameters (``redraw``, ``exp``, ``sin``, ``cos``, ``min``, ``max``)."""

from ._types import Parameter, _expr

__all__ = ["exp", "sin", "cos", "min", "max", "redraw"]


def redraw(value, min=float("-inf"), max=float("inf")):
    """`value` drawn again until it lies in [min, max]."""
    if not isinstance(value, Parameter):
        raise TypeError("redraw: the value must be a Parameter")
    spec = value._to_kernel()
    if not isinstance(spec, dict) or "distribution" not in spec:
        raise TypeError("redraw: the value must be a random parameter")
    spec = dict(spec)
    spec["redraw_min"] = float(min)
    spec["redraw_max"] = float(max)
    return Parameter(spec)


def exp(x):
    return _expr("exp", x)


def sin(x):
    return _expr("sin", x)


def cos(x):
    return _expr("cos", x)


def min(x, value):
    return _expr("min", x, value)


def max(x, value):
    return _expr("max", x, value)
