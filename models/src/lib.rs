//! # nestor-models
//!
//! NEST-family neuron and synapse models for nestor, one file per model. Each model file is the
//! model's manual: its `//!` block gives the summary, equations, parameter table with NEST's names,
//! units and defaults, state and recordables, references, events and "see also".
//!
//! Main design choice: a model is a factory ([`nestor_kernel::model::Model`]) of *chunks*
//! ([`nestor_kernel::model::Node`]) holding a contiguous range of neurons as structure of arrays.
//! Parameters and status-visible state live in the kernel's schema-driven
//! [`nestor_kernel::schema::ParamTable`]; internal state and the propagators computed in
//! `prepare` live in plain vectors beside it, so `update` is arithmetic over slices, with no
//! allocation. Linear models reproduce NEST's exact integration, including the order of
//! floating-point operations, so traces match NEST to rounding and spikes to the step.
//!
//! The kernel never names a concrete model: the facade crate calls [`register_all`].
//!
//! | model | kind | file |
//! |-------|------|------|
//! | `iaf_psc_alpha` | neuron | [`iaf_psc_alpha`] |
//! | `iaf_psc_exp` | neuron | [`iaf_psc_exp`] |
//! | `iaf_psc_delta` | neuron | [`iaf_psc_delta`] |
//! | `parrot_neuron` | neuron | [`parrot_neuron`] |
//! | `iaf_cond_exp` | neuron | [`iaf_cond_exp`] |
//! | `iaf_cond_alpha` | neuron | [`iaf_cond_alpha`] |
//! | `hh_cond_exp_traub` | neuron | [`hh_cond_exp_traub`] |
//! | `aeif_cond_alpha` | neuron | [`aeif_cond_alpha`] |
//! | `aeif_cond_exp` | neuron | [`aeif_cond_exp`] |
//! | `aeif_psc_alpha` | neuron | [`aeif_psc_alpha`] |
//! | `aeif_psc_exp` | neuron | [`aeif_psc_exp`] |
//! | `aeif_psc_delta` | neuron | [`aeif_psc_delta`] |
//! | `aeif_cond_alpha_multisynapse` | neuron | [`aeif_cond_alpha_multisynapse`] |
//! | `aeif_cond_beta_multisynapse` | neuron | [`aeif_cond_beta_multisynapse`] |
//! | `izhikevich` | neuron | [`izhikevich`] |
//! | `hh_psc_alpha` | neuron | [`hh_psc_alpha`] |
//! | `iaf_cond_beta` | neuron | [`iaf_cond_beta`] |
//! | `iaf_cond_exp_sfa_rr` | neuron | [`iaf_cond_exp_sfa_rr`] |
//! | `mat2_psc_exp` | neuron | [`mat2_psc_exp`] |
//! | `amat2_psc_exp` | neuron | [`amat2_psc_exp`] |
//! | `iaf_psc_exp_htum` | neuron | [`iaf_psc_exp_htum`] |
//! | `iaf_chxk_2008` | neuron | [`iaf_chxk_2008`] |
//! | `ignore_and_fire` | neuron | [`ignore_and_fire`] |
//! | `iaf_tum_2000` | neuron | [`iaf_tum_2000`] |
//! | `iaf_chs_2007` | neuron | [`iaf_chs_2007`] |
//! | `iaf_bw_2001` | neuron | [`iaf_bw_2001`] |
//! | `iaf_bw_2001_exact` | neuron | [`iaf_bw_2001_exact`] |
//! | `iaf_psc_exp_multisynapse` | neuron | [`iaf_psc_exp_multisynapse`] |
//! | `iaf_psc_alpha_multisynapse` | neuron | [`iaf_psc_alpha_multisynapse`] |
//! | `glif_psc` | neuron | [`glif_psc`] |
//! | `glif_cond` | neuron | [`glif_cond`] |
//! | `glif_psc_double_alpha` | neuron | [`glif_psc_double_alpha`] |
//! | `pp_psc_delta` | neuron | [`pp_psc_delta`] |
//! | `gif_psc_exp` | neuron | [`gif_psc_exp`] |
//! | `gif_cond_exp` | neuron | [`gif_cond_exp`] |
//! | `gif_psc_exp_multisynapse` | neuron | [`gif_psc_exp_multisynapse`] |
//! | `gif_cond_exp_multisynapse` | neuron | [`gif_cond_exp_multisynapse`] |
//! | `gif_pop_psc_exp` | population neuron | [`gif_pop_psc_exp`] |
//! | `ginzburg_neuron` | binary neuron | [`ginzburg_neuron`] |
//! | `mcculloch_pitts_neuron` | binary neuron | [`mcculloch_pitts_neuron`] |
//! | `erfc_neuron` | binary neuron | [`erfc_neuron`] |
//! | `ht_neuron` | neuron | [`ht_neuron`] |
//! | `static_synapse` | synapse | [`static_synapse`] |
//! | `stdp_synapse` | synapse | [`stdp_synapse`] |
//! | `stdp_pl_synapse_hom` | synapse | [`stdp_pl_synapse_hom`] |
//! | `tsodyks2_synapse` | synapse | [`tsodyks2_synapse`] |
//! | `static_synapse_hom_w` | synapse | [`static_synapse_hom_w`] |
//! | `stdp_synapse_hom` | synapse | [`stdp_synapse_hom`] |
//! | `tsodyks_synapse` | synapse | [`tsodyks_synapse`] |
//! | `stdp_triplet_synapse` | synapse | [`stdp_triplet_synapse`] |
//! | `stdp_nn_symm_synapse` | synapse | [`stdp_nn_symm_synapse`] |
//! | `stdp_nn_pre_centered_synapse` | synapse | [`stdp_nn_pre_centered_synapse`] |
//! | `stdp_nn_restr_synapse` | synapse | [`stdp_nn_restr_synapse`] |
//! | `vogels_sprekeler_synapse` | synapse | [`vogels_sprekeler_synapse`] |
//! | `quantal_stp_synapse` | synapse | [`quantal_stp_synapse`] |
//! | `bernoulli_synapse` | synapse | [`bernoulli_synapse`] |
//! | `ht_synapse` | synapse | [`ht_synapse`] |
//!
//! [`neuron`] is the model-authoring base (declared table + dynamics → a complete `Node`);
//! [`aeif`] the AdEx family's shared parameters and spike handling, [`glif`] the GLIF models'
//! status and mechanisms, [`gif`] the GIF models' adaptation lists, checks and escape-noise
//! spiking, [`multisynapse`] the per-port lists of the multisynapse models. The stochastic
//! neurons (`pp_psc_delta`, the GIF models, the population model `gif_pop_psc_exp`) draw from per-neuron random streams keyed by the
//! kernel's seed and the node id ([`neuron::neuron_streams`]).
//!
//! [`stdp_rules`] holds what the STDP models share (Gütig's power-law updates, parameter checks).
//!
//! [`numerics`] holds what the integrate-and-fire models share: NEST's ms → steps rounding,
//! its `expm1`, and the exact-integration propagators with NEST's handling of τ_m = τ_syn.
//! [`rkf45`] is the adaptive Runge–Kutta–Fehlberg integrator with the error control NEST's
//! GSL-integrated models use (the conductance and Hodgkin–Huxley models).
//! `tests/nest_reference.rs` replays NEST 3.10 traces (generated by
//! `tests/nest/generate_reference.py`) and finds them reproduced bit for bit.
#![deny(missing_docs)]

pub mod aeif;
pub mod aeif_cond_alpha;
pub mod aeif_cond_alpha_multisynapse;
pub mod aeif_cond_beta_multisynapse;
pub mod aeif_cond_exp;
pub mod aeif_psc_alpha;
pub mod aeif_psc_delta;
pub mod aeif_psc_exp;
pub mod amat2_psc_exp;
pub mod bernoulli_synapse;
pub mod binary;
pub mod brainpy;
pub mod erfc_neuron;
pub mod fastmath;
pub mod gif;
pub mod gif_cond_exp;
pub mod gif_cond_exp_multisynapse;
pub mod gif_pop_psc_exp;
pub mod gif_psc_exp;
pub mod gif_psc_exp_multisynapse;
pub mod ginzburg_neuron;
pub mod glif;
pub mod glif_cond;
pub mod glif_psc;
pub mod glif_psc_double_alpha;
pub mod hh_cond_exp_traub;
pub mod hh_psc_alpha;
pub mod ht_neuron;
pub mod ht_synapse;
pub mod iaf_bw_2001;
pub mod iaf_bw_2001_exact;
pub mod iaf_chs_2007;
pub mod iaf_chxk_2008;
pub mod iaf_cond_alpha;
pub mod iaf_cond_beta;
pub mod iaf_cond_exp;
pub mod iaf_cond_exp_sfa_rr;
pub mod iaf_psc_alpha;
pub mod iaf_psc_alpha_multisynapse;
pub mod iaf_psc_delta;
pub mod iaf_psc_exp;
pub mod iaf_psc_exp_htum;
pub mod iaf_psc_exp_multisynapse;
pub mod iaf_tum_2000;
pub mod ignore_and_fire;
pub mod izhikevich;
pub mod mat2_psc_exp;
pub mod mcculloch_pitts_neuron;
pub mod multisynapse;
pub mod neuron;
pub mod numerics;
pub mod parrot_neuron;
pub mod pp_psc_delta;
pub mod quantal_stp_synapse;
pub mod rkf45;
mod simd;
pub mod static_synapse;
pub mod static_synapse_hom_w;
pub mod stdp_nn_pre_centered_synapse;
pub mod stdp_nn_restr_synapse;
pub mod stdp_nn_symm_synapse;
pub mod stdp_pl_synapse_hom;
pub mod stdp_rules;
pub mod stdp_synapse;
pub mod stdp_synapse_hom;
pub mod stdp_triplet_synapse;
pub mod tsodyks2_synapse;
pub mod tsodyks_synapse;
pub mod vogels_sprekeler_synapse;

use nestor_kernel::registry::Registry;
use std::sync::Arc;

pub use bernoulli_synapse::BernoulliSynapse;
pub use hh_cond_exp_traub::HhCondExpTraub;
pub use iaf_cond_alpha::IafCondAlpha;
pub use iaf_cond_exp::IafCondExp;
pub use iaf_psc_alpha::IafPscAlpha;
pub use iaf_psc_delta::IafPscDelta;
pub use iaf_psc_exp::IafPscExp;
pub use parrot_neuron::ParrotNeuron;
pub use quantal_stp_synapse::QuantalStpSynapse;
pub use static_synapse::StaticSynapse;
pub use static_synapse_hom_w::StaticSynapseHomW;
pub use stdp_nn_pre_centered_synapse::StdpNnPreCenteredSynapse;
pub use stdp_nn_restr_synapse::StdpNnRestrSynapse;
pub use stdp_nn_symm_synapse::StdpNnSymmSynapse;
pub use stdp_pl_synapse_hom::StdpPlSynapseHom;
pub use stdp_synapse::StdpSynapse;
pub use stdp_synapse_hom::StdpSynapseHom;
pub use stdp_triplet_synapse::StdpTripletSynapse;
pub use tsodyks2_synapse::Tsodyks2Synapse;
pub use tsodyks_synapse::TsodyksSynapse;
pub use vogels_sprekeler_synapse::VogelsSprekelerSynapse;

/// Registers every model of this crate: the neuron models and the synapse models.
pub fn register_all(reg: &mut Registry) {
    reg.add_model(Arc::new(IafPscAlpha));
    reg.add_model(Arc::new(IafPscExp));
    reg.add_model(Arc::new(IafPscDelta));
    reg.add_model(Arc::new(ParrotNeuron));
    brainpy::register(reg);
    reg.add_model(neuron::model::<IafCondExp>());
    reg.add_model(neuron::model::<IafCondAlpha>());
    reg.add_model(neuron::model::<HhCondExpTraub>());
    reg.add_model(neuron::model::<aeif_cond_alpha::AeifCondAlpha>());
    reg.add_model(neuron::model::<aeif_cond_exp::AeifCondExp>());
    reg.add_model(neuron::model::<aeif_psc_alpha::AeifPscAlpha>());
    reg.add_model(neuron::model::<aeif_psc_exp::AeifPscExp>());
    reg.add_model(neuron::model::<aeif_psc_delta::AeifPscDelta>());
    reg.add_model(neuron::model::<aeif_cond_alpha_multisynapse::AeifCondAlphaMultisynapse>());
    reg.add_model(neuron::model::<aeif_cond_beta_multisynapse::AeifCondBetaMultisynapse>());
    reg.add_model(neuron::model::<izhikevich::Izhikevich>());
    reg.add_model(neuron::model::<hh_psc_alpha::HhPscAlpha>());
    reg.add_model(neuron::model::<iaf_cond_beta::IafCondBeta>());
    reg.add_model(neuron::model::<iaf_cond_exp_sfa_rr::IafCondExpSfaRr>());
    reg.add_model(neuron::model::<mat2_psc_exp::Mat2PscExp>());
    reg.add_model(neuron::model::<amat2_psc_exp::Amat2PscExp>());
    reg.add_model(neuron::model::<iaf_psc_exp_htum::IafPscExpHtum>());
    reg.add_model(neuron::model::<iaf_chxk_2008::IafChxk2008>());
    reg.add_model(neuron::model::<ignore_and_fire::IgnoreAndFire>());
    reg.add_model(neuron::model::<iaf_tum_2000::IafTum2000>());
    reg.add_model(neuron::model::<iaf_chs_2007::IafChs2007>());
    reg.add_model(neuron::model::<iaf_bw_2001::IafBw2001>());
    reg.add_model(neuron::model::<iaf_bw_2001_exact::IafBw2001Exact>());
    reg.add_model(neuron::model::<iaf_psc_exp_multisynapse::IafPscExpMultisynapse>());
    reg.add_model(neuron::model::<iaf_psc_alpha_multisynapse::IafPscAlphaMultisynapse>());
    reg.add_model(neuron::model::<glif_psc::GlifPsc>());
    reg.add_model(neuron::model::<glif_psc_double_alpha::GlifPscDoubleAlpha>());
    reg.add_model(neuron::model::<glif_cond::GlifCond>());
    reg.add_model(neuron::model::<pp_psc_delta::PpPscDelta>());
    reg.add_model(neuron::model::<gif_psc_exp::GifPscExp>());
    reg.add_model(neuron::model::<ginzburg_neuron::GinzburgNeuron>());
    reg.add_model(neuron::model::<mcculloch_pitts_neuron::MccullochPittsNeuron>());
    reg.add_model(neuron::model::<erfc_neuron::ErfcNeuron>());
    reg.add_model(neuron::model::<gif_cond_exp::GifCondExp>());
    reg.add_model(neuron::model::<gif_psc_exp_multisynapse::GifPscExpMultisynapse>());
    reg.add_model(neuron::model::<gif_cond_exp_multisynapse::GifCondExpMultisynapse>());
    reg.add_model(neuron::model::<gif_pop_psc_exp::GifPopPscExp>());
    reg.add_model(neuron::model::<ht_neuron::HtNeuron>());
    reg.add_synapse(Arc::new(StaticSynapse));
    reg.add_synapse(Arc::new(StdpSynapse));
    reg.add_synapse(Arc::new(StdpPlSynapseHom));
    reg.add_synapse(Arc::new(Tsodyks2Synapse));
    reg.add_synapse(Arc::new(StaticSynapseHomW));
    reg.add_synapse(Arc::new(StdpSynapseHom));
    reg.add_synapse(Arc::new(TsodyksSynapse));
    reg.add_synapse(Arc::new(StdpTripletSynapse));
    reg.add_synapse(Arc::new(StdpNnSymmSynapse));
    reg.add_synapse(Arc::new(StdpNnPreCenteredSynapse));
    reg.add_synapse(Arc::new(StdpNnRestrSynapse));
    reg.add_synapse(Arc::new(VogelsSprekelerSynapse));
    reg.add_synapse(Arc::new(QuantalStpSynapse));
    reg.add_synapse(Arc::new(BernoulliSynapse));
    reg.add_synapse(Arc::new(ht_synapse::HtSynapse));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_all_registers_every_model_once() {
        let mut reg = Registry::new();
        register_all(&mut reg);
        let names = [
            "iaf_psc_alpha",
            "iaf_psc_exp",
            "iaf_psc_delta",
            "parrot_neuron",
            "iaf_cond_exp",
            "iaf_cond_alpha",
            "hh_cond_exp_traub",
            "aeif_cond_alpha",
            "aeif_cond_exp",
            "aeif_psc_alpha",
            "aeif_psc_exp",
            "aeif_psc_delta",
            "aeif_cond_alpha_multisynapse",
            "aeif_cond_beta_multisynapse",
            "izhikevich",
            "hh_psc_alpha",
            "iaf_cond_beta",
            "iaf_cond_exp_sfa_rr",
            "mat2_psc_exp",
            "amat2_psc_exp",
            "iaf_psc_exp_htum",
            "iaf_chxk_2008",
            "ignore_and_fire",
            "iaf_tum_2000",
            "iaf_chs_2007",
            "iaf_bw_2001",
            "iaf_bw_2001_exact",
            "iaf_psc_exp_multisynapse",
            "iaf_psc_alpha_multisynapse",
            "glif_psc",
            "glif_cond",
            "glif_psc_double_alpha",
            "ginzburg_neuron",
            "mcculloch_pitts_neuron",
            "erfc_neuron",
            "pp_psc_delta",
            "gif_psc_exp",
            "gif_cond_exp",
            "gif_psc_exp_multisynapse",
            "gif_cond_exp_multisynapse",
            "gif_pop_psc_exp",
            "ht_neuron",
        ];
        for m in names {
            let id = reg.model_id(m).unwrap();
            assert_eq!(reg.models[id].factory.name(), m);
            assert!(!reg.models[id].factory.doc().is_empty());
        }
        // Plus the BrainPy family: 22 neurons and LeakyRateReadout.
        let bp = reg.models.iter().filter(|m| m.factory.doc().contains("(brainpy.state)")).count();
        assert_eq!(bp, 23);
        assert_eq!(reg.models.len(), names.len() + bp);
        let s = reg.synapse_id("static_synapse").unwrap();
        assert_eq!(reg.synapses[s].weight, 1.0);
        assert_eq!(reg.synapses[s].delay, 1.0);
    }
}
