"""``nest.voltage_trace``: membrane potential traces of voltmeter (or multimeter) data, with matplotlib.

``from_device(voltmeter)`` draws one line per recorded neuron (or those in `neurons`);
``from_file`` reads NEST ASCII ``.dat`` files (columns sender, time, V_m). Both return the lines.
"""

import numpy

__all__ = ["from_device", "from_file"]


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _plot(senders, times, values, neurons=None, title=None, grayscale=False, timeunit="ms", ylabel="Membrane potential (mV)"):
    plt = _pyplot()
    senders, times, values = numpy.asarray(senders), numpy.asarray(times), numpy.asarray(values)
    if timeunit == "s":
        times = times / 1000.0
    ids = numpy.unique(senders) if neurons is None else [int(getattr(n, "global_id", n)) for n in neurons]
    lines = []
    for k, i in enumerate(ids):
        sel = senders == i
        kw = {"color": str(0.8 * k / max(len(ids), 1))} if grayscale else {}
        lines.append(plt.plot(times[sel], values[sel], label=f"Neuron {i}", **kw)[0])
    plt.xlabel(f"Time ({timeunit})")
    plt.ylabel(ylabel)
    plt.title(title if title is not None else "Membrane potential")
    if len(ids) > 1:
        plt.legend(loc="best")
    plt.draw()
    return lines


def from_device(detec, neurons=None, title=None, grayscale=False, timeunit="ms"):
    """Membrane potential over time from a voltmeter (memory backend)."""
    if detec.get("record_to") != "memory":
        raise ValueError("No data to plot. Make sure that 'record_to' is set to 'memory'.")
    ev = detec.get("events")
    if "V_m" not in ev:
        raise ValueError("the device did not record V_m")
    if not len(ev["times"]):
        raise ValueError("No events recorded!")
    if title is None:
        title = f"Membrane potential from device '{detec.get('global_id')}'"
    if detec.get("time_in_steps"):
        timeunit = "steps"
    return _plot(ev["senders"], ev["times"], ev["V_m"], neurons, title, grayscale, timeunit)


def from_file(fname, title=None, grayscale=False):
    """Membrane potential traces from NEST ASCII voltmeter files (one name or a list)."""
    names = [fname] if isinstance(fname, str) else list(fname)
    rows = []
    for name in names:
        with open(name) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and not line.startswith("#"):
                    try:
                        rows.append(tuple(float(x) for x in parts[:3]))
                    except ValueError:
                        continue
    data = numpy.array(rows)
    if data.size == 0:
        raise ValueError("No data to plot.")
    return _plot(data[:, 0], data[:, 1], data[:, 2], title=title, grayscale=grayscale)
