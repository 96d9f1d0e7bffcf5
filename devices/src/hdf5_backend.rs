//! The `hdf5` recording backend.
//!
//! Layout (readable with h5py): one file per kernel, `{data_path}/{data_prefix}nestor.h5`
//! (data_path defaults to the working directory). One group per recorder, named by its `label`
//! or `{model}-{gid}`. In each group: `senders` (int64), `times` (float64, ms) and one float64
//! dataset per recorded variable, all 1-D of equal length, chunked, deflate-compressed and
//! appended in chunks, so memory stays bounded on long runs. Attributes: on the file
//! `nestor_version`; on each group `model`, `global_id`, `label`, `resolution` (ms), `interval`
//! (ms, 0 for spikes), `rng_seed`, `nestor_version`, `time_unit` = "ms"; on each variable
//! dataset `unit`. Events are buffered per recorder and appended a chunk (8192 events) at a time
//! (one HDF5 append per slice would cost more than the simulation of a small network); the
//! buffers are written and the file flushed at the end of every Simulate, and it is closed on
//! ResetKernel, on error and at exit.

use hdf5::types::VarLenUnicode;
use nestor_kernel::record::{Batch, RecorderInfo, RecordingBackend};
use nestor_kernel::{Error, ErrorKind, Result};
use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;

const CHUNK: usize = 8192;

struct Group {
    name: String,
    senders: hdf5::Dataset,
    times: hdf5::Dataset,
    vars: Vec<hdf5::Dataset>,
    /// Events already in the file.
    len: usize,
    /// Events not yet written: senders, times and one column per variable.
    buf_senders: Vec<i64>,
    buf_times: Vec<f64>,
    buf_vars: Vec<Vec<f64>>,
}

impl Group {
    /// Appends the buffered events to the datasets.
    fn write_out(&mut self) -> hdf5::Result<()> {
        if self.buf_senders.is_empty() {
            return Ok(());
        }
        append(&self.senders, self.len, &self.buf_senders)?;
        append(&self.times, self.len, &self.buf_times)?;
        for (d, v) in self.vars.iter().zip(&self.buf_vars) {
            if d.dtype().is_ok_and(|t| t.is::<i64>()) {
                let ints: Vec<i64> = v.iter().map(|&x| x as i64).collect();
                append(d, self.len, &ints)?;
            } else {
                append(d, self.len, v)?;
            }
        }
        self.len += self.buf_senders.len();
        self.buf_senders.clear();
        self.buf_times.clear();
        self.buf_vars.iter_mut().for_each(Vec::clear);
        Ok(())
    }
}

/// The HDF5 recording backend.
#[derive(Default)]
pub struct Hdf5Backend {
    file: Option<hdf5::File>,
    path: Option<PathBuf>,
    groups: HashMap<u32, Group>,
}

fn io(path: &std::path::Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::IoError, format!("HDF5 file '{}': {what}: {e}", path.display()))
}

fn str_attr(loc: &hdf5::Location, name: &str, value: &str) -> hdf5::Result<()> {
    let v = VarLenUnicode::from_str(value).map_err(|e| hdf5::Error::from(e.to_string()))?;
    loc.new_attr::<VarLenUnicode>().create(name)?.write_scalar(&v)
}

impl Hdf5Backend {
    /// A backend with no file open yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn file_path(info: &RecorderInfo) -> PathBuf {
        let dir = if info.data_path.is_empty() { PathBuf::from(".") } else { PathBuf::from(&info.data_path) };
        dir.join(format!("{}nestor.h5", info.data_prefix))
    }

    fn open(&mut self, info: &RecorderInfo) -> Result<()> {
        let path = Self::file_path(info);
        if self.file.is_some() && self.path.as_ref() == Some(&path) {
            return Ok(());
        }
        self.close()?;
        if path.exists() && !info.overwrite_files {
            return Err(Error::new(
                ErrorKind::IoError,
                format!(
                    "HDF5 file '{}' exists; set the kernel status overwrite_files to true or choose another data_path/data_prefix",
                    path.display()
                ),
            ));
        }
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && !dir.is_dir() {
                return Err(Error::new(
                    ErrorKind::IoError,
                    format!(
                        "cannot write HDF5 file '{}': directory '{}' does not exist",
                        path.display(),
                        dir.display()
                    ),
                ));
            }
        }
        let file = hdf5::File::create(&path).map_err(|e| io(&path, "cannot create", e))?;
        str_attr(&file, "nestor_version", nestor_kernel::kernel::VERSION).map_err(|e| io(&path, "attribute", e))?;
        self.file = Some(file);
        self.path = Some(path);
        Ok(())
    }

    /// Writes every recorder's buffered events.
    fn write_buffers(&mut self) -> Result<()> {
        let path = self.path.clone().unwrap_or_default();
        for g in self.groups.values_mut() {
            g.write_out().map_err(|e| io(&path, &format!("cannot append to group '{}'", g.name), e))?;
        }
        Ok(())
    }

    fn make_group(&self, info: &RecorderInfo) -> hdf5::Result<Group> {
        let file = self.file.as_ref().ok_or_else(|| hdf5::Error::from("file not open"))?;
        let name = if info.label.is_empty() { format!("{}-{}", info.model, info.gid) } else { info.label.clone() };
        let g = if file.link_exists(&name) { file.group(&name)? } else { file.create_group(&name)? };
        let ds = |n: &str, int: bool| -> hdf5::Result<hdf5::Dataset> {
            if g.link_exists(n) {
                return g.dataset(n);
            }
            if int {
                g.new_dataset::<i64>().chunk(CHUNK).shape(0..).deflate(4).create(n)
            } else {
                g.new_dataset::<f64>().chunk(CHUNK).shape(0..).deflate(4).create(n)
            }
        };
        let senders = ds("senders", true)?;
        let times = ds("times", false)?;
        let mut vars = Vec::new();
        for (v, unit) in info.record_from.iter().zip(&info.units) {
            // weight_recorder's ids and ports are integers, as in NEST.
            let d = ds(v, is_int_column(v))?;
            if !d.attr_names()?.iter().any(|a| a == "unit") {
                str_attr(&d, "unit", unit)?;
            }
            vars.push(d);
        }
        if !g.attr_names()?.iter().any(|a| a == "model") {
            str_attr(&g, "model", &info.model)?;
            str_attr(&g, "label", &info.label)?;
            str_attr(&g, "nestor_version", nestor_kernel::kernel::VERSION)?;
            str_attr(&g, "time_unit", "ms")?;
            str_attr(&times, "unit", "ms")?;
            g.new_attr::<i64>().create("global_id")?.write_scalar(&(info.gid as i64))?;
            g.new_attr::<f64>().create("resolution")?.write_scalar(&info.resolution)?;
            g.new_attr::<f64>().create("interval")?.write_scalar(&info.interval)?;
            g.new_attr::<i64>().create("rng_seed")?.write_scalar(&(info.seed as i64))?;
        }
        let len = senders.shape().first().copied().unwrap_or(0);
        let buf_vars = vec![Vec::new(); vars.len()];
        Ok(Group { name, senders, times, vars, len, buf_senders: Vec::new(), buf_times: Vec::new(), buf_vars })
    }
}

/// Columns stored as integers (the weight_recorder's targets, receptors and ports, the spin_detector's state).
fn is_int_column(name: &str) -> bool {
    matches!(name, "targets" | "receptors" | "ports" | "state")
}

fn append<T: hdf5::H5Type>(ds: &hdf5::Dataset, old: usize, data: &[T]) -> hdf5::Result<()> {
    ds.resize(old + data.len())?;
    ds.write_slice(data, old..old + data.len())
}

impl RecordingBackend for Hdf5Backend {
    fn name(&self) -> &'static str {
        "hdf5"
    }
    fn enroll(&mut self, info: &RecorderInfo) -> Result<()> {
        self.open(info)?;
        if self.groups.contains_key(&info.gid) {
            return Ok(());
        }
        let path = self.path.clone().unwrap_or_default();
        let g = self.make_group(info).map_err(|e| io(&path, "cannot create recorder group", e))?;
        self.groups.insert(info.gid, g);
        Ok(())
    }
    fn write(&mut self, gid: u32, batch: &Batch, h: f64) -> Result<()> {
        let g = self.groups.get_mut(&gid).ok_or_else(|| {
            Error::new(ErrorKind::IoError, format!("recorder {gid} is not enrolled in the HDF5 backend"))
        })?;
        g.buf_senders.extend(batch.senders.iter().map(|&s| s as i64));
        g.buf_times.extend(batch.steps.iter().map(|&s| nestor_kernel::kernel::step_to_ms(s, h)));
        for (b, v) in g.buf_vars.iter_mut().zip(&batch.values) {
            b.extend_from_slice(v);
        }
        if g.buf_senders.len() >= CHUNK {
            let path = self.path.as_deref().unwrap_or(std::path::Path::new(""));
            g.write_out().map_err(|e| io(path, &format!("cannot append to group '{}'", g.name), e))?;
        }
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        self.write_buffers()?;
        if let (Some(f), Some(p)) = (&self.file, &self.path) {
            f.flush().map_err(|e| io(p, "flush", e))?;
        }
        Ok(())
    }
    fn close(&mut self) -> Result<()> {
        let written = self.write_buffers();
        self.groups.clear();
        if let Some(f) = self.file.take() {
            let p = self.path.clone().unwrap_or_default();
            f.flush().map_err(|e| io(&p, "flush", e))?;
            f.close().map_err(|e| io(&p, "close", e))?;
        }
        written
    }
    fn location(&self, gid: u32) -> Option<String> {
        let g = self.groups.get(&gid)?;
        Some(format!("{}:/{}", self.path.as_ref()?.display(), g.name))
    }
}
