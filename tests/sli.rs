//! Runs nestor's SLI test suite (`tests/sli/*.sli`, with NEST's unittest exit codes), the bad-input
//! cases (`tests/sli/bad/*.sli`: each must fail with a named SLI error at a given file:line:column
//! and never panic), the example scripts in `scripts/`, and the command-line entry points.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn nestor() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nestor"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env("NESTOR_EXE", env!("CARGO_BIN_EXE_nestor")).stdin(Stdio::null());
    c
}

fn files(dir: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sli"))
        .collect();
    v.sort();
    v
}

fn rel(p: &Path) -> String {
    p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().display().to_string()
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn sli_test_suite_passes() {
    let mut checks = 0;
    for f in files("tests/sli") {
        let text = std::fs::read_to_string(&f).unwrap();
        checks += text
            .lines()
            .filter(|l| !l.trim_start().starts_with('%'))
            .map(|l| l.matches("assert_or_die").count())
            .sum::<usize>();
        let o = nestor().args(["--quiet", "run"]).arg(rel(&f)).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}: {}", rel(&f), show(&o));
    }
    assert!(checks >= 300, "only {checks} assert_or_die checks");
    println!("{checks} assert_or_die checks passed");
}

#[test]
fn bad_input_gives_named_located_errors() {
    let bad = files("tests/sli/bad");
    assert!(bad.len() >= 10);
    for f in bad {
        let text = std::fs::read_to_string(&f).unwrap();
        let header =
            |k: &str| text.lines().find_map(|l| l.strip_prefix(&format!("% {k}: ")).map(|s| s.trim().to_string()));
        let o = nestor().args(["--quiet", "run"]).arg(rel(&f)).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{}: {}", rel(&f), show(&o));
        let code: i32 = header("expect-exit").map_or(126, |s| s.parse().unwrap());
        assert_eq!(o.status.code(), Some(code), "{}: {}", rel(&f), show(&o));
        if let Some(name) = header("expect-error") {
            assert!(err.contains(&format!("error[{name}]")), "{}: expected {name}\n{}", rel(&f), show(&o));
        }
        if let Some(loc) = header("expect-location") {
            assert!(err.contains(&format!("{}:{loc}", rel(&f))), "{}: expected at {loc}\n{}", rel(&f), show(&o));
            // The source line is shown with a marker.
            assert!(err.contains('^'), "{}: no marker\n{}", rel(&f), show(&o));
        }
        if let Some(t) = header("expect-text") {
            assert!(err.contains(&t), "{}: expected text {t:?}\n{}", rel(&f), show(&o));
        }
    }
}

#[test]
fn missing_script_file_is_an_error() {
    let o = nestor().args(["run", "tests/sli/no_such_script.sli"]).output().unwrap();
    assert_eq!(o.status.code(), Some(126), "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("FileNotFound"), "{}", show(&o));
}

#[test]
fn command_line_forms_and_exit_codes() {
    let o = nestor().args(["-c", "1 2 add ="]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "3\n", "{}", show(&o));
    assert_eq!(o.status.code(), Some(0));
    for (code, want) in [
        ("3 quit_i", 3),
        ("1 0 div", 126),
        ("(unittest) run /unittest using false assert_or_die", 1),
        ("(unittest) run /unittest using {1 0 div} pass_or_die", 2),
        ("(unittest) run /unittest using {} fail_or_die", 3),
        // A condition that leaves nothing at all (NEST's assert_or_die finds no boolean).
        ("(unittest) run /unittest using {} assert_or_die", 2),
        ("(unittest) run /unittest using 1 {pop} assert_or_die", 2),
        ("/skipped_no_mpi exit_test_gracefully", 201),
    ] {
        let o = nestor().args(["--quiet", "-c", code]).output().unwrap();
        assert_eq!(o.status.code(), Some(want), "{code}: {}", show(&o));
    }
    // A script piped to standard input.
    let mut c = nestor();
    c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"(from stdin) = 5 quit_i").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(5), "{}", show(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "from stdin\n");
    // Arguments reach statusdict.
    let o = nestor().args(["run", "tests/sli/lib/helpers.sli"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // --threads and --seed set the kernel status.
    let o = nestor()
        .args(["--threads", "2", "--seed", "7", "-c", "GetKernelStatus dup /local_num_threads get = /rng_seed get ="])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "2\n7\n", "{}", show(&o));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_an_infinite_loop() {
    let mut c = nestor();
    c.args(["-c", "(started) = 0 { 1 add } loop"]).stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = c.spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let st = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(st.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(126), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[SystemSignal]") && err.contains("<command line>:1:"), "{}", show(&o));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_simulation_consistently() {
    let mut c = nestor();
    c.args([
        "-c",
        "/iaf_psc_alpha 2000 << /I_e 400. >> Create pop { 100000 Simulate } stopped { errordict /newerror false put pop pop (interrupted at ) =only GetKernelStatus /biological_time get = 10 Simulate (continued) = } if",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let child = c.spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(out.contains("interrupted at") && out.contains("continued"), "{}", show(&o));
}

#[test]
fn example_scripts_run() {
    let out = std::env::temp_dir().join(format!("nestor-scripts-{}", std::process::id()));
    let scripts = files("scripts");
    assert!(scripts.len() >= 4);
    for f in scripts {
        let o =
            nestor().env("NESTOR_OUT", &out).args(["--quiet", "run"]).arg(rel(&f)).args(["--test"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}: {}", rel(&f), show(&o));
    }
    // brunel_delta.sli and plastic_balanced.sli wrote their spikes, stdp_window.sli its weights
    // to HDF5 (the scripts check their own results and exit 1 when they are off).
    for f in ["brunel_delta_nestor.h5", "stdp_window_nestor.h5", "plastic_balanced_nestor.h5"] {
        assert!(out.join(f).is_file(), "no {f} in {}", out.display());
    }
    // ei_coba.sli (BrainPy family) wrote its raster to HDF5.
    assert!(out.join("ei_coba_sli_nestor.h5").is_file(), "no E/I HDF5 file in {}", out.display());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn printing_operators_and_handleerror() {
    let code = "1.5 = (a) == (a) =only (b) ==only 12 print cout (x) <- endl pop \
                [1 (s) /l 2.0] == << /b 1 /a (x) >> == {1 add} == 3.14159265 = 1e-7 = \
                { 1 0 div } stopped { handleerror } if (after) = errordict /newerror get =";
    let o = nestor().args(["-c", code]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "1.5\n(a)\na(b)12x\n[1 (s) /l 2.]\n<< /a (x) /b 1 >>\n{1 add}\n3.14159\n1e-07\nafter\nfalse\n"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[DivisionByZero]") && err.contains("<command line>:1:"), "{}", show(&o));
}

#[test]
fn sli_recorders_write_to_screen_and_ascii_as_nest() {
    // Oracle: NEST's screen backend prints "sender\ttime" (fixed, `precision` decimals) and
    // the recorded values per event; its ascii backend writes {label}-{gid}-{vp}.dat in
    // data_path. NEST 3.10 prints exactly these four lines for this network (checked live).
    let dir = std::env::temp_dir().join(format!("nestor-sli-text-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let code = format!(
        "<< /data_path ({}) >> SetKernelStatus \
         /iaf_psc_alpha << /I_e 450.0 >> Create /n Set \
         /spike_recorder << /record_to /screen >> Create /sr Set \
         /voltmeter << /record_to /screen /interval 5.0 /precision 2 >> Create /vm Set \
         /spike_recorder << /record_to /ascii /label (spk) >> Create /sa Set \
         n sr Connect vm n Connect n sa Connect 20 Simulate",
        dir.display()
    );
    let o = nestor().args(["-c", &code]).output().unwrap();
    assert!(o.status.success(), "{}", show(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    for line in ["1\t5.00\t-62.92", "1\t10.00\t-58.62", "1\t15.00\t-56.02", "1\t18.000"] {
        assert!(out.lines().any(|l| l == line), "no line {line:?} in\n{}", show(&o));
    }
    let file = std::fs::read_to_string(dir.join("spk-4-0.dat")).unwrap_or_else(|e| panic!("{e}\n{}", show(&o)));
    assert!(file.ends_with("sender\ttime_ms\n1\t18.000\n"), "{file}");
    let _ = std::fs::remove_dir_all(&dir);
}
