//! What NEST's multisynapse models share: per-neuron lists of receptor parameters and state
//! (`tau_syn`, `E_rev`, `g`, … one entry per receptor port), their status entries, and the
//! recordables that grow with the number of ports (`g_1`, `g_2`, … or `I_syn_1`, …).
//!
//! The lists of a chunk live in flat vectors with one stride for all its neurons (the largest
//! number of ports), so stepping a neuron reads contiguous slices and no neuron owns a heap
//! object. A neuron with fewer ports than the stride has zeros in the rest.

use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::value::{Dict, Value};
use std::sync::LazyLock;

/// The most receptor ports a neuron may have in nestor (NEST has no limit; the adaptive models
/// integrate all ports of a neuron in one fixed-size system, see [`cap_for`]).
pub const MAX_PORTS: usize = 128;

/// Per-neuron lists of equal length (one entry per port), stored flat.
#[derive(Debug, Clone)]
pub struct PortLists {
    /// Number of ports of each neuron.
    n: Vec<usize>,
    /// Entries per neuron in `data` (the chunk's largest port count).
    stride: usize,
    /// One flat vector per list: neuron i's entries are `[i*stride .. i*stride + n[i]]`.
    data: Vec<Vec<f64>>,
}

impl PortLists {
    /// `neurons` neurons with `defaults[l]` as the entries of list l (all lists the same length).
    pub fn new(neurons: usize, defaults: &[&[f64]]) -> Self {
        let n0 = defaults.first().map_or(0, |d| d.len());
        let data = defaults.iter().map(|d| (0..neurons).flat_map(|_| d.iter().copied()).collect()).collect();
        PortLists { n: vec![n0; neurons], stride: n0, data }
    }
    /// Number of ports of neuron `i`.
    #[inline]
    pub fn ports(&self, i: usize) -> usize {
        self.n[i]
    }
    /// The largest number of ports in the chunk.
    pub fn max_ports(&self) -> usize {
        self.n.iter().copied().max().unwrap_or(0)
    }
    /// List `l` of neuron `i`.
    #[inline]
    pub fn get(&self, l: usize, i: usize) -> &[f64] {
        let s = i * self.stride;
        &self.data[l][s..s + self.n[i]]
    }
    /// List `l` of neuron `i`, mutably.
    #[inline]
    pub fn get_mut(&mut self, l: usize, i: usize) -> &mut [f64] {
        let s = i * self.stride;
        &mut self.data[l][s..s + self.n[i]]
    }
    /// List `read` of neuron `i` and list `write` (another list) of the same neuron, mutably.
    #[inline]
    pub fn pair_mut(&mut self, read: usize, write: usize, i: usize) -> (&[f64], &mut [f64]) {
        let (s, e) = (i * self.stride, i * self.stride + self.n[i]);
        let (r, w) = if read < write {
            let (a, b) = self.data.split_at_mut(write);
            (&a[read], &mut b[0])
        } else {
            let (a, b) = self.data.split_at_mut(read);
            (&b[0], &mut a[write])
        };
        (&r[s..e], &mut w[s..e])
    }
    /// Sets neuron `i`'s number of ports to `n`: entries kept, new ones from `fill[l]`.
    pub fn resize(&mut self, i: usize, n: usize, fill: &[f64]) {
        if n > self.stride {
            let (old, neurons) = (self.stride, self.n.len());
            for d in &mut self.data {
                let mut wide = vec![0.0; neurons * n];
                for k in 0..neurons {
                    wide[k * n..k * n + old].copy_from_slice(&d[k * old..k * old + old]);
                }
                *d = wide;
            }
            self.stride = n;
        }
        let s = i * self.stride;
        for (l, d) in self.data.iter_mut().enumerate() {
            for k in self.n[i]..n {
                d[s + k] = fill.get(l).copied().unwrap_or(0.0);
            }
            for x in &mut d[s + n..s + self.stride] {
                *x = 0.0;
            }
        }
        self.n[i] = n;
    }
    /// Replaces neuron `i`'s lists (all of the same length, checked by the caller).
    pub fn set(&mut self, i: usize, lists: &[Vec<f64>]) {
        let n = lists.first().map_or(0, Vec::len);
        self.resize(i, n, &[]);
        for (l, v) in lists.iter().enumerate() {
            self.get_mut(l, i).copy_from_slice(v);
        }
    }
}

/// A status entry as a list of numbers.
pub fn as_list(key: &str, v: &Value) -> Result<Vec<f64>> {
    let xs = match v {
        Value::DoubleVec(x) => x.clone(),
        Value::IntVec(x) => x.iter().map(|&i| i as f64).collect(),
        Value::Array(a) => a.iter().map(|x| x.as_f64(key)).collect::<Result<Vec<f64>>>()?,
        Value::Double(_) | Value::Int(_) => vec![v.as_f64(key)?],
        _ => {
            return Err(Error::new(
                ErrorKind::ArgumentType,
                format!("'{key}' must be a list of numbers, one per receptor port (got {v:?})"),
            ))
        }
    };
    if xs.len() > MAX_PORTS {
        return Err(Error::bad_property(format!(
            "'{key}' has {} entries; nestor supports at most {MAX_PORTS} receptor ports per neuron",
            xs.len()
        )));
    }
    if let Some(x) = xs.iter().find(|x| !x.is_finite()) {
        return Err(Error::bad_property(format!("'{key}' must hold finite numbers (got {x})")));
    }
    Ok(xs)
}

/// Puts list `l` of neuron `i` into `d` under `key`.
pub fn put(d: &mut Dict, key: &str, lists: &PortLists, l: usize, i: usize) {
    d.insert(key.to_string(), Value::DoubleVec(lists.get(l, i).to_vec()));
}

/// The entries of `names` given in `entries`, as lists; `None` for those not given.
pub fn given(entries: &[(&str, &Value)], names: &[&str]) -> Result<Vec<Option<Vec<f64>>>> {
    names.iter().map(|name| entries.iter().find(|(k, _)| k == name).map(|(k, v)| as_list(k, v)).transpose()).collect()
}

/// Refuses the keys of `read_only` (status shown by GetStatus that SetStatus may not change).
pub fn refuse_read_only(entries: &[(&str, &Value)], read_only: &[&str], model: &str) -> Result<()> {
    match entries.iter().find(|(k, _)| read_only.contains(k)) {
        Some((k, _)) => Err(Error::bad_property(format!("'{k}' of model {model} is read-only and cannot be set"))),
        None => Ok(()),
    }
}

/// `prefix` followed by 1..=MAX_PORTS, as static names (made once).
fn numbered(prefix: &'static str) -> Vec<&'static str> {
    (1..=MAX_PORTS).map(|k| &*Box::leak(format!("{prefix}{k}").into_boxed_str())).collect()
}

static G_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| numbered("g_"));
static I_SYN_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| numbered("I_syn_"));

/// A per-port recordable family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortRecordable {
    /// `g_1`, `g_2`, … (conductances).
    G,
    /// `I_syn_1`, `I_syn_2`, … (currents).
    ISyn,
}

/// What a recordable of a multisynapse model reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Entry k of the model's fixed recordables.
    Fixed(usize),
    /// Port k (0-based) of the numbered family.
    Port(usize),
}

/// The recordables of a neuron with `n` ports: `fixed` plus the numbered names, in NEST's order
/// (byte order of the names, as NEST lists them), each with what it reads.
pub fn recordables(fixed: &[&'static str], family: PortRecordable, n: usize) -> (Vec<&'static str>, Vec<Slot>) {
    let names = match family {
        PortRecordable::G => &G_NAMES,
        PortRecordable::ISyn => &I_SYN_NAMES,
    };
    let mut all: Vec<(&'static str, Slot)> = fixed.iter().enumerate().map(|(k, &s)| (s, Slot::Fixed(k))).collect();
    all.extend(names[..n.min(MAX_PORTS)].iter().enumerate().map(|(k, &s)| (s, Slot::Port(k))));
    all.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    all.into_iter().unzip()
}

/// The fixed-size ODE system (a capacity of `2 + 2·ports` entries, see [`crate::rkf45`]) that
/// holds a neuron with `ports` receptor ports plus two more variables: entries beyond the
/// neuron's own stay zero, have zero derivative and zero error estimate, so they change neither
/// the result nor the step-size control.
pub fn cap_for(ports: usize) -> usize {
    match 2 + 2 * ports {
        n if n <= 8 => 8,
        n if n <= 16 => 16,
        n if n <= 34 => 34,
        n if n <= 66 => 66,
        _ => 2 + 2 * MAX_PORTS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_grow_keep_entries_and_shrink() {
        let mut p = PortLists::new(3, &[&[2.0], &[0.0]]);
        p.resize(1, 3, &[5.0, -1.0]);
        assert_eq!(p.get(0, 0), &[2.0]);
        assert_eq!(p.get(0, 1), &[2.0, 5.0, 5.0]);
        assert_eq!(p.get(1, 1), &[0.0, -1.0, -1.0]);
        assert_eq!(p.get(0, 2), &[2.0]);
        p.set(1, &[vec![1.0], vec![3.0]]);
        assert_eq!(p.get(0, 1), &[1.0]);
        assert_eq!(p.max_ports(), 1);
    }

    #[test]
    fn recordables_in_nest_order() {
        // Oracle: NEST 3.10 lists aeif_cond_alpha_multisynapse's recordables as V_m, g_1, w.
        let (names, map) = recordables(&["V_m", "w"], PortRecordable::G, 1);
        assert_eq!(names, vec!["V_m", "g_1", "w"]);
        assert_eq!(map, vec![Slot::Fixed(0), Slot::Port(0), Slot::Fixed(1)]);
        let (names, _) = recordables(&["I_syn", "V_m"], PortRecordable::ISyn, 2);
        assert_eq!(names, vec!["I_syn", "I_syn_1", "I_syn_2", "V_m"]);
    }
}
