//! # LeakyRateReadout — leaky rate readout (brainpy.state `LeakyRateReadout`)
//!
//! r ← exp(−dt/τ)·r + Σ_j w_j·s_j every step, where s_j are the spikes arriving this step (from
//! the previous step of spiking populations, as in brainpy where the readout reads `get_spike()`)
//! and w_j the connection weights (brainpy's `weight` matrix, one connection per entry; brainpy
//! draws it from KaimingNormal, nestor takes it from `Connect`). It sends nothing; record `r`
//! with a multimeter.
//!
//! Parameters (defaults): tau = 5 ms. State: r (0).
//!
//! Timing: spikes sent from a `SpikeTime` with the minimal delay (dt) are added in the step
//! brainpy's `readout(spike_time.update())` adds them; a neuron's spikes one step later, as
//! brainpy's `readout(neuron.get_spike())` called before the neuron's update (checked against
//! brainpy.state: protocols `bp_readout_spiketime`, `bp_readout_lif`).
//!
//! Reference: brainpy.state 0.1.0 `LeakyRateReadout`.

use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::{Quantity, Unit};

static SPECS: [ParamSpec; 2] = [
    ParamSpec::param("tau", Unit::Millisecond, 5.0, "Time constant of the readout"),
    ParamSpec::state("r", Unit::Dimensionless, 0.0, "Readout rate"),
];

/// brainpy.state `LeakyRateReadout`.
pub struct LeakyRateReadout;

impl Model for LeakyRateReadout {
    fn name(&self) -> &'static str {
        "LeakyRateReadout"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        "Leaky rate readout of spikes (brainpy.state)"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(ReadoutNodes { t: ParamTable::new(&SPECS, n), decay: Vec::new() }))
    }
}

struct ReadoutNodes {
    t: ParamTable,
    decay: Vec<f64>,
}

impl Node for ReadoutNodes {
    fn len(&self) -> usize {
        self.t.len()
    }
    fn table(&self) -> &ParamTable {
        &self.t
    }
    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.t
    }
    fn validate(&self, row: &[f64]) -> Result<()> {
        if row[0] <= 0.0 {
            return Err(Error::bad_property(format!("LeakyRateReadout: tau must be positive, got {} ms", row[0])));
        }
        Ok(())
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.decay = self.t.col(0).iter().map(|tau| (-env.resolution / tau).exp()).collect();
        Ok(())
    }
    fn channels(&self) -> usize {
        1
    }
    fn route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Result<Route> {
        match (receptor, kind.is_spike()) {
            (0, true) => Ok(Route::weighted(0)),
            (0, false) => Err(Error::new(ErrorKind::IllegalConnection, "LeakyRateReadout reads spikes only")),
            (r, _) => Err(Error::new(
                ErrorKind::UnknownReceptorType,
                format!("Receptor type {r} is not available in LeakyRateReadout"),
            )),
        }
    }
    fn weight_unit(&self, receptor: i64) -> Option<Quantity> {
        (receptor == 0).then(|| Quantity::new(1.0, Unit::Dimensionless))
    }
    fn output(&self) -> Option<EventKind> {
        None
    }
    fn update(&mut self, _ctx: &StepCtx, inputs: &Inputs<'_>, _out: &mut Emitter<'_>) {
        let n = self.t.len();
        let x = &inputs.channel(0)[..n];
        let r = self.t.col_mut(1);
        for i in 0..n {
            r[i] = self.decay[i] * r[i] + x[i];
        }
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&["r"])
    }
    fn read(&self, _var: usize, i: usize) -> f64 {
        self.t.get(1, i)
    }
}
