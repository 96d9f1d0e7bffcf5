#!/usr/bin/env bash
# nestor vs brainpy.state on the seed's E/I network (4000 LIFRef, 1 s at dt 0.1 ms, 1 thread).
# Prints both simulate times (nestor: best of 3; brainpy: its second, already compiled run, best
# over 3 seeds), both mean rates and the ratio. Usage: bench/ei_coba_compare.sh BRAINPY_PYTHON
set -euo pipefail
cd "$(dirname "$0")/.."
py=${1:?usage: $0 BRAINPY_PYTHON}
out=$(mktemp -d)
best=1e9
for i in 1 2 3; do
  o=$(./target/release/examples/ei_coba --out "$out")
  t=$(echo "$o" | awk '/^build/ {print $5}')
  rate=$(echo "$o" | awk '/^mean rate/ {print $3}')
  best=$(python3 -c "print(min($best, $t))")
done
XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1" \
  "$py" validation/brainpy/ei_coba.py --seeds 0 1 2 --json "$out/bp.json" >/dev/null 2>&1
python3 - "$out/bp.json" "$best" "$rate" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); nb = float(sys.argv[2]); rate = float(sys.argv[3])
bp = min(x["second_s"] for x in r)
rates = ", ".join("%.2f" % x["rate_hz"] for x in r)
print(f"nestor   simulate {nb:.3f} s, rate {rate:.2f} Hz")
print(f"brainpy  simulate {bp:.3f} s (second run), rates {rates} Hz")
print(f"ratio brainpy/nestor: {bp / nb:.2f}x")
PY
rm -rf "$out"
