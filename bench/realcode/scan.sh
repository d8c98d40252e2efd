#!/usr/bin/env bash
# Scans the projects fetch.sh configured and prints their not-thread-safe findings.
#
#   bash bench/realcode/scan.sh [-s SCANNER] [-w WORK_DIR] [-j N] [--subset] [--save-facts] [PROJECT ...]
#
#   SCANNER   sharedstate-scan binary; default $SHAREDSTATE_SCAN, else
#             build/bin/sharedstate-scan of this checkout
#   WORK_DIR  default $REALCODE_WORK, else bench/realcode/work
#   -j N      parallel TUs (default 2; the machine has 2 cores)
#   --subset  scan only the TUs whose source path (relative to the project's
#             source dir) matches a regex in subsets/PROJECT.txt, for projects
#             that have such a file (see README.md, "Subsets")
#   --save-facts  also write every TU's facts to WORK_DIR/reports/PROJECT.facts.json
#             (the scanner's --save-facts), to re-classify without re-parsing
#   PROJECT   cpprestsdk websocketpp abseil rocksdb (default: all four)
#
# Writes WORK_DIR/reports/PROJECT.json (paths relative to the project's source
# dir) and WORK_DIR/reports/PROJECT.time (wall seconds, TUs), appends to
# WORK_DIR/reports/times.tsv, and prints every not-thread-safe finding.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SCANNER="${SHAREDSTATE_SCAN:-$REPO/build/bin/sharedstate-scan}"
WORK="${REALCODE_WORK:-$HERE/work}"
JOBS=2
SUBSET=0
SAVE_FACTS=0
PROJECTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -s) SCANNER="$2"; shift 2 ;;
    -w) WORK="$2"; shift 2 ;;
    -j) JOBS="$2"; shift 2 ;;
    --subset) SUBSET=1; shift ;;
    --save-facts) SAVE_FACTS=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) PROJECTS+=("$1"); shift ;;
  esac
done
[ "${#PROJECTS[@]}" -gt 0 ] || PROJECTS=(cpprestsdk websocketpp abseil rocksdb)
[ -x "$SCANNER" ] || { echo "scan: no scanner at $SCANNER (give -s or SHAREDSTATE_SCAN)" >&2; exit 2; }
WORK="$(cd "$WORK" && pwd)"
OUT="$WORK/reports"
mkdir -p "$OUT"

for proj in "${PROJECTS[@]}"; do
  src="$(cd "$WORK/src/$proj" && pwd -P)"
  db="$WORK/build/$proj"
  [ -f "$db/compile_commands.json" ] || { echo "scan: $db/compile_commands.json missing: run fetch.sh" >&2; exit 2; }
  files=()
  mode=full
  if [ "$SUBSET" = 1 ] && [ -f "$HERE/subsets/$proj.txt" ]; then
    mode=subset
    mapfile -t files < <(python3 - "$db/compile_commands.json" "$src" "$HERE/subsets/$proj.txt" <<'EOF'
import json, os, re, sys
db, src, subset = sys.argv[1:4]
pats = [re.compile(l.strip()) for l in open(subset) if l.strip() and not l.startswith('#')]
seen = set()
for e in json.load(open(db)):
    f = os.path.realpath(os.path.join(e['directory'], e['file']))
    rel = os.path.relpath(f, src)
    if rel not in seen and any(p.search(rel) for p in pats):
        seen.add(rel)
        print(f)
EOF
)
  fi
  echo "== $proj: scanning ($mode${files:+, ${#files[@]} TUs}) with $SCANNER" >&2
  start=$(date +%s.%N)
  rc=0
  extra=()
  [ "$SAVE_FACTS" = 0 ] || extra=(--save-facts "$OUT/$proj.facts.json")
  "$SCANNER" -p "$db" -j "$JOBS" --root "$src" -o "$OUT/$proj.json" "${extra[@]}" "${files[@]}" || rc=$?
  end=$(date +%s.%N)
  secs=$(python3 -c "print(round($end-$start,1))")
  [ "$rc" -le 3 ] || { echo "scan: $SCANNER exited $rc on $proj (crash?)" >&2; }
  tus=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['translation_units'])" "$OUT/$proj.json")
  echo "$secs $tus $mode" >"$OUT/$proj.time"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$proj" "$mode" "$tus" "$secs" "$SCANNER" >>"$OUT/times.tsv"
done

python3 - "$OUT" "${PROJECTS[@]}" <<'EOF'
import json, sys
out, projects = sys.argv[1], sys.argv[2:]
total = 0
rows = []
for p in projects:
    r = json.load(open(f'{out}/{p}.json'))
    secs, tus, mode = open(f'{out}/{p}.time').read().split()
    bad = [f for f in r['findings'] if f['verdict'] == 'not-thread-safe']
    print(f'\n## {p}: {len(bad)} not-thread-safe findings')
    for f in bad:
        loc = f['location']
        sup = ' (suppressed)' if f.get('suppressed') else ''
        msg = f['message'] if len(f['message']) <= 200 else f['message'][:197] + '...'
        print(f"{f['check']}\t{f['symbol']}\t{loc['file']}:{loc['line']}\tcat {f['category']}{sup}\t{msg}")
    errs = r.get('errors', [])
    for e in errs:
        print(f"TU error: {e['file']}: {e['message']}")
    rows.append((p, mode, tus, secs, len(r['findings']), len(bad), len(errs)))
    total += len(bad)
print('\nproject      mode    TUs  scan_s  findings  not-thread-safe  TU_errors')
for row in rows:
    print('%-12s %-6s %4s %7s %9d %16d %10d' % row)
print(f'total not-thread-safe: {total}')
EOF
