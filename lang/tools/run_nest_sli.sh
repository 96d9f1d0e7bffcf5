#!/usr/bin/env bash
# Runs NEST 3.9's own SLI scripts (self-tests, unit tests, regression tests, examples) with nestor
# and prints a Markdown table of exit codes against the codes NEST's testsuite expects.
# NEST's files are GPL and are not part of nestor: they are read from a NEST checkout.
#   lang/tools/run_nest_sli.sh [NEST_GIT_DIR] > results.md
set -u
NEST=${1:-/work/.mirror/nest+nest-simulator/repo}
NESTOR=${NESTOR:-$(dirname "$0")/../../target/release/nestor}
NESTOR=$(realpath "$NESTOR")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$NEST" ls-tree -r --name-only v3.9 \
  | grep -E '^(testsuite/(selftests|unittests|regressiontests)|examples/nest)/.*\.sli$' \
  | grep -v music > "$tmp/list"
while read -r f; do mkdir -p "$tmp/$(dirname "$f")"; git -C "$NEST" show "v3.9:$f" > "$tmp/$f"; done < "$tmp/list"
# Expected exit codes of NEST's self-tests (testsuite/do_tests.sh); everything else must exit 0.
declare -A want=([test_fail]=126 [test_stop]=126 [test_badhandler]=126 [test_pass_or_die]=2
  [test_assert_or_die_b]=1 [test_assert_or_die_p]=1 [test_fail_or_die]=3 [test_crash_or_die]=3
  [test_failbutnocrash_or_die_crash]=3 [test_failbutnocrash_or_die_pass]=3 [test_passorfailbutnocrash_or_die]=3
  [exitcode1]=1 [exitcode2]=2 [exitcode3]=3 [exitcode126]=126 [exitcode99]=99)
echo "| script | NEST expects | nestor | result | first error |"
echo "|---|---|---|---|---|"
pass=0; fail=0; skip=0
while read -r f; do
  b=$(basename "$f" .sli)
  exp=${want[$b]:-0}
  d=$(dirname "$tmp/$f")
  (cd "$d" && NESTOR_OUT="$tmp/out" timeout "${TIMEOUT:-600}" "$NESTOR" --quiet run "$(basename "$f")" > "$tmp/o.txt" 2>&1 < /dev/null)
  rc=$?
  err=$(grep -m1 -o 'error\[[A-Za-z]*\][^│]*' "$tmp/o.txt" | head -c 140 | tr '|' '/')
  if [ "$rc" = "$exp" ]; then res=PASS; pass=$((pass+1));
  elif [ "$rc" -ge 200 ] && [ "$rc" -le 206 ]; then res=SKIP; skip=$((skip+1));
  else res=FAIL; fail=$((fail+1)); fi
  echo "| $f | $exp | $rc | $res | $err |"
done < "$tmp/list"
echo
echo "$pass passed, $fail failed, $skip skipped"
