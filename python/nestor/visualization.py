"""``nest.visualization``: network drawing (``plot_network``) needs pydot; not available in nestor."""

from .errors import NESTErrors


def plot_network(*args, **kwargs):
    raise NESTErrors.NotImplemented("nest.visualization.plot_network is not available in nestor")
