//! NEST's activity window of stimulation devices: active on steps in (origin+start, origin+stop].

use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

/// The schema entries every stimulation device has.
pub const WINDOW_SPECS: [ParamSpec; 3] = [
    ParamSpec::param("origin", Unit::Millisecond, 0.0, "time origin of the device (ms)"),
    ParamSpec::param("start", Unit::Millisecond, 0.0, "activity starts after origin+start (ms)"),
    ParamSpec::param("stop", Unit::Millisecond, f64::MAX, "activity ends at origin+stop (ms)"),
];

/// Checks origin/start/stop of a row whose first three entries are WINDOW_SPECS, against `h`.
pub fn validate_window(row: &[f64]) -> Result<()> {
    let (origin, start, stop) = (row[0], row[1], row[2]);
    if stop < start {
        return Err(Error::bad_property(format!("stop ({stop} ms) must be >= start ({start} ms)")));
    }
    if !origin.is_finite() || !start.is_finite() {
        return Err(Error::bad_property(format!("origin and start must be finite, got {origin} and {start}")));
    }
    Ok(())
}

/// The window in steps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    /// origin+start in steps.
    pub t_min: i64,
    /// origin+stop in steps.
    pub t_max: i64,
    /// origin in steps.
    pub origin: i64,
}

impl Window {
    /// From origin/start/stop in ms.
    pub fn new(origin: f64, start: f64, stop: f64, h: f64) -> Result<Self> {
        let steps = |x: f64, what: &str| -> Result<i64> {
            let s = (x / h).round();
            if (s * h - x).abs() > 1e-9 * x.abs().max(1.0) {
                return Err(Error::bad_property(format!(
                    "{what} ({x} ms) must be a multiple of the resolution {h} ms"
                )));
            }
            Ok(s as i64)
        };
        let o = steps(origin, "origin")?;
        let t_min = o + steps(start, "start")?;
        let t_max = if stop >= 1e300 { i64::MAX / 2 } else { o + steps(stop, "stop")? };
        Ok(Window { t_min, t_max, origin: o })
    }
    /// Whether the device is active at `step`.
    #[inline]
    pub fn active(&self, step: i64) -> bool {
        self.t_min < step && step <= self.t_max
    }
}

/// The windows of every node of a table whose first three columns are [`WINDOW_SPECS`].
pub fn windows(t: &ParamTable, h: f64) -> Result<Vec<Window>> {
    (0..t.len()).map(|i| Window::new(t.get(0, i), t.get(1, i), t.get(2, i), h)).collect()
}
