"""``nest.raster_plot``: raster plots (and a rate histogram) of spike_recorder data, with matplotlib.

``from_device(spike_recorder, hist=True)`` is the usual call; ``from_data`` takes an array whose
columns are (sender, time); ``from_file`` reads NEST ASCII ``.dat`` files. Every function returns
the matplotlib axes it drew into.
"""

import numpy

__all__ = ["from_device", "from_data", "from_file", "extract_events"]


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def extract_events(data, time=None, sel=None):
    """Rows of `data` (columns sender, time) with time in [time[0], time[1]] and sender in `sel`."""
    data = numpy.asarray(data)
    keep = numpy.ones(len(data), dtype=bool)
    if time is not None:
        keep &= (data[:, 1] >= time[0]) & (data[:, 1] <= time[1])
    if sel is not None:
        keep &= numpy.isin(data[:, 0], list(sel))
    return data[keep]


def from_data(data, sel=None, **kwargs):
    """Raster plot of an array whose columns are (sender, time)."""
    data = numpy.asarray(data)
    if data.size == 0:
        raise ValueError("No data to plot.")
    if sel is not None:
        data = extract_events(data, sel=sel)
    return _make_plot(data[:, 1], data[:, 0], **kwargs)


def from_file(fname, **kwargs):
    """Raster plot of NEST ASCII recorder files (one name or a list, concatenated)."""
    names = [fname] if isinstance(fname, str) else list(fname)
    rows = []
    for name in names:
        with open(name) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and not line.startswith("#"):
                    try:
                        rows.append((float(parts[0]), float(parts[1])))
                    except ValueError:
                        continue  # the header line (sender time_ms)
    return from_data(numpy.array(rows), **kwargs)


def from_device(detec, **kwargs):
    """Raster plot of a spike_recorder's events: from memory, or from its files when it records
    to ``ascii`` (as PyNEST)."""
    if detec.get("model") != "spike_recorder" and detec.get("element_type") != "recorder":
        raise TypeError("Please provide a 'spike_recorder'.")
    backend = detec.get("record_to")
    if backend == "ascii":
        return from_file(detec.get("filenames"), **kwargs)
    if backend != "memory":
        raise ValueError("No data to plot. Make sure that 'record_to' is set to either 'ascii' or 'memory'.")
    ev = detec.get("events")
    times, senders = numpy.asarray(ev["times"]), numpy.asarray(ev["senders"])
    if not len(times):
        raise ValueError("No events recorded by 'spike_recorder'.")
    kwargs.setdefault("title", f"Raster plot from device '{detec.get('global_id')}'")
    kwargs.setdefault("xlabel", "Steps" if detec.get("time_in_steps") else "Time (ms)")
    return _make_plot(times, senders, **kwargs)


def _make_plot(times, senders, hist=True, hist_binwidth=5.0, grayscale=False, title=None, xlabel=None):
    plt = _pyplot()
    color = "0.2" if grayscale else "tab:blue"
    fig = plt.gcf()
    fig.clf()
    if hist:
        ax1 = fig.add_axes([0.1, 0.3, 0.85, 0.6])
        ax2 = fig.add_axes([0.1, 0.08, 0.85, 0.17], sharex=ax1)
    else:
        ax1, ax2 = fig.add_subplot(111), None
    ax1.plot(times, senders, ".", color=color, markersize=2)
    ax1.set_ylabel("Neuron ID")
    if title:
        ax1.set_title(title)
    axes = [ax1]
    if hist:
        t0, t1 = float(numpy.min(times)), float(numpy.max(times))
        edges = numpy.arange(t0, t1 + hist_binwidth, hist_binwidth)
        if len(edges) < 2:
            edges = numpy.array([t0, t0 + hist_binwidth])
        counts, _ = numpy.histogram(times, bins=edges)
        n_neurons = max(len(numpy.unique(senders)), 1)
        rate = counts * 1000.0 / (hist_binwidth * n_neurons)
        ax2.bar(edges[:-1], rate, width=hist_binwidth, align="edge", color="0.5" if grayscale else "tab:gray")
        ax2.set_ylabel("Rate (Hz)")
        ax2.set_xlabel(xlabel or "Time (ms)")
        plt.setp(ax1.get_xticklabels(), visible=False)
        axes.append(ax2)
    else:
        ax1.set_xlabel(xlabel or "Time (ms)")
    return axes
