"""``nest.random``: parameters drawn per node or per connection from the kernel's random streams.

NEST's names and arguments; the values come from nestor's streams (keyed by node or connection),
so they are reproducible for a seed and thread count but not NEST's numbers.
"""

from ._types import Parameter

__all__ = ["uniform", "uniform_int", "normal", "lognormal", "exponential"]


def uniform(min=0.0, max=1.0):
    """Uniform on [min, max)."""
    return Parameter({"distribution": "uniform", "min": float(min), "max": float(max)})


def uniform_int(max):
    """Uniform integers 0, 1, …, max − 1."""
    return Parameter({"distribution": "uniform_int", "max": int(max)})


def normal(mean=0.0, std=1.0):
    """Normal with `mean` and standard deviation `std`."""
    return Parameter({"distribution": "normal", "mean": float(mean), "std": float(std)})


def lognormal(mean=0.0, std=1.0):
    """exp(X) with X normal(mean, std)."""
    return Parameter({"distribution": "lognormal", "mean": float(mean), "std": float(std)})


def exponential(beta=1.0):
    """Exponential with scale (mean) `beta`."""
    return Parameter({"distribution": "exponential", "beta": float(beta)})
