//! # The BrainPy-style model family (brainpy.state 0.1.0 / brainpy 2.8)
//!
//! Neurons, synapse kinetics, synaptic outputs and short-term plasticity with brainpy.state's
//! names, parameters, defaults and update equations, on nestor's kernel. One file per neuron
//! model; the synaptic building blocks are in [`synapses`], [`outputs`] and [`stp`].
//!
//! ## How a brainpy network maps onto the kernel
//!
//! * A population (`Create("LIFRef", n)`) is a chunked node like every NEST model. Its state and
//!   parameters are status entries with brainpy's names and brainpy's default units (mV, ms,
//!   ohm, mA, mS, uF …).
//! * **AlignPost** (`AlignPostProj(comm, syn, out, post)`): [`Kernel::add_receptor`] gives the
//!   *post* population a receptor holding one synapse state per post neuron (O(N_post)) and
//!   the output (COBA/CUBA/MgBlock). Spikes arrive through ordinary connections on that receptor
//!   and are added to the synapse state (`g += Σ w`). Projections with equal synapse and output
//!   descriptions share the receptor and its state, as brainpy merges them. Only linear synapses
//!   (Expon, DualExpon, Alpha) are allowed: for them summing inputs before the kinetics is exact.
//! * **Align-pre** (`align_pre_projection(spikes, stp, syn, comm, out, post)`):
//!   [`Kernel::add_output_port`] gives the *pre* population per-neuron STP and synapse state
//!   (O(N_pre)); every step each pre neuron sends its synapse value `g` through the port's ids;
//!   the post population receives `Σ w·g` on a conductance receptor (`add_receptor` with only an
//!   output) and applies the output.
//! * **DeltaProj**: spikes on receptor 1 are added to the membrane potential (`V += Σ w`) after
//!   the integration step, as `sum_delta_inputs` does (CubaLIF/CobaLIF: to their `g`).
//! * **Current input**: current events (generators) on receptor 0, in pA (the kernel's current
//!   unit), converted to the model's current unit; plus the constant `I_ext` (the `x` argument
//!   of brainpy's `update`).
//!
//! ## Timing
//!
//! brainpy evaluates `spike = heaviside((V − V_th)/(V_th − V_reset))` at the end of a step and
//! projections use it in the next step. nestor emits the spike with stamp t+1; with a delay of
//! one step (the default and the minimum) it reaches the post population in the next step —
//! the same timing. A brainpy axonal delay D corresponds to a nestor delay of dt + D.
//!
//! ## Numerics
//!
//! brainpy's exponential Euler (`brainstate.nn.exp_euler_step`):
//! `x ← x + dt·φ(dt·J)·f(x)` with `J = ∂f/∂x` (diagonal) and `φ(z) = (eᶻ − 1)/z`, φ evaluated as
//! saiunit does (`expm1(z)/z`, a 5th-order Taylor polynomial for |z| ≤ 1e-7). The Jacobian
//! includes the synaptic output where brainpy evaluates the output inside the drift (LIF
//! family, Izhikevich), and excludes it where brainpy evaluates it at the start of the step
//! (HH family, FitzHugh–Nagumo, Hindmarsh–Rose).
//!
//! Spikes use the Heaviside forward pass of every surrogate (`x ≥ 0`); the surrogate gradient
//! function is kept as the `spk_fun` status entry for training (not yet used by the kernel).
//!
//! [`Kernel::add_receptor`]: nestor_kernel::Kernel::add_receptor
//! [`Kernel::add_output_port`]: nestor_kernel::Kernel::add_output_port

pub(crate) use crate::simd::with_avx2;

pub mod adex_if;
pub mod adex_if_ref;
pub mod adqua_if;
pub mod adqua_if_ref;
pub mod alif;
pub mod coba_lif;
pub mod cuba_lif;
pub mod exp_if;
pub mod exp_if_ref;
pub mod fitzhugh_nagumo;
pub mod gif;
pub mod gif_ref;
pub mod hh;
pub mod hindmarsh_rose;
pub mod if_;
pub mod izhikevich;
pub mod izhikevich_ref;
pub mod lif;
pub mod lif_block;
pub mod lif_ref;
pub mod morris_lecar;
pub mod outputs;
pub mod qua_if;
pub mod readout;
pub mod stp;
pub mod synapses;
pub mod wang_buzsaki_hh;

use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Route, StepCtx};
use nestor_kernel::registry::Registry;
use nestor_kernel::schema::{index_of, ParamSpec, ParamTable};
use nestor_kernel::units::{Dim, Quantity, Unit};
use nestor_kernel::value::{Dict, Value};
use std::marker::PhantomData;
use std::sync::Arc;

use outputs::Output;
use stp::Plasticity;
use synapses::{SynKind, SynState};

/// brainpy's surrogate-gradient functions (braintools.surrogate); all share the Heaviside
/// forward pass.
pub const SURROGATES: &[&str] = &[
    "ReluGrad",
    "Sigmoid",
    "PiecewiseQuadratic",
    "PiecewiseExp",
    "SoftSign",
    "Arctan",
    "NonzeroSignLog",
    "ERF",
    "PiecewiseLeakyRelu",
    "SquarewaveFourierSeries",
    "S2NN",
    "QPseudoSpike",
    "LeakyRelu",
    "LogTailedRelu",
    "GaussianGrad",
    "MultiGaussianGrad",
    "InvSquareGrad",
    "SlayerGrad",
];

/// `(eᶻ − 1)/z` exactly as saiunit computes it in double precision.
#[inline]
pub fn exprel(z: f64) -> f64 {
    if z.abs() <= 1e-7 {
        // Horner over 1/(n+1)! for n = 5..0.
        let mut r = 0.0;
        for c in [1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0, 1.0] {
            r = r * z + c;
        }
        r
    } else if z.abs() < 0.05 {
        exprel_series(z)
    } else {
        z.exp_m1() / z
    }
}

/// `(eᶻ − 1)/z` by its series to degree 10, for 1e-7 < |z| < 0.05, where it is exact to
/// rounding (next term < 3e-21). Estrin's scheme keeps the dependency chain short and has no
/// branch, so block updates vectorize it; expm1 costs several times more.
#[inline(always)]
pub(crate) fn exprel_series(z: f64) -> f64 {
    const C: [f64; 11] = {
        let mut c = [0.0; 11];
        let mut k = 0;
        while k < 11 {
            c[k] = crate::fastmath::INV_FACTORIAL[k + 1];
            k += 1;
        }
        c
    };
    let z2 = z * z;
    let z4 = z2 * z2;
    let z8 = z4 * z4;
    let r0 = (C[0] + C[1] * z) + (C[2] + C[3] * z) * z2;
    let r1 = (C[4] + C[5] * z) + (C[6] + C[7] * z) * z2;
    let r2 = (C[8] + C[9] * z) + C[10] * z2;
    (r0 + r1 * z4) + r2 * z8
}

/// One exponential-Euler step: `x + dt·φ(dt·j)·f`.
#[inline]
pub fn exp_euler(x: f64, f: f64, j: f64, dt: f64) -> f64 {
    x + dt * exprel(dt * j) * f
}

/// brainpy's spike test: Heaviside of the scaled distance to threshold.
#[inline]
pub fn heaviside(scaled: f64) -> f64 {
    if scaled >= 0.0 {
        1.0
    } else {
        0.0
    }
}

/// The step context a neuron model sees.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Time at the start of the step, ms (brainpy's `t`).
    pub t: f64,
    /// Step size, ms.
    pub dt: f64,
    /// Hard reset (`spk_reset = 'hard'`).
    pub hard: bool,
}

/// The synaptic and external input of one neuron in one step.
pub struct Input<'a> {
    recs: &'a [Receptor],
    i: usize,
    /// When every output is linear in V: the current is `lin.0 + lin.1·V` (receptors folded).
    lin: Option<(f64, f64)>,
    /// External current (I_ext plus receptor-0 input), in the model's current unit.
    pub x: f64,
    /// Sum of delta inputs (receptor 1) this step, in the model's delta unit.
    pub delta: f64,
    /// `dt·φ(dt·J)` of the membrane equation, precomputed for the whole chunk when the model's
    /// Jacobian does not depend on V ([`Dyn::membrane_jacobian`]).
    phi: Option<f64>,
}

impl Input<'_> {
    /// The exponential Euler step of the membrane potential: with the chunk's precomputed
    /// `dt·φ(dt·J)` when there is one (the same arithmetic, done in a separate loop that the CPU
    /// pipelines across neurons), else `exp_euler`.
    #[inline]
    pub fn membrane_step(&self, v: f64, f: f64, j: f64, dt: f64) -> f64 {
        match self.phi {
            Some(p) => v + p * f,
            None => exp_euler(v, f, j, dt),
        }
    }

    /// Total input current at potential `v` and its derivative with respect to `v`, in the
    /// model's current unit (brainpy's `sum_current_inputs(x, v)`).
    #[inline]
    pub fn current(&self, v: f64) -> (f64, f64) {
        if let Some((a, b)) = self.lin {
            return (self.x + (a + b * v), b);
        }
        let mut i = self.x;
        let mut di = 0.0;
        for r in self.recs {
            let g = r.g[self.i];
            let (c, d) = r.out.current(g, v);
            i += c * r.k;
            di += d * r.k;
        }
        (i, di)
    }
}

/// Neurons per tile of a step (see `BpNodes::update`): 12 per-neuron arrays of 512 doubles fill
/// 48 KB, about the L1 data cache.
const TILE: usize = 512;

/// One step's input for a block of neurons, for models with a block update ([`Dyn::step_block`]):
/// used when every synaptic output is linear in V (or there are none), so the input current of
/// neuron `i` at potential `v` is `x[i] + (a[i] + b[i]·v)` with slope `b[i]`.
pub struct Block<'a> {
    /// First neuron of the block (the slices below start there; columns start at 0).
    pub lo: usize,
    /// Time at the start of the step, ms.
    pub t: f64,
    /// Step size, ms.
    pub dt: f64,
    /// Hard reset per neuron.
    pub hard: &'a [bool],
    /// External current (I_ext, receptor-0 input and gap-junction current), model unit.
    pub x: &'a [f64],
    /// Folded synaptic outputs: intercept.
    pub a: &'a [f64],
    /// Folded synaptic outputs: slope ∂I/∂V.
    pub b: &'a [f64],
    /// Delta inputs (receptor 1), model delta unit.
    pub delta: &'a [f64],
    /// Every parameter column holds one value (see [`lif_block::Col`]).
    pub uniform: bool,
    /// Every neuron of the chunk has this reset mode (`None`: mixed).
    pub hard_all: Option<bool>,
}

/// `a += k·g·e`, `b −= k·g`: a COBA output folded into the linear input current.
#[inline(always)]
fn fold_coba(lin_a: &mut [f64], lin_b: &mut [f64], g: &[f64], k: f64, e: f64) {
    for ((a, b), &g) in lin_a.iter_mut().zip(lin_b.iter_mut()).zip(g) {
        *a += k * (g * e);
        *b -= k * g;
    }
}

/// `a += k·g`: a CUBA output folded into the linear input current.
#[inline(always)]
fn fold_cuba(lin_a: &mut [f64], g: &[f64], k: f64) {
    for (a, &g) in lin_a.iter_mut().zip(g) {
        *a += k * g;
    }
}

/// `x = I_ext + pa·current events + gap-junction current` (absent terms count as 0).
#[inline(always)]
fn external_current(x: &mut [f64], cur: &[f64], pa: f64, ext: Option<&[f64]>, gap: Option<&[f64]>) {
    match (ext, gap) {
        (None, None) => x.iter_mut().zip(cur).for_each(|(x, &c)| *x = 0.0 + c * pa),
        (None, Some(gap)) => x.iter_mut().zip(cur).zip(gap).for_each(|((x, &c), &g)| *x = 0.0 + c * pa + g),
        (Some(ext), None) => x.iter_mut().zip(cur).zip(ext).for_each(|((x, &c), &e)| *x = e + c * pa),
        (Some(ext), Some(gap)) => {
            x.iter_mut().zip(cur).zip(ext).zip(gap).for_each(|(((x, &c), &e), &g)| *x = e + c * pa + g)
        }
    }
}

/// A neuron model of the family: schema plus the per-neuron update.
pub trait Dyn: Send + Sync + 'static {
    /// brainpy's class name.
    const NAME: &'static str;
    /// One-line description.
    const DOC: &'static str;
    /// Parameters and state (state columns are updated in place).
    const SPECS: &'static [ParamSpec];
    /// Recordable state names (columns of `SPECS`).
    const RECORDABLES: &'static [&'static str];
    /// Unit of the membrane variable.
    const V_UNIT: Unit;
    /// Unit of the input current (`x`).
    const I_UNIT: Unit;
    /// Unit of delta inputs (what receptor 1 adds to).
    const DELTA_UNIT: Unit;
    /// brainpy's default `spk_reset` is 'hard'.
    const HARD_DEFAULT: bool = false;
    /// Checks one node's values.
    fn validate(_row: &[f64]) -> Result<()> {
        Ok(())
    }
    /// The Jacobian of the membrane equation when it depends only on parameters and the slope
    /// `b = ∂I/∂V` of the (linear) synaptic input, never on V: the chunk then computes
    /// `dt·φ(dt·J)` for all neurons in one pass and the model uses [`Input::membrane_step`].
    fn membrane_jacobian(_c: &[Vec<f64>], _i: usize, _b: f64) -> Option<f64> {
        None
    }
    /// Advances neuron `i` by one step; returns whether it emits a spike.
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool;
    /// Advances the whole chunk by one step with the same numbers as [`Dyn::step`], writing
    /// whether each neuron spikes; returns false (having changed nothing) when the model has
    /// no block update. Models override it with branch-free loops over columns, which the
    /// compiler vectorizes; the per-neuron path reads every column through the table.
    fn step_block(_c: &mut [Vec<f64>], _blk: Block<'_>, _spiked: &mut [bool]) -> bool {
        false
    }
}

/// The model factory of a [`Dyn`].
pub struct BpModel<D: Dyn>(PhantomData<D>);

impl<D: Dyn> Default for BpModel<D> {
    fn default() -> Self {
        BpModel(PhantomData)
    }
}

impl<D: Dyn> Model for BpModel<D> {
    fn name(&self) -> &'static str {
        D::NAME
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        D::DOC
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(BpNodes::<D>::new(n)))
    }
}

/// A post-side receptor: an AlignPost synapse (state per post neuron) with its output, or a
/// conductance input (align-pre targets) with its output.
#[derive(Debug, Clone)]
pub struct Receptor {
    /// Linear synapse kinetics, `None` for a conductance input.
    syn: Option<SynKind>,
    state: SynState,
    out: Output,
    /// Factor from `out`'s natural product (weight unit × V unit or × scale) to the model's
    /// current unit.
    k: f64,
    /// One unit of weight.
    w_unit: Quantity,
    /// Conductance per neuron this step (synapse output or received value).
    g: Vec<f64>,
}

/// A pre-side output port (align-pre): optional STP, then a synapse per pre neuron.
#[derive(Debug, Clone)]
pub struct Port {
    /// What the port sends: the synapse value, a state or parameter of the neuron (V for gap
    /// junctions, any for `CurrentProj`'s prefetch) or 1.
    source: PortSource,
    stp: Option<Plasticity>,
    stp_state: Vec<[f64; 2]>,
    syn: SynKind,
    state: SynState,
}

/// What an output port sends every step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortSource {
    Synapse,
    /// A column of the neuron's table.
    Column(usize),
    One,
}

/// A chunk of a BrainPy-style population.
pub struct BpNodes<D: Dyn> {
    n: usize,
    table: ParamTable,
    hard: Vec<bool>,
    surrogate: Vec<u8>,
    recs: Vec<Receptor>,
    ports: Vec<Port>,
    i_ext: usize,
    /// Per-step folded outputs `a + b·V` (valid when `linear`).
    lin_a: Vec<f64>,
    lin_b: Vec<f64>,
    /// Every receptor's output is linear in V (COBA, CUBA).
    linear: bool,
    /// Some receptors are gap-junction inputs.
    has_gap: bool,
    /// Gap-junction current per neuron this step (model current unit).
    gap: Vec<f64>,
    /// Column of V.
    v_col: usize,
    /// Per-step `dt·φ(dt·J)` (see `Dyn::membrane_jacobian`).
    phi: Vec<f64>,
    /// Per-step external current per neuron (I_ext + receptor 0 + gap junctions).
    x: Vec<f64>,
    /// Per-step spike flags.
    spiked: Vec<bool>,
    /// Every parameter column holds one value (set by `prepare`).
    uniform: bool,
    /// Every neuron has this reset mode (set by `prepare`).
    hard_all: Option<bool>,
    /// Ports whose initial values were sent (`Node::initial_port_values`).
    ports_primed: usize,
    /// pA → model current unit, for current events on receptor 0.
    pa_factor: f64,
    dt: f64,
    _d: PhantomData<D>,
}

impl<D: Dyn> BpNodes<D> {
    /// `n` neurons at the defaults.
    pub fn new(n: usize) -> Self {
        // Current events carry pA. Models whose input is not an electric current (Izhikevich:
        // mV/ms, FitzHugh–Nagumo, Hindmarsh–Rose: plain numbers) read the number the BrainPy
        // inputs were given in (mA) as a number in their own unit.
        let pa = if D::I_UNIT.dim() == Unit::PicoAmpere.dim() {
            Unit::PicoAmpere.si_factor() / D::I_UNIT.si_factor()
        } else {
            Unit::PicoAmpere.si_factor() / Unit::MilliAmpere.si_factor()
        };
        BpNodes {
            n,
            table: ParamTable::new(D::SPECS, n),
            hard: vec![D::HARD_DEFAULT; n],
            surrogate: vec![0; n],
            recs: Vec::new(),
            ports: Vec::new(),
            i_ext: index_of(D::SPECS, "I_ext").unwrap_or(usize::MAX),
            lin_a: vec![0.0; n],
            lin_b: vec![0.0; n],
            linear: true,
            has_gap: false,
            gap: vec![0.0; n],
            v_col: index_of(D::SPECS, "V").unwrap_or(0),
            phi: vec![0.0; n],
            x: vec![0.0; n],
            spiked: vec![false; n],
            uniform: false,
            hard_all: None,
            ports_primed: 0,
            pa_factor: pa,
            dt: 0.1,
            _d: PhantomData,
        }
    }

    /// One step of neurons `lo..hi`: synapses, outputs, external current, then the neurons
    /// (block update when the model has one, else neuron by neuron); spike flags in `spiked`.
    fn step_range(&mut self, lo: usize, hi: usize, t: f64, dt: f64, inputs: &Inputs<'_>) {
        // Synapses first (brainpy runs AlignPost kinetics before the neuron).
        for (r, rec) in self.recs.iter_mut().enumerate() {
            let input = &inputs.channel(2 + r)[lo..hi];
            match &rec.syn {
                Some(s) => s.step_range(&mut rec.state, lo, input, &mut rec.g[lo..hi], t, dt),
                None => rec.g[lo..hi].copy_from_slice(input),
            }
        }
        let linear = self.linear && !self.recs.is_empty();
        if linear {
            // Fold the outputs into a + b·V (vectorizes; the neuron update then reads two
            // numbers instead of walking the receptors).
            let (la, lb) = (&mut self.lin_a[lo..hi], &mut self.lin_b[lo..hi]);
            la.fill(0.0);
            lb.fill(0.0);
            for rec in &self.recs {
                match rec.out {
                    Output::Coba { e } => with_avx2(
                        #[inline(always)]
                        || fold_coba(la, lb, &rec.g[lo..hi], rec.k, e),
                    ),
                    Output::Cuba { .. } => with_avx2(
                        #[inline(always)]
                        || fold_cuba(la, &rec.g[lo..hi], rec.k),
                    ),
                    Output::MgBlock { .. } | Output::GapValue | Output::GapWeight => {}
                }
            }
        }
        if self.has_gap {
            // brainpy's gap junctions use the potentials at the start of the step and add a
            // constant current: Σ w·V_pre − (Σ w)·V.
            let gap = &mut self.gap[lo..hi];
            gap.fill(0.0);
            let v = &self.table.col(self.v_col)[lo..hi];
            for rec in &self.recs {
                match rec.out {
                    Output::GapValue => {
                        for (x, &g) in gap.iter_mut().zip(&rec.g[lo..hi]) {
                            *x += rec.k * g;
                        }
                    }
                    Output::GapWeight => {
                        for ((x, &g), &vi) in gap.iter_mut().zip(&rec.g[lo..hi]).zip(v) {
                            *x -= rec.k * g * vi;
                        }
                    }
                    _ => {}
                }
            }
        }
        let cur = &inputs.channel(0)[lo..hi];
        let del = &inputs.channel(1)[lo..hi];
        let cols = self.table.cols_mut();
        // External current per neuron (vectorizes; the neuron step then reads one number).
        let ext = if self.i_ext == usize::MAX { None } else { Some(&cols[self.i_ext][lo..hi]) };
        let gap = if self.has_gap { Some(&self.gap[lo..hi]) } else { None };
        let (x, pa) = (&mut self.x[lo..hi], self.pa_factor);
        with_avx2(
            #[inline(always)]
            || external_current(x, cur, pa, ext, gap),
        );
        let block = (linear || self.recs.is_empty())
            && D::step_block(
                cols,
                Block {
                    lo,
                    t,
                    dt,
                    hard: &self.hard[lo..hi],
                    x: &self.x[lo..hi],
                    a: &self.lin_a[lo..hi],
                    b: &self.lin_b[lo..hi],
                    delta: del,
                    uniform: self.uniform,
                    hard_all: self.hard_all,
                },
                &mut self.spiked[lo..hi],
            );
        if block {
            return;
        }
        // Membrane φ for all neurons at once, when the model allows it.
        let use_phi = (linear || self.recs.is_empty()) && D::membrane_jacobian(cols, lo, 0.0).is_some();
        if use_phi {
            for i in lo..hi {
                let b = if linear { self.lin_b[i] } else { 0.0 };
                let j = D::membrane_jacobian(cols, i, b).unwrap_or(0.0);
                self.phi[i] = dt * exprel(dt * j);
            }
        }
        for i in lo..hi {
            let lin = if linear { Some((self.lin_a[i], self.lin_b[i])) } else { None };
            let phi = if use_phi { Some(self.phi[i]) } else { None };
            let inp = Input { recs: &self.recs, i, lin, x: self.x[i], delta: del[i - lo], phi };
            let c = Ctx { t, dt, hard: self.hard[i] };
            self.spiked[i] = D::step(cols, i, &c, &inp);
        }
    }

    /// The unit of a weight on a receptor with output `out` and what the weight multiplies:
    /// spikes (AlignPost, `conductance_input` false), synapse values of an align-pre port
    /// (`conductance_input`, `value` None: weights must be conductances), or a presynaptic
    /// variable in unit `value` (`CurrentProj`). Returns the unit and the factor from
    /// weight × value × output factor to the model's current unit.
    fn receptor_weight_unit(
        &self,
        out: &Output,
        conductance_input: bool,
        value: Option<Unit>,
    ) -> Result<(Quantity, f64)> {
        let v = D::V_UNIT;
        let i = D::I_UNIT;
        let (num_dim, num_si) = out.factor(v);
        let (val_dim, val_si) = value.map_or((Dim::NONE, 1.0), |u| (u.dim(), u.si_factor()));
        // weight dim × value dim × factor dim must be the model's current dim.
        let wdim = i.dim().per(num_dim).per(val_dim);
        let cond = Unit::MilliSiemens;
        let w_si = if wdim == cond.dim() {
            cond.si_factor()
        } else if wdim == i.dim() {
            i.si_factor()
        } else if wdim == Dim::NONE {
            1.0
        } else if value.is_some() {
            match Unit::ALL.iter().find(|u| u.dim() == wdim) {
                Some(u) => u.si_factor(),
                None => {
                    return Err(Error::bad_property(format!(
                        "{}: {} of a {} into {} needs weights of dimension {}, which has no unit here",
                        D::NAME,
                        out.name(),
                        val_dim.name(),
                        D::NAME,
                        wdim.name()
                    )))
                }
            }
        } else {
            i.si_factor() / v.si_factor()
        };
        if conductance_input && value.is_none() && wdim != cond.dim() {
            return Err(Error::bad_property(format!(
                "{}: align-pre synapses send conductances (mS), but {} into {} needs a {}",
                D::NAME,
                out.name(),
                D::NAME,
                wdim.name()
            )));
        }
        let k = w_si * val_si * num_si / i.si_factor();
        Ok((Quantity { si: w_si, dim: wdim }, k))
    }
}

fn sub_dict<'a>(spec: &'a Dict, key: &str) -> Result<Option<&'a Dict>> {
    match spec.get(key) {
        None => Ok(None),
        Some(Value::Dict(d)) => Ok(Some(d)),
        Some(other) => Err(Error::argument_type(format!(
            "'{key}' must be a dictionary with a /model entry, got {}",
            other.type_name()
        ))),
    }
}

fn check_keys(spec: &Dict, allowed: &[&str], what: &str) -> Result<()> {
    for k in spec.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(Error::bad_property(format!("{what}: unknown entry '{k}' (expected {})", allowed.join(", "))));
        }
    }
    Ok(())
}

impl<D: Dyn> Node for BpNodes<D> {
    fn len(&self) -> usize {
        self.n
    }
    fn table(&self) -> &ParamTable {
        &self.table
    }
    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.table
    }
    fn validate(&self, row: &[f64]) -> Result<()> {
        for (s, &x) in D::SPECS.iter().zip(row) {
            if s.name.starts_with("tau") && x <= 0.0 && !(s.name == "tau_ref" && x == 0.0) {
                return Err(Error::bad_property(format!(
                    "{}: time constant {} must be positive, got {x} {}",
                    D::NAME,
                    s.name,
                    s.unit.symbol()
                )));
            }
            if s.name == "tau_ref" && x < 0.0 {
                return Err(Error::bad_property(format!(
                    "{}: refractory period tau_ref must not be negative, got {x} ms",
                    D::NAME
                )));
            }
        }
        D::validate(row)
    }
    fn extra_keys(&self) -> &'static [&'static str] {
        &["spk_reset", "spk_fun"]
    }
    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("spk_reset".into(), Value::Str(if self.hard[i] { "hard" } else { "soft" }.into()));
        d.insert("spk_fun".into(), Value::Str(SURROGATES[self.surrogate[i] as usize].into()));
        d.insert("receptors".into(), Value::Int(self.recs.len() as i64 + 2));
    }
    fn set_extra(&mut self, i: usize, rest: &[(&str, &Value)], _row: &[f64], model: &str) -> Result<()> {
        let mut hard = self.hard[i];
        let mut sur = self.surrogate[i];
        for (k, v) in rest {
            match *k {
                "spk_reset" => {
                    hard = match v.as_str(k)? {
                        "soft" => false,
                        "hard" => true,
                        other => {
                            return Err(Error::bad_property(format!(
                                "{model}: spk_reset must be 'soft' or 'hard', got '{other}'"
                            )))
                        }
                    }
                }
                "spk_fun" => {
                    let s = v.as_str(k)?;
                    sur = SURROGATES.iter().position(|x| *x == s).ok_or_else(|| {
                        Error::bad_property(format!(
                            "{model}: unknown surrogate function '{s}' for spk_fun (one of {})",
                            SURROGATES.join(", ")
                        ))
                    })? as u8;
                }
                other => {
                    let mut known: Vec<&str> = D::SPECS.iter().map(|s| s.name).collect();
                    known.extend(["spk_reset", "spk_fun"]);
                    return Err(nestor_kernel::schema::unknown_key(model, other, &known));
                }
            }
        }
        self.hard[i] = hard;
        self.surrogate[i] = sur;
        Ok(())
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.dt = env.resolution;
        self.uniform = D::SPECS.iter().enumerate().filter(|(_, s)| !s.state).all(|(k, _)| {
            let col = self.table.col(k);
            col.iter().all(|x| x.to_bits() == col[0].to_bits())
        });
        self.hard_all = match self.hard.first() {
            Some(&h) if self.hard.iter().all(|&x| x == h) => Some(h),
            _ => None,
        };
        for r in &mut self.recs {
            if let Some(s) = &r.syn {
                r.state.prepare(s, env.resolution);
            }
        }
        for p in &mut self.ports {
            p.state.prepare(&p.syn, env.resolution);
        }
        Ok(())
    }
    fn channels(&self) -> usize {
        2 + self.recs.len()
    }
    fn route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Result<Route> {
        let bad = |why: &str| Error::new(ErrorKind::IllegalConnection, format!("{}: {why}", D::NAME));
        match receptor {
            0 if kind == EventKind::Current => Ok(Route::weighted(0)),
            0 => Err(bad("receptor 0 takes currents; spikes go to an AlignPost receptor or to receptor 1 (delta)")),
            1 if kind.is_spike() => Ok(Route::weighted(1)),
            1 => Err(bad("receptor 1 adds spikes to V (DeltaProj); currents go to receptor 0")),
            r if r >= 2 && ((r - 2) as usize) < self.recs.len() => {
                let rec = &self.recs[(r - 2) as usize];
                match (rec.syn.is_some(), kind.is_spike(), kind == EventKind::Current) {
                    (true, true, _) | (false, _, true) => Ok(Route::weighted(r as u16)),
                    (true, _, _) => Err(bad(&format!("receptor {r} (AlignPost) takes spikes"))),
                    (false, _, _) => Err(bad(&format!("receptor {r} takes conductances from an align-pre port"))),
                }
            }
            r => Err(Error::new(
                ErrorKind::UnknownReceptorType,
                format!("Receptor type {r} is not available in {} (it has {})", D::NAME, self.recs.len() + 2),
            )),
        }
    }
    fn weight_unit(&self, receptor: i64) -> Option<Quantity> {
        match receptor {
            0 => Some(Quantity::new(1.0, Unit::Dimensionless)),
            1 => Some(Quantity::new(1.0, D::DELTA_UNIT)),
            r if r >= 2 => self.recs.get((r - 2) as usize).map(|x| x.w_unit),
            _ => None,
        }
    }
    fn add_receptor(&mut self, spec: &Dict) -> Result<i64> {
        if let Some(g) = spec.get("gap") {
            check_keys(spec, &["gap"], "gap-junction receptor")?;
            let out = match g.as_str("gap")? {
                "value" => Output::GapValue,
                "weight" => Output::GapWeight,
                other => {
                    return Err(Error::bad_property(format!("receptor /gap must be /value or /weight, got '{other}'")))
                }
            };
            if index_of(D::SPECS, "V").is_none() {
                return Err(Error::bad_property(format!("{} has no state V to couple", D::NAME)));
            }
            let (w_unit, k) = self.receptor_weight_unit(&Output::Coba { e: 0.0 }, false, None)?;
            self.recs.push(Receptor { syn: None, state: SynState::default(), out, k, w_unit, g: vec![0.0; self.n] });
            self.has_gap = true;
            return Ok(self.recs.len() as i64 + 1);
        }
        check_keys(spec, &["synapse", "output", "value_unit"], "receptor")?;
        let out_d = sub_dict(spec, "output")?
            .ok_or_else(|| Error::bad_property("receptor: needs an /output dictionary (COBA, CUBA or MgBlock)"))?;
        let out = Output::from_dict(out_d, D::V_UNIT)?;
        let syn = match sub_dict(spec, "synapse")? {
            Some(d) => {
                let s = SynKind::from_dict(d)?;
                if !s.is_linear() {
                    return Err(Error::bad_property(format!(
                        "{} cannot be aligned post-synaptically: its kinetics are non-linear in the input \
                         (the transmitter pulse saturates and depends on each presynaptic spike time), so \
                         summing the inputs of many presynaptic neurons into one state per postsynaptic \
                         neuron would change the result. Use an align-pre projection (state per \
                         presynaptic neuron) or a linear synapse (Expon, DualExpon, Alpha).",
                        s.name()
                    )));
                }
                Some(s)
            }
            None => None,
        };
        if syn.is_some() {
            if let Some(pos) = self.recs.iter().position(|r| r.syn.is_some() && r.syn == syn && r.out == out) {
                return Ok(pos as i64 + 2);
            }
        }
        let value_unit = match spec.get("value_unit") {
            None => None,
            Some(v) => {
                let sym = v.as_str("value_unit")?;
                Some(
                    *Unit::ALL
                        .iter()
                        .find(|u| u.symbol() == sym)
                        .ok_or_else(|| Error::bad_property(format!("receptor /value_unit: unknown unit '{sym}'")))?,
                )
            }
        };
        if syn.is_some() && value_unit.is_some() {
            return Err(Error::bad_property("receptor: /value_unit is for inputs without a /synapse (CurrentProj)"));
        }
        let (w_unit, k) = self.receptor_weight_unit(&out, syn.is_none(), value_unit)?;
        let state = syn.as_ref().map(|s| SynState::new(s, self.n)).unwrap_or_default();
        self.linear &= !matches!(out, Output::MgBlock { .. });
        self.recs.push(Receptor { syn, state, out, k, w_unit, g: vec![0.0; self.n] });
        Ok(self.recs.len() as i64 + 1)
    }
    fn add_output_port(&mut self, spec: &Dict) -> Result<u16> {
        if let Some(src) = spec.get("source") {
            check_keys(spec, &["source"], "port")?;
            let source = match src.as_str("source")? {
                "one" => PortSource::One,
                name => PortSource::Column(index_of(D::SPECS, name).ok_or_else(|| {
                    let names: Vec<&str> = D::SPECS.iter().map(|s| s.name).collect();
                    Error::bad_property(format!(
                        "{} has no variable '{name}' to send (port /source: /one or one of {})",
                        D::NAME,
                        names.join(", ")
                    ))
                })?),
            };
            let syn = SynKind::Expon { tau: 1.0 };
            let state = SynState::default();
            self.ports.push(Port { source, stp: None, stp_state: Vec::new(), syn, state });
            return Ok(self.ports.len() as u16);
        }
        check_keys(spec, &["synapse", "stp"], "align-pre port")?;
        let syn_d = sub_dict(spec, "synapse")?
            .ok_or_else(|| Error::bad_property("align-pre port: needs a /synapse dictionary"))?;
        let syn = SynKind::from_dict(syn_d)?;
        let stp = match sub_dict(spec, "stp")? {
            Some(d) => Some(Plasticity::from_dict(d)?),
            None => None,
        };
        let stp_state = vec![stp.as_ref().map_or([1.0, 0.0], |p| p.initial()); self.n];
        let state = SynState::new(&syn, self.n);
        self.ports.push(Port { source: PortSource::Synapse, stp, stp_state, syn, state });
        Ok(self.ports.len() as u16)
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Spike)
    }
    fn update(&mut self, ctx: &StepCtx, inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let dt = ctx.h;
        let t = ctx.t as f64 * dt;
        let t_next = (ctx.t + 1) as f64 * dt;
        // Every stage of a step is local to a neuron, so the chunk is stepped in tiles: the
        // per-step arrays (synapse outputs, folded currents, φ) are then still in the L1 cache
        // when the next stage reads them.
        let mut lo = 0;
        while lo < self.n {
            let hi = (lo + TILE).min(self.n);
            self.step_range(lo, hi, t, dt, inputs);
            lo = hi;
        }
        // Spikes are sparse: skip blocks of 16 flags with none set.
        for (k, flags) in self.spiked.chunks(16).enumerate() {
            if flags.iter().fold(false, |any, &s| any | s) {
                for (j, _) in flags.iter().enumerate().filter(|(_, &s)| s) {
                    out.spike(k * 16 + j);
                }
            }
        }
        if self.ports.is_empty() {
            return;
        }
        let table = &self.table;
        for (i, &spiked) in self.spiked.iter().enumerate() {
            let s = if spiked { 1.0 } else { 0.0 };
            // Align-pre ports compute next step's synapse value from this step's spike (brainpy
            // runs them at the start of the next step with the same inputs).
            for (p, port) in self.ports.iter_mut().enumerate() {
                match port.source {
                    PortSource::Synapse => {}
                    PortSource::Column(k) => {
                        let v = table.get(k, i);
                        if v != 0.0 {
                            out.port_value(p as u16 + 1, i, v);
                        }
                        continue;
                    }
                    PortSource::One => {
                        out.port_value(p as u16 + 1, i, 1.0);
                        continue;
                    }
                }
                let x = match &port.stp {
                    Some(st) => st.step(&mut port.stp_state[i], s, dt),
                    None => s,
                };
                let g = port.syn.step(&mut port.state, i, x, t_next, dt);
                if g != 0.0 {
                    out.port_value(p as u16 + 1, i, g);
                }
            }
        }
    }
    fn initial_port_values(&mut self, out: &mut Emitter<'_>) {
        for (p, port) in self.ports.iter().enumerate().skip(self.ports_primed) {
            let id = p as u16 + 1;
            match port.source {
                PortSource::Column(k) => {
                    for (i, &v) in self.table.col(k).iter().enumerate() {
                        if v != 0.0 {
                            out.port_value(id, i, v);
                        }
                    }
                }
                PortSource::One => (0..self.n).for_each(|i| out.port_value(id, i, 1.0)),
                // Synapse states start at zero.
                PortSource::Synapse => {}
            }
        }
        self.ports_primed = self.ports.len();
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(D::RECORDABLES)
    }
    fn read(&self, var: usize, i: usize) -> f64 {
        D::RECORDABLES.get(var).and_then(|name| index_of(D::SPECS, name)).map_or(0.0, |k| self.table.get(k, i))
    }
}

/// The LIF family's reset at the start of a step: the potential after subtracting
/// `V_th − V_reset` (soft) or `V − V_reset` (hard) when the last step ended with a spike.
#[inline]
pub(crate) fn lif_reset(last_v: f64, v_th: f64, v_reset: f64, hard: bool) -> f64 {
    lif_block::lif_reset_in(lif_block::General, last_v, v_th, v_reset, hard)
}

/// The LIF family's spike test.
#[inline]
pub(crate) fn lif_spike(v: f64, v_th: f64, v_reset: f64) -> bool {
    scaled_nonneg(v - v_th, v_th - v_reset)
}

/// `x / d >= 0` without the division (it sits on the critical path of every neuron update):
/// the same answer for every finite `x` and `d`, including −0 and `d = 0`.
#[inline]
pub(crate) fn scaled_nonneg(x: f64, d: f64) -> bool {
    // Non-short-circuit operators: no branch, so block updates vectorize it. A NaN `d` gives
    // false, as `x / d >= 0` does.
    let zero = d == 0.0;
    let neg0 = d.is_sign_negative();
    ((d > 0.0) & (x >= 0.0)) | ((d < 0.0) & (x <= 0.0)) | (zero & neg0 & (x < 0.0)) | (zero & !neg0 & (x > 0.0))
}

/// ExpIF's spike-initiation term Δ_T·exp(min((V − V_T)/Δ_T, 20)) and its derivative.
#[inline]
pub(crate) fn exp_term(v: f64, v_t: f64, d_t: f64) -> (f64, f64) {
    let arg = (v - v_t) / d_t;
    if arg < 20.0 {
        let e = arg.exp();
        (d_t * e, e)
    } else {
        (d_t * 20f64.exp(), 0.0)
    }
}

/// Reads column `k` of neuron `i`.
#[inline]
pub(crate) fn p(c: &[Vec<f64>], k: usize, i: usize) -> f64 {
    c[k][i]
}

/// Registers every model of the family.
pub fn register(reg: &mut Registry) {
    reg.add_model(Arc::new(BpModel::<if_::If>::default()));
    reg.add_model(Arc::new(BpModel::<lif::Lif>::default()));
    reg.add_model(Arc::new(BpModel::<lif_ref::LifRef>::default()));
    reg.add_model(Arc::new(BpModel::<alif::Alif>::default()));
    reg.add_model(Arc::new(BpModel::<exp_if::ExpIf>::default()));
    reg.add_model(Arc::new(BpModel::<exp_if_ref::ExpIfRef>::default()));
    reg.add_model(Arc::new(BpModel::<adex_if::AdExIf>::default()));
    reg.add_model(Arc::new(BpModel::<adex_if_ref::AdExIfRef>::default()));
    reg.add_model(Arc::new(BpModel::<qua_if::QuaIf>::default()));
    reg.add_model(Arc::new(BpModel::<adqua_if::AdQuaIf>::default()));
    reg.add_model(Arc::new(BpModel::<adqua_if_ref::AdQuaIfRef>::default()));
    reg.add_model(Arc::new(BpModel::<gif::Gif>::default()));
    reg.add_model(Arc::new(BpModel::<gif_ref::GifRef>::default()));
    reg.add_model(Arc::new(BpModel::<cuba_lif::CubaLif>::default()));
    reg.add_model(Arc::new(BpModel::<coba_lif::CobaLif>::default()));
    reg.add_model(Arc::new(BpModel::<hh::Hh>::default()));
    reg.add_model(Arc::new(BpModel::<morris_lecar::MorrisLecar>::default()));
    reg.add_model(Arc::new(BpModel::<wang_buzsaki_hh::WangBuzsakiHh>::default()));
    reg.add_model(Arc::new(BpModel::<izhikevich::Izhikevich>::default()));
    reg.add_model(Arc::new(BpModel::<izhikevich_ref::IzhikevichRef>::default()));
    reg.add_model(Arc::new(BpModel::<fitzhugh_nagumo::FitzHughNagumo>::default()));
    reg.add_model(Arc::new(BpModel::<hindmarsh_rose::HindmarshRose>::default()));
    reg.add_model(Arc::new(readout::LeakyRateReadout));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exprel_matches_its_definition() {
        assert_eq!(exprel(0.0), 1.0);
        for z in [-0.005f64, 0.03, -0.049, 0.2, -3.0] {
            assert!((exprel(z) - z.exp_m1() / z).abs() < 4e-16, "{z}");
        }
        assert!((exprel(1e-8) - 1.000000005).abs() < 1e-15);
    }

    #[test]
    fn division_free_spike_test_agrees() {
        for x in [-1.0, -0.0, 0.0, 1e-300, 2.0, -3.5] {
            for d in [-2.0, -0.0, 0.0, 1.0, 1e-300] {
                assert_eq!(scaled_nonneg(x, d), heaviside(x / d) > 0.0, "{x} / {d}");
            }
        }
    }

    #[test]
    fn exp_euler_is_exact_for_linear_decay() {
        let (x, tau, dt) = (2.0, 5.0, 0.1);
        let y = exp_euler(x, -x / tau, -1.0 / tau, dt);
        assert!((y - x * (-dt / tau).exp()).abs() < 1e-15);
    }
}
