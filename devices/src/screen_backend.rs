//! The `screen` recording backend: NEST's events printed to standard output.
//!
//! Each event a recorder writing to it (`record_to: "screen"`) receives becomes one line on
//! stdout, in NEST 3.10's format: sender, time in ms (or step and offset with `time_in_steps`),
//! then the recorded values, tab-separated, floating-point numbers in fixed notation with the
//! recorder's `precision` decimals (default 3) — the same lines as the `ascii` backend's files,
//! without a header. Nothing is kept in memory (`n_events` still counts). nestor hands events
//! to backends at the end of each min-delay slice, sorted by sender and time within the slice,
//! so lines come in that order where NEST prints them as they are delivered.

use crate::ascii_backend::{event_line, int_columns, precision};
use nestor_kernel::record::{Batch, RecorderInfo, RecordingBackend};
use nestor_kernel::{Dict, Error, ErrorKind, Result, Value};
use std::collections::BTreeMap;
use std::io::Write;

struct Screen {
    precision: usize,
    in_steps: bool,
    int_col: Vec<bool>,
}

/// The screen backend (see the module documentation).
#[derive(Default)]
pub struct ScreenBackend {
    devices: BTreeMap<u32, Screen>,
    line: String,
}

impl ScreenBackend {
    /// A backend with no recorder enrolled.
    pub fn new() -> Self {
        Self::default()
    }
}

impl RecordingBackend for ScreenBackend {
    fn name(&self) -> &'static str {
        "screen"
    }

    fn recorder_params(&self) -> Dict {
        let mut d = Dict::new();
        d.insert("precision".into(), Value::Int(3));
        d
    }

    fn enroll(&mut self, info: &RecorderInfo) -> Result<()> {
        let s = Screen {
            precision: precision(info)?,
            in_steps: info.time_in_steps,
            int_col: int_columns(&info.record_from),
        };
        self.devices.insert(info.gid, s);
        Ok(())
    }

    fn write(&mut self, gid: u32, batch: &Batch, resolution: f64) -> Result<()> {
        let Some(d) = self.devices.get(&gid) else {
            return Err(Error::new(
                ErrorKind::IoError,
                format!("recorder {gid} is not enrolled in the screen backend"),
            ));
        };
        let out = std::io::stdout();
        let mut out = out.lock();
        for i in 0..batch.len() {
            event_line(&mut self.line, batch, i, resolution, d.precision, d.in_steps, &d.int_col);
            out.write_all(self.line.as_bytes())
                .map_err(|e| Error::new(ErrorKind::IoError, format!("screen backend: cannot write to stdout: {e}")))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        std::io::stdout()
            .flush()
            .map_err(|e| Error::new(ErrorKind::IoError, format!("screen backend: cannot write to stdout: {e}")))
    }

    fn close(&mut self) -> Result<()> {
        let r = self.flush();
        self.devices.clear();
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_follow_nest_screen_format() {
        // Oracle: NEST 3.10's RecordingBackendScreen writes "sender\ttime" with std::fixed and
        // the recorder's precision, then "\tvalue" per recorded double.
        let b = Batch { senders: vec![3, 4], steps: vec![12, 15], values: vec![vec![-70.0, -65.123456]] };
        let mut line = String::new();
        event_line(&mut line, &b, 1, 0.1, 3, false, &[false]);
        assert_eq!(line, "4\t1.500\t-65.123\n");
        event_line(&mut line, &b, 0, 0.1, 2, true, &[false]);
        assert_eq!(line, "3\t12\t0.00\t-70.00\n");
    }
}
