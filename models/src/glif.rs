//! What NEST's GLIF models (`glif_psc`, `glif_cond`; Teeter et al. 2018) share: the status
//! table, the after-spike-current lists, NEST's parameter and state checks in each model's
//! order, and the grid-based GLIF mechanisms — the spike component of the threshold, the
//! after-spike currents, the voltage component of the threshold and the reset rules.
//!
//! Both models keep voltages relative to `E_L` internally, as NEST does; the status shows
//! absolute values. Their membranes differ (exact propagators for current-based α synapses,
//! RKF45 for conductance-based α synapses), the mechanisms are applied on the grid in the same
//! order:
//!
//! ```text
//! not refractory:  θ_s ← θ_s·e^{−b_s h}                                  (spike_dependent_threshold)
//!                  I_asc ← Σ_j c_j·I_j;  I_j ← I_j·e^{−k_j h}            (after_spike_currents;
//!                                                 c_j = (1/k_j)/h·(1 − e^{−k_j h}), the mean over the step)
//!                  [the membrane's step: glif_psc here, glif_cond before]
//!                  θ_v ← φ(V₀ − β)e^{−g h/C} + e^{−b_v h}(θ_v − φ(V₀ − β) − (a_v/b_v)β) + (a_v/b_v)β
//!                        with β = (I_stim + I_asc)/g, φ = a_v/(b_v − g/C)      (adapting_threshold)
//!                  θ ← θ_s + θ_v + θ_∞
//!                  V > θ  →  spike; refractory for t_ref (rounded up to steps);
//!                            I_j ← δI_j + I_j·r_j·e^{−k_j t_ref};
//!                            V ← V_reset (without spike_dependent_threshold) or
//!                            V ← f_v·V₀ + δV,  θ_s ← θ_s·e^{−b_s t_ref} + δθ_s,  θ ← θ_s + θ_v + θ_∞
//! refractory:      one step less; V ← V₀; θ ← θ_s + θ_v + θ_∞
//! ```
//!
//! V₀ is the membrane potential at the start of the step. The after-spike currents, the
//! threshold components and their sum are frozen while refractory.
//!
//! NEST's checks involve the list parameters (`asc_*`, `tau_syn`, `E_rev`), so they all run in
//! [`Core::set_extra`], in the model's order, on the new table row and the new lists; a
//! refused change leaves the neuron as it was. The update loops over the after-spike currents
//! NEST has (`ASCurrents`) but never beyond the parameter lists (NEST would read past them if
//! `asc_decay` were made shorter than `ASCurrents`, which its checks allow).
//!
//! NEST builds the after-spike currents `ASCurrents` once from the model's *default*
//! `asc_init` (both 0): setting `asc_init` later changes the parameter but not the currents
//! (only `ASCurrents` does), in nestor as in NEST.

use crate::multisynapse::{given, put, refuse_read_only, PortLists};
use crate::neuron::col;
use crate::numerics::ms_to_steps;
use nestor_kernel::error::{Error, Result};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// Number of entries of a GLIF status table.
pub const SCHEMA_LEN: usize = 18;

/// The status table of a GLIF model whose membrane conductance is called `g_name` (`g` in
/// `glif_psc`, `g_m` in `glif_cond`), in the order of NEST's GetStatus.
pub const fn schema(g_name: &'static str) -> [ParamSpec; SCHEMA_LEN] {
    [
        ParamSpec::param("V_th", Unit::MilliVolt, -51.68, "Instantaneous threshold"),
        ParamSpec::param(g_name, Unit::NanoSiemens, 9.43, "Membrane conductance"),
        ParamSpec::param("E_L", Unit::MilliVolt, -78.85, "Resting membrane potential"),
        ParamSpec::param("C_m", Unit::PicoFarad, 58.72, "Capacitance of the membrane"),
        ParamSpec::param("t_ref", Unit::Millisecond, 3.75, "Duration of refractory time"),
        ParamSpec::param("V_reset", Unit::MilliVolt, -78.85, "Reset potential (GLIF1, GLIF3)"),
        ParamSpec::param("th_spike_add", Unit::MilliVolt, 0.37, "Threshold addition following a spike"),
        ParamSpec::param(
            "th_spike_decay",
            Unit::PerMillisecond,
            0.009,
            "Decay rate of the spike component of the threshold",
        ),
        ParamSpec::param("voltage_reset_fraction", Unit::Dimensionless, 0.2, "Voltage fraction kept at a spike"),
        ParamSpec::param("voltage_reset_add", Unit::MilliVolt, 18.51, "Voltage addition following a spike"),
        ParamSpec::param(
            "th_voltage_index",
            Unit::PerMillisecond,
            0.005,
            "Adaptation index of the voltage component of the threshold",
        ),
        ParamSpec::param(
            "th_voltage_decay",
            Unit::PerMillisecond,
            0.09,
            "Decay rate of the voltage component of the threshold",
        ),
        ParamSpec::param(
            "spike_dependent_threshold",
            Unit::Bool,
            0.0,
            "Reset rules with a spike component of the threshold",
        ),
        ParamSpec::param("after_spike_currents", Unit::Bool, 0.0, "After-spike currents"),
        ParamSpec::param("adapting_threshold", Unit::Bool, 0.0, "Voltage component of the threshold"),
        ParamSpec::state("V_m", Unit::MilliVolt, -78.85, "Membrane potential"),
        ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
        ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
    ]
}

/// The layout both models share (only the conductance's name differs, not its column).
const LAYOUT: [ParamSpec; SCHEMA_LEN] = schema("g");
/// `V_th`.
pub const V_TH: usize = col(&LAYOUT, "V_th");
/// `g` / `g_m`.
pub const G: usize = col(&LAYOUT, "g");
/// `E_L`.
pub const E_L: usize = col(&LAYOUT, "E_L");
/// `C_m`.
pub const C_M: usize = col(&LAYOUT, "C_m");
const T_REF: usize = col(&LAYOUT, "t_ref");
const V_RESET: usize = col(&LAYOUT, "V_reset");
const TH_SPIKE_ADD: usize = col(&LAYOUT, "th_spike_add");
const TH_SPIKE_DECAY: usize = col(&LAYOUT, "th_spike_decay");
const VR_FRACTION: usize = col(&LAYOUT, "voltage_reset_fraction");
const VR_ADD: usize = col(&LAYOUT, "voltage_reset_add");
const TH_VOLTAGE_INDEX: usize = col(&LAYOUT, "th_voltage_index");
const TH_VOLTAGE_DECAY: usize = col(&LAYOUT, "th_voltage_decay");
const SPIKE_DEP: usize = col(&LAYOUT, "spike_dependent_threshold");
const ASC: usize = col(&LAYOUT, "after_spike_currents");
const ADAPTING: usize = col(&LAYOUT, "adapting_threshold");
/// `V_m`.
pub const V_M: usize = col(&LAYOUT, "V_m");

/// The after-spike-current parameter lists, in NEST's order.
const ASC_LISTS: [&str; 4] = ["asc_init", "asc_decay", "asc_amps", "asc_r"];
const ASC_DEFAULTS: [&[f64]; 4] = [&[0.0, 0.0], &[0.003, 0.1], &[-9.18, -198.94], &[1.0, 1.0]];
const INIT: usize = 0;
const DECAY: usize = 1;
const AMPS: usize = 2;
const R: usize = 3;

/// How the two models differ in their status handling.
#[derive(Debug, Clone, Copy)]
pub struct Flavor {
    /// NEST's model name.
    pub name: &'static str,
    /// The status name of the membrane conductance (`g` or `g_m`).
    pub g_name: &'static str,
    /// NEST's message for a mechanism combination that is not GLIF1–5.
    pub combo_msg: &'static str,
    /// glif_cond's order of checks: spike component, after-spike currents, voltage component
    /// after `t_ref` (glif_psc: after-spike currents first, voltage then spike component last).
    pub cond_order: bool,
    /// The per-port lists (`tau_syn` first) and their defaults.
    pub port_lists: &'static [&'static str],
    /// Defaults of `port_lists`.
    pub port_defaults: &'static [&'static [f64]],
    /// Whether GetStatus shows `threshold_spike` and `threshold_voltage` (glif_psc does,
    /// glif_cond only records them; both accept them in SetStatus).
    pub shows_thresholds: bool,
}

/// One neuron's constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Consts {
    /// `spike_dependent_threshold`.
    pub ts: bool,
    /// `after_spike_currents`.
    pub asc: bool,
    /// `adapting_threshold`.
    pub tv: bool,
    /// θ_∞ = V_th − E_L, mV.
    pub th_inf: f64,
    /// V_reset − E_L, mV.
    pub v_reset: f64,
    /// E_L, mV.
    pub e_l: f64,
    /// Membrane conductance, nS.
    pub g: f64,
    /// Capacitance, pF.
    pub c_m: f64,
    /// e^{−b_s h}.
    ts_decay: f64,
    /// e^{−b_s t_ref}.
    ts_refr_decay: f64,
    th_spike_add: f64,
    vr_fraction: f64,
    vr_add: f64,
    /// e^{−g h/C_m}.
    potential_decay: f64,
    /// 1/e^{b_v h}.
    tv_decay_inv: f64,
    /// a_v/(b_v − g/C_m).
    phi: f64,
    /// a_v/b_v.
    abpara: f64,
    /// t_ref in steps.
    pub ref_counts: i64,
}

/// One neuron's GLIF state beside V.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mech {
    /// θ − E_L, mV (recorded as `threshold` + E_L).
    pub threshold: f64,
    /// θ_s, mV.
    pub th_spike: f64,
    /// θ_v, mV.
    pub th_voltage: f64,
    /// Σ of the after-spike currents' means over the last non-refractory step, pA.
    pub asc_sum: f64,
    /// Remaining refractory steps.
    pub r: i64,
}

/// What both GLIF chunks hold: the list parameters, the GLIF state, V and the step current.
pub struct Core {
    flavor: Flavor,
    /// asc_init, asc_decay, asc_amps, asc_r: each its own length (NEST checks equal lengths
    /// only with after-spike currents on).
    asc: [PortLists; 4],
    /// ASCurrents, pA.
    currents: PortLists,
    /// Per after-spike current, from `prepare`: e^{−k h} (0), c = (1/k)/h·(1 − e^{−k h}) (1),
    /// r·e^{−k t_ref} (2).
    asc_pre: PortLists,
    /// The per-port parameter lists (`Flavor::port_lists`).
    pub ports: PortLists,
    /// GLIF state.
    pub mech: Vec<Mech>,
    /// Constants.
    pub consts: Vec<Consts>,
    /// V_m − E_L, mV.
    pub v: Vec<f64>,
    /// Step current received in the previous step (NEST's `I`), pA.
    pub i_stim: Vec<f64>,
}

fn bad<T>(msg: &str, got: String) -> Result<T> {
    Err(Error::bad_property(format!("{msg} (got {got})")))
}

impl Core {
    /// `table.len()` neurons at the defaults.
    pub fn new(table: &ParamTable, flavor: Flavor) -> Core {
        let n = table.len();
        let asc = ASC_DEFAULTS.map(|d| PortLists::new(n, &[d]));
        let mech =
            (0..n).map(|i| Mech { threshold: table.get(V_TH, i) - table.get(E_L, i), ..Mech::default() }).collect();
        Core {
            flavor,
            asc,
            currents: PortLists::new(n, &[ASC_DEFAULTS[INIT]]),
            asc_pre: PortLists::new(n, &[&[0.0; 2], &[0.0; 2], &[0.0; 2]]),
            ports: PortLists::new(n, flavor.port_defaults),
            mech,
            consts: vec![Consts::default(); n],
            v: (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect(),
            i_stim: vec![0.0; n],
        }
    }

    /// Adds neuron `i`'s list and state entries to `d`.
    pub fn get_extra(&self, i: usize, d: &mut Dict) {
        for (l, key) in ASC_LISTS.iter().enumerate() {
            put(d, key, &self.asc[l], 0, i);
        }
        for (l, key) in self.flavor.port_lists.iter().enumerate() {
            put(d, key, &self.ports, l, i);
        }
        d.insert("has_connections".into(), Value::Bool(false));
        put(d, "ASCurrents", &self.currents, 0, i);
        if self.flavor.shows_thresholds {
            d.insert("threshold_spike".into(), Value::Double(self.mech[i].th_spike));
            d.insert("threshold_voltage".into(), Value::Double(self.mech[i].th_voltage));
        }
    }

    /// NEST's SetStatus of neuron `i` beyond the table: every check in the model's order on
    /// the new `row` and the new lists, then the changes. `read_only` are the model's read-only
    /// list entries.
    pub fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64], read_only: &[&str]) -> Result<()> {
        refuse_read_only(entries, read_only, self.flavor.name)?;
        let asc_given = given(entries, &ASC_LISTS)?;
        let asc: Vec<Vec<f64>> = asc_given
            .iter()
            .enumerate()
            .map(|(l, v)| v.clone().unwrap_or_else(|| self.asc[l].get(0, i).to_vec()))
            .collect();
        self.check(row, &asc)?;
        let port_given = given(entries, self.flavor.port_lists)?;
        if port_given.iter().any(Option::is_some) {
            let lists: Vec<Vec<f64>> = port_given
                .iter()
                .enumerate()
                .map(|(l, v)| v.clone().unwrap_or_else(|| self.ports.get(l, i).to_vec()))
                .collect();
            check_ports(&lists, self.flavor.port_lists)?;
        }
        // State (NEST's State_::set, with the new parameters).
        let flag = |c: usize| row[c] != 0.0;
        let currents = given(entries, &["ASCurrents"])?.pop().flatten();
        if let Some(c) = &currents {
            if !flag(ASC) {
                return Err(Error::bad_property(
                    "After spike currents are not supported or settable in the current model mechanisms.",
                ));
            }
            let n = asc[DECAY].len();
            if c.len() != n {
                return bad(
                    &format!(
                        "After spike current values must have have the same size ({n}) of its parameters (i.e., asc_init, k, asc_amps, r)."
                    ),
                    format!("{} values", c.len()),
                );
            }
        }
        let scalar = |key: &str| -> Result<Option<f64>> {
            entries.iter().find(|(k, _)| *k == key).map(|(k, v)| v.as_f64_in(Unit::MilliVolt, k)).transpose()
        };
        let th_spike = scalar("threshold_spike")?;
        if th_spike.is_some() && !flag(SPIKE_DEP) {
            return Err(Error::bad_property(
                "Threshold spike component is not supported or settable in the current model mechanisms.",
            ));
        }
        let th_voltage = scalar("threshold_voltage")?;
        if th_voltage.is_some() && !flag(ADAPTING) {
            return Err(Error::bad_property(
                "Threshold voltage component is not supported or settable in the current model mechanisms.",
            ));
        }
        // Everything checked: commit.
        for (l, v) in asc_given.into_iter().enumerate() {
            if let Some(v) = v {
                self.asc[l].set(i, &[v]);
            }
        }
        if port_given.iter().any(Option::is_some) {
            let lists: Vec<Vec<f64>> = port_given
                .into_iter()
                .enumerate()
                .map(|(l, v)| v.unwrap_or_else(|| self.ports.get(l, i).to_vec()))
                .collect();
            self.ports.set(i, &lists);
        }
        if let Some(c) = currents {
            self.currents.set(i, &[c]);
        }
        if let Some(x) = th_spike {
            self.mech[i].th_spike = x;
        }
        if let Some(x) = th_voltage {
            self.mech[i].th_voltage = x;
        }
        Ok(())
    }

    /// NEST's parameter checks (Parameters_::set after reading) in the model's order.
    fn check(&self, row: &[f64], asc: &[Vec<f64>]) -> Result<()> {
        let flag = |c: usize| row[c] != 0.0;
        let (ts, has_asc, tv) = (flag(SPIKE_DEP), flag(ASC), flag(ADAPTING));
        if !matches!(
            (ts, has_asc, tv),
            (false, false, false)
                | (true, false, false)
                | (false, true, false)
                | (true, true, false)
                | (true, true, true)
        ) {
            return bad(
                self.flavor.combo_msg,
                format!(
                    "spike_dependent_threshold = {ts}, after_spike_currents = {has_asc}, adapting_threshold = {tv}"
                ),
            );
        }
        let asc_checks = || -> Result<()> {
            if !has_asc {
                return Ok(());
            }
            let n = asc[DECAY].len();
            if asc[INIT].len() != n || asc[AMPS].len() != n || asc[R].len() != n {
                return bad(
                    "All after spike current parameters (i.e., asc_init, k, asc_amps, r) must have the same size.",
                    format!(
                        "asc_init: {}, asc_decay: {n}, asc_amps: {}, asc_r: {}",
                        asc[INIT].len(),
                        asc[AMPS].len(),
                        asc[R].len()
                    ),
                );
            }
            for (a, (&k, &r)) in asc[DECAY].iter().zip(&asc[R]).enumerate() {
                if k <= 0.0 {
                    return bad(
                        "After-spike current time constant must be strictly positive.",
                        format!("asc_decay[{a}] = {k} 1/ms"),
                    );
                }
                if !(0.0..=1.0).contains(&r) {
                    return bad(
                        "After spike current fraction following spike coefficients r must be within [0.0, 1.0].",
                        format!("asc_r[{a}] = {r}"),
                    );
                }
            }
            Ok(())
        };
        let spike_checks = || -> Result<()> {
            if !ts {
                return Ok(());
            }
            if row[TH_SPIKE_DECAY] <= 0.0 {
                return bad(
                    "Spike induced threshold time constant must be strictly positive.",
                    format!("th_spike_decay = {} 1/ms", row[TH_SPIKE_DECAY]),
                );
            }
            let f = row[VR_FRACTION];
            if !(0.0..=1.0).contains(&f) {
                return bad(
                    "Voltage fraction coefficient following spike must be within [0.0, 1.0].",
                    format!("voltage_reset_fraction = {f}"),
                );
            }
            Ok(())
        };
        let voltage_checks = || -> Result<()> {
            if tv && row[TH_VOLTAGE_DECAY] <= 0.0 {
                return bad(
                    "Voltage-induced threshold time constant must be strictly positive.",
                    format!("th_voltage_decay = {} 1/ms", row[TH_VOLTAGE_DECAY]),
                );
            }
            Ok(())
        };
        if !self.flavor.cond_order {
            asc_checks()?;
        }
        if row[V_RESET] - row[E_L] >= row[V_TH] - row[E_L] {
            return bad(
                "Reset potential must be smaller than threshold.",
                format!("V_reset = {} mV, V_th = {} mV", row[V_RESET], row[V_TH]),
            );
        }
        if row[C_M] <= 0.0 {
            return bad("Capacitance must be strictly positive.", format!("C_m = {} pF", row[C_M]));
        }
        if row[G] <= 0.0 {
            return bad(
                "Membrane conductance must be strictly positive.",
                format!("{} = {} nS", self.flavor.g_name, row[G]),
            );
        }
        if row[T_REF] <= 0.0 {
            return bad("Refractory time constant must be strictly positive.", format!("t_ref = {} ms", row[T_REF]));
        }
        if self.flavor.cond_order {
            spike_checks()?;
            asc_checks()?;
            voltage_checks()
        } else {
            voltage_checks()?;
            spike_checks()
        }
    }

    /// The number of after-spike currents the update steps for neuron `i` (NEST loops over
    /// `ASCurrents`; the parameter lists have that length whenever the currents are on).
    fn n_asc(&self, i: usize) -> usize {
        self.currents.ports(i).min(self.asc_pre.ports(i)).min(self.asc[AMPS].ports(i))
    }

    /// NEST's pre-run computations from the table at resolution `h` (ms); also takes over a
    /// V_m set by SetStatus.
    pub fn prepare(&mut self, t: &ParamTable, h: f64) {
        for i in 0..t.len() {
            let (g, c_m, e_l, t_ref) = (t.get(G, i), t.get(C_M, i), t.get(E_L, i), t.get(T_REF, i));
            let mut c = Consts {
                ts: t.get(SPIKE_DEP, i) != 0.0,
                asc: t.get(ASC, i) != 0.0,
                tv: t.get(ADAPTING, i) != 0.0,
                th_inf: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                e_l,
                g,
                c_m,
                th_spike_add: t.get(TH_SPIKE_ADD, i),
                vr_fraction: t.get(VR_FRACTION, i),
                vr_add: t.get(VR_ADD, i),
                ref_counts: ms_to_steps(t_ref, h),
                ..Consts::default()
            };
            if c.ts {
                let b = t.get(TH_SPIKE_DECAY, i);
                c.ts_decay = (-b * h).exp();
                c.ts_refr_decay = (-b * t_ref).exp();
            }
            if c.asc {
                let decay = self.asc[DECAY].get(0, i).to_vec();
                self.asc_pre.resize(i, decay.len(), &[]);
                for (a, &k) in decay.iter().enumerate() {
                    let rate = (-k * h).exp();
                    let r = self.asc[R].get(0, i).get(a).copied().unwrap_or(0.0);
                    self.asc_pre.get_mut(0, i)[a] = rate;
                    self.asc_pre.get_mut(1, i)[a] = ((1.0 / k) / h) * (1.0 - rate);
                    self.asc_pre.get_mut(2, i)[a] = r * (-k * t_ref).exp();
                }
            }
            if c.tv {
                let (a_v, b_v) = (t.get(TH_VOLTAGE_INDEX, i), t.get(TH_VOLTAGE_DECAY, i));
                c.potential_decay = (-g * h / c_m).exp();
                c.tv_decay_inv = 1.0 / (b_v * h).exp();
                c.phi = a_v / (b_v - g / c_m);
                c.abpara = a_v / b_v;
            }
            self.consts[i] = c;
            let v_m = t.get(V_M, i);
            if self.v[i] + e_l != v_m {
                self.v[i] = v_m - e_l;
            }
        }
    }

    /// The start of a non-refractory step of neuron `i`: decay of the spike component of the
    /// threshold, the after-spike currents' mean over the step (into `asc_sum`) and their decay.
    #[inline(always)]
    pub fn decay(&mut self, i: usize) {
        let c = &self.consts[i];
        let m = &mut self.mech[i];
        if c.ts {
            m.th_spike *= c.ts_decay;
        }
        m.asc_sum = 0.0;
        if c.asc {
            let n = self.currents.ports(i).min(self.asc_pre.ports(i));
            let (rate, stable) = (self.asc_pre.get(0, i), self.asc_pre.get(1, i));
            let cur = self.currents.get_mut(0, i);
            for a in 0..n {
                m.asc_sum += stable[a] * cur[a];
                cur[a] *= rate[a];
            }
        }
    }

    /// After the membrane's step of a non-refractory neuron `i` (`v` its new V, `v_old` V at
    /// the start of the step, `i_stim` the step current of the step): the voltage component of
    /// the threshold, the threshold, and on a crossing the reset rules. True on a spike.
    #[inline(always)]
    pub fn fire(&mut self, i: usize, v: &mut f64, v_old: f64, i_stim: f64) -> bool {
        let n_asc = self.n_asc(i);
        let c = &self.consts[i];
        let m = &mut self.mech[i];
        if c.tv {
            let beta = (i_stim + m.asc_sum) / c.g;
            m.th_voltage = c.phi * (v_old - beta) * c.potential_decay
                + c.tv_decay_inv * (m.th_voltage - c.phi * (v_old - beta) - c.abpara * beta)
                + c.abpara * beta;
        }
        m.threshold = m.th_spike + m.th_voltage + c.th_inf;
        let spikes = *v > m.threshold;
        if !spikes {
            return false;
        }
        m.r = c.ref_counts;
        if c.asc {
            let (amps, refr) = (self.asc[AMPS].get(0, i), self.asc_pre.get(2, i));
            let cur = self.currents.get_mut(0, i);
            for a in 0..n_asc {
                cur[a] = amps[a] + cur[a] * refr[a];
            }
        }
        if !c.ts {
            *v = c.v_reset;
        } else {
            *v = c.vr_fraction * v_old + c.vr_add;
            m.th_spike = m.th_spike * c.ts_refr_decay + c.th_spike_add;
            m.threshold = m.th_spike + m.th_voltage + c.th_inf;
        }
        true
    }

    /// A refractory step of neuron `i`: V held at `v_old`, the threshold recomputed.
    #[inline(always)]
    pub fn refractory(&mut self, i: usize, v: &mut f64, v_old: f64) {
        let c = &self.consts[i];
        let m = &mut self.mech[i];
        m.r -= 1;
        *v = v_old;
        m.threshold = m.th_spike + m.th_voltage + c.th_inf;
    }

    /// The recordables every GLIF model has (`ASCurrents_sum`, `I`, `threshold`,
    /// `threshold_spike`, `threshold_voltage`), by name; `None` for another name.
    pub fn read(&self, name: &str, i: usize) -> Option<f64> {
        let m = &self.mech[i];
        Some(match name {
            "ASCurrents_sum" => m.asc_sum,
            "I" => self.i_stim[i],
            "threshold" => m.threshold + self.consts[i].e_l,
            "threshold_spike" => m.th_spike,
            "threshold_voltage" => m.th_voltage,
            _ => return None,
        })
    }
}

/// NEST's checks of the per-port lists when one of them is given: equal lengths (glif_cond,
/// `tau_syn` and `E_rev`), positive time constants, and for glif_psc_double_alpha positive slow
/// time constants and amplitudes.
fn check_ports(lists: &[Vec<f64>], names: &[&str]) -> Result<()> {
    if names.get(1) == Some(&"E_rev") && lists[0].len() != lists[1].len() {
        return Err(Error::bad_property(format!(
            "The reversal potential and synaptic time constant arrays, i.e., E_rev ({}) and tau_syn ({}), must have the same size.",
            lists[1].len(),
            lists[0].len()
        )));
    }
    for (k, &t) in lists[0].iter().enumerate() {
        if t <= 0.0 {
            return bad(
                "All synaptic time constants must be strictly positive.",
                format!("{}[{k}] = {t} ms", names[0]),
            );
        }
    }
    // glif_psc_double_alpha: the slow component's time constants and amplitudes, one per port
    // (NEST does not compare the lengths and reads past a shorter list).
    if names.get(1) == Some(&"tau_syn_slow") {
        for (l, msg, unit) in [
            (1, "All slow synaptic time constants must be strictly positive.", " ms"),
            (2, "All slow synaptic amplitudes must be strictly positive.", ""),
        ] {
            if let Some((k, &x)) = lists[l].iter().enumerate().find(|(_, &x)| x <= 0.0) {
                return bad(msg, format!("{}[{k}] = {x}{unit}", names[l]));
            }
        }
        if lists[1].len() != lists[0].len() || lists[2].len() != lists[0].len() {
            return Err(Error::bad_property(format!(
                "tau_syn_fast, tau_syn_slow and amp_slow need one entry per receptor port (give them together); got {}, {} and {} entries.",
                lists[0].len(),
                lists[1].len(),
                lists[2].len()
            )));
        }
    }
    Ok(())
}
