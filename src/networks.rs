//! Reference networks used by the examples, the benchmark and the tests.

use crate::{dict, ConnSpec, Kernel, NodeCollection, Result, Rule, SynSpec};

/// Parameters of the Brunel (2000) balanced network as in NEST's `brunel_delta_nest` example.
#[derive(Debug, Clone)]
pub struct BrunelParams {
    /// Excitatory neurons (NEST: 4·order = 10000).
    pub ne: usize,
    /// Inhibitory neurons (NEST: order = 2500).
    pub ni: usize,
    /// Excitatory synapses per neuron (10 % of NE).
    pub ce: usize,
    /// Inhibitory synapses per neuron (10 % of NI).
    pub ci: usize,
    /// Excitatory weight (mV).
    pub j: f64,
    /// Relative inhibitory strength.
    pub g: f64,
    /// External rate relative to threshold rate.
    pub eta: f64,
    /// Synaptic delay (ms).
    pub delay: f64,
    /// Record spikes of all neurons (otherwise none).
    pub record_spikes: bool,
    /// Number of neurons whose V_m is recorded.
    pub record_vm: usize,
    /// Recording backend ("memory" or "hdf5").
    pub record_to: String,
}

impl BrunelParams {
    /// The full network of design.md §9 scaled by `scale` (1.0 = 12 500 neurons, 15.6 M synapses).
    pub fn scaled(scale: f64) -> Self {
        let ne = (10000.0 * scale).round() as usize;
        let ni = (2500.0 * scale).round() as usize;
        BrunelParams {
            ne,
            ni,
            ce: (ne / 10).max(1),
            ci: (ni / 10).max(1),
            j: 0.1,
            g: 5.0,
            eta: 2.0,
            delay: 1.5,
            record_spikes: true,
            record_vm: 0,
            record_to: "memory".into(),
        }
    }
}

/// The nodes of a built Brunel network.
#[derive(Debug, Clone)]
pub struct Brunel {
    /// Excitatory population.
    pub exc: NodeCollection,
    /// Inhibitory population.
    pub inh: NodeCollection,
    /// Spike recorder (all neurons), if recording.
    pub spikes: Option<NodeCollection>,
    /// Voltmeter, if recording V_m.
    pub vm: Option<NodeCollection>,
}

/// Builds the Brunel network into `k`.
pub fn brunel(k: &mut Kernel, p: &BrunelParams) -> Result<Brunel> {
    let tau_m = 20.0;
    let theta = 20.0;
    let neuron = dict! {
        "C_m" => 1.0, "tau_m" => tau_m, "t_ref" => 2.0, "E_L" => 0.0,
        "V_reset" => 10.0, "V_m" => 0.0, "V_th" => theta
    };
    let exc = k.create("iaf_psc_delta", p.ne, Some(&neuron))?;
    let inh = k.create("iaf_psc_delta", p.ni, Some(&neuron))?;
    let nu_th = theta / (p.j * p.ce as f64 * tau_m);
    let p_rate = 1000.0 * p.eta * nu_th * p.ce as f64;
    let noise = k.create("poisson_generator", 1, Some(&dict! { "rate" => p_rate }))?;
    let all = exc.join(&inh);
    let ex_syn = SynSpec::new().weight(p.j).delay(p.delay);
    let in_syn = SynSpec::new().weight(-p.g * p.j).delay(p.delay);
    k.connect(&noise, &all, &ConnSpec::new(Rule::AllToAll), &ex_syn)?;
    k.connect(&exc, &all, &ConnSpec::new(Rule::FixedIndegree(p.ce)), &ex_syn)?;
    k.connect(&inh, &all, &ConnSpec::new(Rule::FixedIndegree(p.ci)), &in_syn)?;
    let spikes = if p.record_spikes {
        let sr = k.create(
            "spike_recorder",
            1,
            Some(&dict! { "record_to" => p.record_to.as_str(), "label" => "brunel_spikes" }),
        )?;
        k.connect(&all, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
        Some(sr)
    } else {
        None
    };
    let vm = if p.record_vm > 0 {
        let vm = k.create(
            "voltmeter",
            1,
            Some(&dict! { "record_to" => p.record_to.as_str(), "label" => "brunel_vm", "interval" => 0.1 }),
        )?;
        let some = exc.slice(0, p.record_vm.min(exc.len()), 1)?;
        k.connect(&vm, &some, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
        Some(vm)
    } else {
        None
    };
    Ok(Brunel { exc, inh, spikes, vm })
}

/// NEST's hpc_benchmark network (Kunkel et al. 2014; `examples/nest/hpc_benchmark.sli`) scaled:
/// NE = 9000·scale, NI = 2250·scale iaf_psc_alpha neurons (C_m 250 pF, tau_m 10 ms, t_ref
/// 0.5 ms, V_th 20 mV, V_reset 0, tau_syn 0.3258 ms, tau_minus 30 ms, V_m 5.7 mV), fixed
/// indegree 10 % of each population, E->E through `stdp_pl_synapse_hom` (alpha 0.0513, lambda
/// 0.1, mu 0.4, tau_plus 15 ms), JE = 45.61 pA (0.14 mV EPSP peak), g = -5, delay 1.5 ms,
/// Poisson drive at eta = 1.685 times the threshold rate; spikes of all neurons recorded.
/// (NEST's script also draws V_m and the E->E weights from normal distributions; this version
/// keeps them fixed so both simulators build the same network from the same description.)
pub fn hpc_benchmark(k: &mut Kernel, scale: f64) -> Result<Brunel> {
    let ne = (9000.0 * scale).round() as usize;
    let ni = (2250.0 * scale).round() as usize;
    let (ce, ci) = ((ne / 10).max(1), (ni / 10).max(1));
    let tau_syn = 0.325_827_224_037_228_4;
    let je = 45.61;
    let neuron = dict! {
        "E_L" => 0.0, "C_m" => 250.0, "tau_m" => 10.0, "t_ref" => 0.5, "V_th" => 20.0, "V_reset" => 0.0,
        "tau_syn_ex" => tau_syn, "tau_syn_in" => tau_syn, "tau_minus" => 30.0, "V_m" => 5.7
    };
    let exc = k.create("iaf_psc_alpha", ne, Some(&neuron))?;
    let inh = k.create("iaf_psc_alpha", ni, Some(&neuron))?;
    let all = exc.join(&inh);
    let nu_th = 20.0 / (ce as f64 * 10.0 / 250.0 * je * std::f64::consts::E * tau_syn);
    let noise = k.create("poisson_generator", 1, Some(&dict! { "rate" => 1.685 * nu_th * ce as f64 * 1000.0 }))?;
    if k.registry().synapse_id("stdp_pl_hpc").is_err() {
        k.copy_model(
            "stdp_pl_synapse_hom",
            "stdp_pl_hpc",
            &dict! { "alpha" => 0.0513, "lambda" => 0.1, "mu" => 0.4, "tau_plus" => 15.0 },
        )?;
    }
    let ex = SynSpec::new().weight(je).delay(1.5);
    k.connect(&noise, &all, &ConnSpec::new(Rule::AllToAll), &ex)?;
    let stdp = SynSpec::new().model("stdp_pl_hpc").weight(je).delay(1.5);
    k.connect(&exc, &exc, &ConnSpec::new(Rule::FixedIndegree(ce)), &stdp)?;
    k.connect(&exc, &inh, &ConnSpec::new(Rule::FixedIndegree(ce)), &ex)?;
    k.connect(&inh, &all, &ConnSpec::new(Rule::FixedIndegree(ci)), &SynSpec::new().weight(-5.0 * je).delay(1.5))?;
    let sr = k.create("spike_recorder", 1, None)?;
    k.connect(&all, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    Ok(Brunel { exc, inh, spikes: Some(sr), vm: None })
}

/// The Brette et al. (2007) COBA benchmarks as NEST's `Brette_et_al_2007` examples define them
/// (Vogels & Abbott 2005 network): NE = 3200·scale, NI = 800·scale neurons of `model`
/// (`iaf_cond_exp`: COBA, `hh_cond_exp_traub`: HH-COBA) with the examples' parameters, fixed
/// indegree 2 % of each population (E 6 nS, I −67 nS conductance jumps, delay 0.1 ms), an
/// initial 300 Hz Poisson stimulus from 1 to 51 ms to the first 50 excitatory neurons, and the
/// spikes of all neurons recorded. Whether the activity survives the stimulus depends on the
/// random connectivity (in NEST as here); the benchmark's seed keeps it going in both.
pub fn brette_coba(k: &mut Kernel, model: &str, scale: f64) -> Result<Brunel> {
    let ne = ((3200.0 * scale).round() as usize).max(1);
    let ni = ((800.0 * scale).round() as usize).max(1);
    let common = dict! {
        "E_L" => -60.0, "g_L" => 10.0, "C_m" => 200.0, "E_ex" => 0.0, "E_in" => -80.0,
        "tau_syn_ex" => 5.0, "tau_syn_in" => 10.0
    };
    let specific = match model {
        "hh_cond_exp_traub" => dict! { "g_Na" => 20000.0, "g_K" => 6000.0, "E_Na" => 50.0, "E_K" => -90.0 },
        _ => dict! { "V_th" => -50.0, "V_reset" => -60.0, "t_ref" => 5.0 },
    };
    let mut params = common;
    params.extend(specific);
    let exc = k.create(model, ne, Some(&params))?;
    let inh = k.create(model, ni, Some(&params))?;
    let all = exc.join(&inh);
    let (ce, ci) = ((0.02 * ne as f64) as usize, (0.02 * ni as f64) as usize);
    let ex = SynSpec::new().weight(6.0).delay(0.1);
    let inh_syn = SynSpec::new().weight(-67.0).delay(0.1);
    k.connect(&exc, &all, &ConnSpec::new(Rule::FixedIndegree(ce.max(1))), &ex)?;
    k.connect(&inh, &all, &ConnSpec::new(Rule::FixedIndegree(ci.max(1))), &inh_syn)?;
    let stim = k.create(
        "poisson_generator",
        1,
        Some(&dict! { "rate" => 300.0, "start" => 1.0, "stop" => 51.0, "origin" => 0.0 }),
    )?;
    k.connect(&stim, &exc.slice(0, 50.min(ne), 1)?, &ConnSpec::new(Rule::AllToAll), &ex)?;
    let sr = k.create("spike_recorder", 1, None)?;
    k.connect(&all, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    Ok(Brunel { exc, inh, spikes: Some(sr), vm: None })
}

/// An adaptive exponential integrate-and-fire network: NE = 8000·scale, NI = 2000·scale
/// `aeif_cond_alpha` neurons with NEST's defaults (Brette & Gerstner 2005), fixed indegree 2 %
/// of each population (E 1 nS, I −4 nS, delay 1.5 ms), every neuron driven by an 8 kHz Poisson
/// train of 4 nS conductance jumps (delay 1 ms); the spikes of all neurons recorded. At scale 1
/// (10 000 neurons, 2 M synapses) it fires at about 15 Hz.
pub fn aeif_network(k: &mut Kernel, scale: f64) -> Result<Brunel> {
    let ne = ((8000.0 * scale).round() as usize).max(1);
    let ni = ((2000.0 * scale).round() as usize).max(1);
    let exc = k.create("aeif_cond_alpha", ne, None)?;
    let inh = k.create("aeif_cond_alpha", ni, None)?;
    let all = exc.join(&inh);
    let (ce, ci) = ((0.02 * ne as f64) as usize, (0.02 * ni as f64) as usize);
    let drive = k.create("poisson_generator", 1, Some(&dict! { "rate" => 8000.0 }))?;
    k.connect(&drive, &all, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(4.0).delay(1.0))?;
    k.connect(&exc, &all, &ConnSpec::new(Rule::FixedIndegree(ce.max(1))), &SynSpec::new().weight(1.0).delay(1.5))?;
    k.connect(&inh, &all, &ConnSpec::new(Rule::FixedIndegree(ci.max(1))), &SynSpec::new().weight(-4.0).delay(1.5))?;
    let sr = k.create("spike_recorder", 1, None)?;
    k.connect(&all, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    Ok(Brunel { exc, inh, spikes: Some(sr), vm: None })
}
