#!/usr/bin/env bash
# Scans every test of the race-test set on its own and prints the metrics.
#
#   bash bench/racetests/run.sh [-s SCANNER] [-w WORK_DIR] [-t SECONDS] [TEST ...]
#
#   SCANNER   sharedstate-scan binary; default $SHAREDSTATE_SCAN, else
#             build/bin/sharedstate-scan of this checkout
#   WORK_DIR  default $RACETESTS_WORK, else bench/racetests/work (fetch.sh's)
#   -t N      per-test timeout in seconds (default 120)
#   TEST      only these tests (file names under compiler-rt/test/tsan/)
#   --labels-only  print the labels and stop (no scan)
#   --no-scan      report again from the reports of the last scan
#
# Writes WORK_DIR/results/: tests/NAME/{compile_commands.json,report.json,
# scan.log} per scanned test, labels.json, results.json, false_alarms.tsv and
# summary.txt (what is printed). One test at a time, each with -j 1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SCANNER="${SHAREDSTATE_SCAN:-$REPO/build/bin/sharedstate-scan}"
WORK="${RACETESTS_WORK:-$HERE/work}"
TIMEOUT=120
ARGS=()
TESTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -s) SCANNER="$2"; shift 2 ;;
    -w) WORK="$2"; shift 2 ;;
    -t) TIMEOUT="$2"; shift 2 ;;
    --labels-only|--no-scan) ARGS+=("$1"); shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) TESTS+=("$1"); shift ;;
  esac
done
[ -x "$SCANNER" ] || { echo "run: no scanner at $SCANNER (give -s or SHAREDSTATE_SCAN)" >&2; exit 2; }
command -v clang++-19 >/dev/null || echo "run: warning: clang++-19 not on PATH (only the compile commands name it)" >&2
[ -f "$WORK/compiler-rt/test/tsan/test.h" ] || { echo "run: $WORK/compiler-rt/test/tsan missing: run bench/racetests/fetch.sh first" >&2; exit 2; }
[ "${#TESTS[@]}" -eq 0 ] || ARGS+=(--only "${TESTS[@]}")
exec python3 "$HERE/racetests.py" --work "$WORK" --scanner "$SCANNER" --timeout "$TIMEOUT" "${ARGS[@]}"
