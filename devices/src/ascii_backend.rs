//! The `ascii` recording backend: NEST's tab-separated text files.
//!
//! Each recorder writing to it (`record_to: "ascii"`) gets one file,
//! `{data_path}/{data_prefix}{label or model}-{gid}-{vp}.{file_extension}`, with NEST 3.10's
//! layout: two comment lines (`# NEST version: 3.10.0 …`, `# RecordingBackendASCII version: 2`),
//! a header line (`sender`, `time_ms` — or `time_step` and `time_offset` with `time_in_steps` —
//! then the recorded variables) and one tab-separated line per event, in the order events
//! reach the recorder. Floating-point values are written in fixed notation with `precision`
//! decimals (NEST's default 3; 17 keeps every bit); ids and the integer columns of a
//! weight_recorder (`targets`, `receptors`, `ports`) as integers.
//!
//! nestor presents one virtual process (nodes report `vp` 0), so `{vp}` is always 0 and a
//! recorder has one file where NEST with several virtual processes writes one per process.
//! As in NEST, a file is opened when a run starts (Simulate, or Prepare before a series of Run
//! calls) and closed when it ends (Cleanup): a file that exists — also one written by the
//! previous Simulate — is an error unless the kernel's `overwrite_files` is true, and with it
//! every Simulate starts the file anew. Recorder properties of this backend: `precision` (int ≥ 0) and `file_extension`
//! (default `dat`); the path appears in the recorder's `filenames`.

use nestor_kernel::kernel::step_to_ms;
use nestor_kernel::record::{Batch, RecorderInfo, RecordingBackend};
use nestor_kernel::{Dict, Error, ErrorKind, Result, Value};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

struct Out {
    path: PathBuf,
    file: BufWriter<File>,
    precision: usize,
    in_steps: bool,
    /// Per recorded column: written as an integer.
    int_col: Vec<bool>,
    /// One line, reused.
    line: String,
    /// Closed at the end of a run (the next enroll opens the file anew).
    closed: bool,
}

/// The ascii backend (see the module documentation).
#[derive(Default)]
pub struct AsciiBackend {
    files: BTreeMap<u32, Out>,
}

impl AsciiBackend {
    /// A backend with no file open.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Event `i` of `batch` as one line of NEST's text backends (ascii file, screen) into `line`:
/// sender, the time (ms, or step and offset with `in_steps`), the recorded values, tab-separated,
/// floating-point numbers in fixed notation with `precision` decimals, `int_col` columns as
/// integers, then a newline.
pub(crate) fn event_line(
    line: &mut String,
    batch: &Batch,
    i: usize,
    resolution: f64,
    precision: usize,
    in_steps: bool,
    int_col: &[bool],
) {
    use std::fmt::Write as _;
    let p = precision;
    let (s, step) = (batch.senders[i], batch.steps[i]);
    line.clear();
    // Writing into a String cannot fail.
    let _ = if in_steps {
        // Grid-based events: the offset within the step is 0.
        write!(line, "{s}\t{step}\t{:.p$}", 0.0)
    } else {
        write!(line, "{s}\t{:.p$}", step_to_ms(step, resolution))
    };
    for (col, &int) in batch.values.iter().zip(int_col) {
        let x = col.get(i).copied().unwrap_or(f64::NAN);
        let _ = if int { write!(line, "\t{}", x as i64) } else { write!(line, "\t{x:.p$}") };
    }
    line.push('\n');
}

/// NEST's integer-valued recorded columns (weight_recorder ids and ports, spin states).
pub(crate) fn int_columns(record_from: &[String]) -> Vec<bool> {
    record_from.iter().map(|c| matches!(c.as_str(), "targets" | "receptors" | "ports" | "state")).collect()
}

/// A recorder's `precision` (NEST's default 3).
pub(crate) fn precision(info: &RecorderInfo) -> Result<usize> {
    match info.params.get("precision") {
        Some(Value::Int(p)) if (0..=64).contains(p) => Ok(*p as usize),
        None => Ok(3),
        Some(v) => Err(Error::bad_property(format!(
            "precision of recorder {} must be an integer from 0 to 64, got {v:?}",
            info.gid
        ))),
    }
}

fn io(path: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::IoError, format!("ascii backend: {what} '{}': {e}", path.display()))
}

fn param_str<'a>(p: &'a Dict, key: &str, default: &'a str) -> &'a str {
    match p.get(key) {
        Some(Value::Str(s)) => s,
        _ => default,
    }
}

/// The directory and file of a recorder: NEST's `data_path/data_prefix` + label (or model) +
/// `-gid-vp.file_extension`.
fn paths(info: &RecorderInfo) -> (PathBuf, PathBuf) {
    let ext = param_str(&info.params, "file_extension", "dat");
    let name = if info.label.is_empty() { info.model.as_str() } else { info.label.as_str() };
    let dir = if info.data_path.is_empty() { PathBuf::from(".") } else { PathBuf::from(&info.data_path) };
    let path = dir.join(format!("{}{name}-{}-0.{ext}", info.data_prefix, info.gid));
    (dir, path)
}

impl RecordingBackend for AsciiBackend {
    fn name(&self) -> &'static str {
        "ascii"
    }

    fn recorder_params(&self) -> Dict {
        let mut d = Dict::new();
        d.insert("precision".into(), Value::Int(3));
        d.insert("file_extension".into(), Value::Str("dat".into()));
        d
    }

    fn enroll(&mut self, info: &RecorderInfo) -> Result<()> {
        let precision = precision(info)?;
        let (dir, path) = paths(info);
        if let Some(o) = self.files.get(&info.gid) {
            if o.path == path && !o.closed {
                // Enrolled for an earlier Run of this series: keep appending.
                return Ok(());
            }
        }
        if let Some(mut old) = self.files.remove(&info.gid) {
            old.file.flush().map_err(|e| io(&old.path, "cannot write", e))?;
        }
        if !dir.is_dir() {
            return Err(io(&path, "cannot create", format!("directory '{}' does not exist", dir.display())));
        }
        if path.exists() && !info.overwrite_files {
            return Err(Error::new(
                ErrorKind::IoError,
                format!(
                    "ascii backend: the file '{}' exists and will not be overwritten; set the kernel status overwrite_files to true or choose another data_path/data_prefix/label",
                    path.display()
                ),
            ));
        }
        let f = File::create(&path).map_err(|e| io(&path, "cannot create", e))?;
        let mut file = BufWriter::new(f);
        let mut head = format!(
            "# NEST version: 3.10.0 (nestor {})\n# RecordingBackendASCII version: 2\nsender\t",
            nestor_kernel::kernel::VERSION
        );
        head.push_str(if info.time_in_steps { "time_step\ttime_offset" } else { "time_ms" });
        for v in &info.record_from {
            head.push('\t');
            head.push_str(v);
        }
        head.push('\n');
        file.write_all(head.as_bytes()).map_err(|e| io(&path, "cannot write", e))?;
        let int_col = int_columns(&info.record_from);
        self.files.insert(
            info.gid,
            Out { path, file, precision, in_steps: info.time_in_steps, int_col, line: String::new(), closed: false },
        );
        Ok(())
    }

    fn write(&mut self, gid: u32, batch: &Batch, resolution: f64) -> Result<()> {
        let o = self.files.get_mut(&gid).ok_or_else(|| {
            Error::new(ErrorKind::IoError, format!("recorder {gid} is not enrolled in the ascii backend"))
        })?;
        for i in 0..batch.len() {
            event_line(&mut o.line, batch, i, resolution, o.precision, o.in_steps, &o.int_col);
            o.file.write_all(o.line.as_bytes()).map_err(|e| io(&o.path, "cannot write", e))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        for o in self.files.values_mut() {
            o.file.flush().map_err(|e| io(&o.path, "cannot write", e))?;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        let r = self.flush();
        self.files.clear();
        r
    }

    fn cleanup(&mut self) -> Result<()> {
        // NEST opens the files at every Prepare and closes them at Cleanup: the next Simulate
        // starts them anew (or refuses, without overwrite_files). The paths stay for `filenames`.
        let r = self.flush();
        for o in self.files.values_mut() {
            o.closed = true;
        }
        r
    }

    fn location(&self, gid: u32) -> Option<String> {
        self.files.get(&gid).map(|o| o.path.display().to_string())
    }

    fn planned_location(&self, info: &RecorderInfo) -> Option<String> {
        Some(paths(info).1.display().to_string())
    }
}
