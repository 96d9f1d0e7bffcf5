//! The ascii recording backend writes NEST 3.10's files: the network of
//! validation/nest/make_ascii_reference.py gives, line for line, the files NEST wrote
//! (validation/reference/ascii: default precision and times in ms; precision 17 and
//! time_in_steps), and files are opened per run as NEST opens them.

use nestor::prelude::*;
use std::path::{Path, PathBuf};

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nestor-ascii-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The reference network; `extra` holds the recorder properties of the variant.
fn run(dir: &Path, prefix: &str, extra: &Dict) {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! {
        "data_path" => dir.display().to_string(), "data_prefix" => prefix, "overwrite_files" => true
    })
    .unwrap();
    let n = k.create("iaf_psc_alpha", 2, None).unwrap();
    k.set_status_all(&n, &[dict! { "I_e" => 400.0 }, dict! { "I_e" => 380.0 }]).unwrap();
    let g = k.create("spike_generator", 1, Some(&dict! { "spike_times" => Value::DoubleVec(vec![3.0, 11.5, 30.2]) }));
    let g = g.unwrap();
    let with = |d: Dict| -> Dict {
        let mut out = extra.clone();
        out.insert("record_to".into(), Value::Str("ascii".into()));
        for (k, v) in d {
            out.insert(k, v);
        }
        out
    };
    let sr = k.create("spike_recorder", 1, Some(&with(Dict::new()))).unwrap();
    let mm_params = with(dict! {
        "record_from" => Value::Array(vec![Value::Str("V_m".into()), Value::Str("I_syn_ex".into())]),
        "interval" => 5.0, "label" => "mm"
    });
    let mm = k.create("multimeter", 1, Some(&mm_params)).unwrap();
    let wr = k.create("weight_recorder", 1, Some(&with(Dict::new()))).unwrap();
    k.copy_model("stdp_synapse", "stdp_rec", &dict! { "weight_recorder" => wr.first().unwrap() as i64 }).unwrap();
    let all = ConnSpec::new(Rule::AllToAll);
    k.connect(&g, &n, &all, &SynSpec::new().weight(200.0)).unwrap();
    k.connect(&n, &sr, &all, &SynSpec::new()).unwrap();
    k.connect(&mm, &n, &all, &SynSpec::new()).unwrap();
    let (a, b) = (NodeCollection::from_ids(&[n.get(0).unwrap()]), NodeCollection::from_ids(&[n.get(1).unwrap()]));
    k.connect(&a, &b, &all, &SynSpec::new().model("stdp_rec").weight(50.0).delay(1.5)).unwrap();
    k.simulate(60.0).unwrap();
    k.simulate(40.0).unwrap();
    let st = k.get_status(sr.first().unwrap()).unwrap();
    let Some(Value::Array(files)) = st.get("filenames") else { panic!("no filenames in {st:?}") };
    assert_eq!(files.len(), 1);
}

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("validation/reference/ascii")
}

#[test]
fn ascii_files_equal_nests() {
    let dir = tmpdir("ref");
    run(&dir, "default_", &Dict::new());
    run(&dir, "steps_", &dict! { "precision" => 17i64, "time_in_steps" => true });
    let mut names: Vec<_> = std::fs::read_dir(reference_dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names.len(), 6);
    for name in names {
        let want = std::fs::read_to_string(reference_dir().join(&name)).unwrap();
        let got = std::fs::read_to_string(dir.join(&name))
            .unwrap_or_else(|e| panic!("nestor did not write {}: {e}", name.to_string_lossy()));
        let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
        assert!(g[0].starts_with(w[0]), "{:?}: first line {:?}, NEST {:?}", name, g[0], w[0]);
        assert_eq!(&g[1..], &w[1..], "{name:?}");
        assert!(w.len() > 4, "the reference has data");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ascii_files_open_per_run_as_in_nest() {
    let dir = tmpdir("runs");
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "data_path" => dir.display().to_string() }).unwrap();
    let n = k.create("iaf_psc_alpha", 1, Some(&dict! { "I_e" => 500.0 })).unwrap();
    let sr = k.create("spike_recorder", 1, Some(&dict! { "record_to" => "ascii" })).unwrap();
    k.connect(&n, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    let path = dir.join(format!("spike_recorder-{}-0.dat", sr.first().unwrap()));
    k.simulate(50.0).unwrap();
    let first = std::fs::read_to_string(&path).unwrap();
    assert_eq!(first.lines().count(), 3 + 3, "{first}");
    // The next Simulate opens the file again: it exists, overwrite_files is false.
    let e = k.simulate(50.0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::IoError, "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    // Within Prepare … Cleanup the file stays open across Run calls.
    k.set_kernel_status(&dict! { "overwrite_files" => true }).unwrap();
    k.begin_runs().unwrap();
    k.run(50.0).unwrap();
    k.run(50.0).unwrap();
    k.end_runs().unwrap();
    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
    assert!(lines >= 3 + 6, "both runs are in the file: {lines} lines");
    // Backend properties belong to the backend.
    let e = k.set_status(sr.first().unwrap(), &dict! { "precision" => "high" }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ArgumentType, "{e}");
    k.set_status(sr.first().unwrap(), &dict! { "precision" => 6i64 }).unwrap();
    let st = k.get_status(sr.first().unwrap()).unwrap();
    assert_eq!(st.get("precision"), Some(&Value::Int(6)));
    assert_eq!(st.get("file_extension"), Some(&Value::Str("dat".into())));
    let e = k.set_status(sr.first().unwrap(), &dict! { "record_to" => "memory", "precision" => 6i64 }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadProperty, "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
