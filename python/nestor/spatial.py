"""``nest.spatial``: spatial networks are not available in nestor yet (issue #18).

Any use raises ``NESTErrors.NotImplemented`` naming what was asked for.
"""

from .errors import NESTErrors


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NESTErrors.NotImplemented(f"nest.spatial.{name}: spatial networks are not available in nestor yet")
