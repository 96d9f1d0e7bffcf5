//! HDF5 recording: the Brunel network writes spikes and voltages; the file reads back in Rust
//! with the same events as the memory backend, and from Python's h5py with the documented layout.

use nestor::networks::{brunel, BrunelParams};
use nestor::prelude::*;

fn run(record_to: &str, dir: &std::path::Path) -> (Kernel, nestor::networks::Brunel) {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! {
        "rng_seed" => 3i64, "data_path" => dir.to_str().unwrap(), "data_prefix" => "t_", "overwrite_files" => true
    })
    .unwrap();
    let mut p = BrunelParams::scaled(0.05);
    p.record_to = record_to.into();
    p.record_vm = 3;
    let net = brunel(&mut k, &p).unwrap();
    k.simulate(100.0).unwrap();
    k.simulate(50.0).unwrap();
    k.close_backends().unwrap();
    (k, net)
}

#[test]
fn hdf5_matches_memory_and_reads_in_h5py() {
    let dir = std::env::temp_dir().join(format!("nestor-h5-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (km, netm) = run("memory", &dir);
    let (mem_s, mem_t, mem_ev) = nestor::events(&km, netm.spikes.unwrap().first().unwrap()).unwrap();
    let (_, vm_t, vm_ev) = nestor::events(&km, netm.vm.unwrap().first().unwrap()).unwrap();
    let (_k, _net) = run("hdf5", &dir);

    let path = dir.join("t_nestor.h5");
    let f = hdf5::File::open(&path).unwrap();
    let senders: Vec<i64> = f.dataset("brunel_spikes/senders").unwrap().read_raw().unwrap();
    let times: Vec<f64> = f.dataset("brunel_spikes/times").unwrap().read_raw().unwrap();
    assert!(!mem_s.is_empty());
    assert_eq!(senders, mem_s);
    assert_eq!(times, mem_t);
    let _ = mem_ev;
    let v: Vec<f64> = f.dataset("brunel_vm/V_m").unwrap().read_raw().unwrap();
    let Some(Value::DoubleVec(mv)) = vm_ev.get("V_m") else { panic!("no V_m in memory events") };
    assert_eq!(&v, mv);
    assert_eq!(v.len(), vm_t.len());
    // As in NEST, the samples of the last min_delay slice wait for the next Simulate.
    let min_delay = km.kernel_status()["min_delay"].as_f64("min_delay").unwrap();
    let held_back = (min_delay / 0.1).round() as usize;
    assert_eq!(vm_t.len(), 3 * (1500 - held_back), "3 neurons sampled every 0.1 ms up to 150 ms - min_delay");
    let res: f64 = f.group("brunel_vm").unwrap().attr("resolution").unwrap().read_scalar().unwrap();
    assert_eq!(res, 0.1);
    drop(f);

    let python = std::env::var("NESTOR_PYTHON").ok();
    match python {
        Some(py) => {
            let out = std::process::Command::new(&py)
                .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/h5py_check.py"))
                .arg(&path)
                .arg("brunel_spikes")
                .arg("brunel_vm")
                .arg(senders.len().to_string())
                .arg(v.len().to_string())
                .output()
                .expect("run python");
            assert!(
                out.status.success(),
                "h5py check failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        None if std::env::var("NESTOR_REQUIRE_H5PY").is_ok() => {
            panic!("NESTOR_PYTHON (a python with h5py) is required")
        }
        None => eprintln!("note: NESTOR_PYTHON not set; the h5py half of this test runs under `make test`"),
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn existing_file_is_not_overwritten_unless_allowed() {
    let dir = std::env::temp_dir().join(format!("nestor-h5-ow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("nestor.h5"), b"precious").unwrap();
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "data_path" => dir.to_str().unwrap() }).unwrap();
    let sr = k.create("spike_recorder", 1, Some(&dict! { "record_to" => "hdf5" })).unwrap();
    let _ = sr;
    let e = k.simulate(1.0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::IoError);
    assert!(e.message.contains("overwrite_files"), "{e}");
    assert_eq!(std::fs::read(dir.join("nestor.h5")).unwrap(), b"precious");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn weight_recorder_writes_hdf5_like_memory() {
    let dir = std::env::temp_dir().join(format!("nestor-h5w-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |to: &str| {
        let mut k = nestor::kernel();
        k.set_kernel_status(&dict! {
            "data_path" => dir.to_str().unwrap(), "data_prefix" => "w_", "overwrite_files" => true
        })
        .unwrap();
        let wr = k.create("weight_recorder", 1, Some(&dict! { "record_to" => to, "label" => "w" })).unwrap();
        k.copy_model("tsodyks2_synapse", "ts", &dict! { "weight_recorder" => wr.first().unwrap() as i64 }).unwrap();
        let times: Vec<f64> = (1..40).map(|i| 5.0 * i as f64).collect();
        let sg = k.create("spike_generator", 1, Some(&dict! { "spike_times" => times })).unwrap();
        let p = k.create("parrot_neuron", 1, None).unwrap();
        let n = k.create("iaf_psc_exp", 3, None).unwrap();
        k.connect(&sg, &p, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
        k.connect(&p, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().model("ts").weight(50.0)).unwrap();
        k.simulate(120.0).unwrap();
        k.simulate(100.0).unwrap();
        let ev = nestor::events(&k, wr.first().unwrap()).unwrap();
        k.close_backends().unwrap();
        ev
    };
    let (s, t, ev) = run("memory");
    assert_eq!(s.len(), 39 * 3);
    run("hdf5");
    let f = hdf5::File::open(dir.join("w_nestor.h5")).unwrap();
    let senders: Vec<i64> = f.dataset("w/senders").unwrap().read_raw().unwrap();
    let times: Vec<f64> = f.dataset("w/times").unwrap().read_raw().unwrap();
    let weights: Vec<f64> = f.dataset("w/weights").unwrap().read_raw().unwrap();
    let targets: Vec<i64> = f.dataset("w/targets").unwrap().read_raw().unwrap();
    assert_eq!(senders, s);
    assert_eq!(times, t);
    assert_eq!(Value::DoubleVec(weights.clone()), ev["weights"]);
    assert_eq!(Value::IntVec(targets), ev["targets"]);
    // Depression: the effective weight falls along the train.
    assert!(weights[weights.len() - 1] < weights[0]);
    let _ = std::fs::remove_dir_all(&dir);
}
