# nestor — developer and CI entry points. See README.md.
SHELL := /bin/bash
CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
NEST_VENV := .venv-nest
OUT ?= out

.PHONY: all deps venv py nest-venv brainpy-venv build demo test test-py lint validate validate-live validate-brainpy-live bench bench-brainpy clean

all: build

# System packages: HDF5 (found by pkg-config) and python venv support; installed only if missing.
deps:
	@if ! pkg-config --exists hdf5 2>/dev/null || ! command -v pkg-config >/dev/null; then \
		echo "installing libhdf5-dev pkg-config with apt-get"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libhdf5-dev pkg-config; \
	fi
	@if ! $(PYTHON) -c "import venv, ensurepip" 2>/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv; \
	fi

# Python with h5py/numpy, used by the tests that read nestor's HDF5 files from Python.
$(VENV)/.ok: | deps
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check h5py numpy
	touch $@
venv: $(VENV)/.ok

# The Python package (python/: PyO3 extension + PyNEST-compatible API), built with maturin and
# installed (editable) into $(VENV) with numpy, matplotlib and pytest.
$(VENV)/.py-ok: $(VENV)/.ok
	$(VENV)/bin/pip install -q --disable-pip-version-check "maturin>=1.16,<2" pytest matplotlib
	touch $@
py: $(VENV)/.py-ok
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --release -q -m python/Cargo.toml

# The Python package's tests (PyNEST API semantics; every validation protocol run through
# PyNEST's own driver script under `python -m nestor` and compared with the NEST references).
test-py: py
	$(CARGO) build --release --bin nestor
	NESTOR_BIN=$(abspath target/release/nestor) $(VENV)/bin/python -m pytest -q python/tests

# Live NEST 3.10 (PyPI wheel) for regenerating references and for the benchmark.
$(NEST_VENV)/.ok: | deps
	$(PYTHON) -m venv $(NEST_VENV)
	$(NEST_VENV)/bin/pip install -q --disable-pip-version-check nest-simulator==3.10.0 numpy
	touch $@
nest-venv: $(NEST_VENV)/.ok

build: deps
	$(CARGO) build --release --bins --examples

# Builds release, runs the Brunel network (12 500 neurons, 15.6 M synapses, 1 s) and writes HDF5.
demo: build
	mkdir -p $(OUT)
	./target/release/examples/brunel --out $(OUT)
	@echo "HDF5 file: $$(realpath $(OUT)/brunel_nestor.h5)"

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --release -- -D warnings

test: deps venv lint
	NESTOR_PYTHON=$(abspath $(VENV))/bin/python NESTOR_REQUIRE_H5PY=1 $(CARGO) test --workspace --release
	$(MAKE) test-py

# Compare nestor with the stored NEST references; writes validation/REPORT.md.
validate: build
	./target/release/nestor validate --dir validation

# Regenerate every reference with a live NEST 3.10 into a temporary folder, check it equals the
# stored references, then compare nestor against it.
validate-live: build nest-venv
	@set -e; tmp=$$(mktemp -d); \
	$(NEST_VENV)/bin/python validation/nest/run_protocols.py --out $$tmp; \
	$(NEST_VENV)/bin/python validation/nest/dump_defaults.py --out $$tmp/defaults; \
	$(NEST_VENV)/bin/python validation/nest/compare_references.py validation/reference $$tmp; \
	$(NEST_VENV)/bin/python validation/nest/ascii_example.py $$tmp/nest_ascii iaf_psc_alpha_dc376 iaf_psc_exp_spike_input parrot_spike_generator >/dev/null; \
	diff -r validation/reference/nest_ascii $$tmp/nest_ascii && echo "NEST ASCII fixtures equal the live output"; \
	./target/release/nestor validate --dir validation --against $$tmp --report $$tmp/REPORT.md; \
	rm -rf $$tmp

# nestor vs NEST 3.10 side by side on the full Brunel network (1 and 2 threads).
bench: build nest-venv
	./target/release/nestor bench --nest-python $(NEST_VENV)/bin/python --threads 1
	./target/release/nestor bench --nest-python $(NEST_VENV)/bin/python --threads 2

# brainpy.state 0.1.0 (JAX on the CPU) for the BrainPy family's references and benchmark.
BRAINPY_VENV := .venv-brainpy
$(BRAINPY_VENV)/.ok: | deps
	$(PYTHON) -m venv $(BRAINPY_VENV)
	$(BRAINPY_VENV)/bin/pip install -q --disable-pip-version-check brainpy==2.8.2 brainpy_state==0.1.0 numba
	touch $@
brainpy-venv: $(BRAINPY_VENV)/.ok

# Regenerate the brainpy.state references live into a temporary folder and compare nestor with them.
validate-brainpy-live: build brainpy-venv
	@set -e; tmp=$$(mktemp -d); \
	$(BRAINPY_VENV)/bin/python validation/brainpy/make_references.py --out $$tmp; \
	$(BRAINPY_VENV)/bin/python validation/brainpy/make_statistics.py --out $$tmp; \
	NESTOR_BP_REF=$$tmp $(CARGO) test --release --test brainpy_reference; \
	rm -rf $$tmp

# nestor vs brainpy.state side by side on the seed's E/I network (1 s, 1 thread; brainpy's
# second, already compiled run).
bench-brainpy: build brainpy-venv
	bash bench/ei_coba_compare.sh $(BRAINPY_VENV)/bin/python

clean:
	$(CARGO) clean
	rm -rf $(OUT) $(VENV) $(NEST_VENV) $(BRAINPY_VENV)
