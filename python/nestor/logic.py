"""``nest.logic``: ``conditional(condition, if_true, if_false)`` on parameters."""

from ._types import Parameter, _expr

__all__ = ["conditional"]


def conditional(condition, param_if_true, param_if_false):
    """`param_if_true` where `condition` (a comparison of parameters) holds, else `param_if_false`."""
    if not isinstance(condition, Parameter):
        raise TypeError("conditional: the condition must be a comparison of Parameters")
    return _expr("conditional", condition, param_if_true, param_if_false)
