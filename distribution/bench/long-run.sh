#!/usr/bin/env bash
# Long run: one application trains the `faces` recipe for about 30 minutes, then verifies a probe
# 100,000 times, while this script samples the process every few seconds: resident memory (RSS),
# the Java heap still in use after a forced full GC (live objects), live threads. Memory that grows
# without bound shows as a slope over the verify phase; the summary prints it. Figures are
# reported, never asserted.
# Usage: distribution/bench/long-run.sh [DATA_DIR]   (after mvn -DskipTests package)
# Env: BACKEND (djl), EPOCHS (100, about 30 min of DJL on 2 cores), VERIFIES (100000, in
#      thousands), EVERY (5 s between samples), OUT (for long-run.csv, long-run.log, summary.txt),
#      DIST (the application folder, default distribution/target/oneshot: copy it elsewhere first if
#      you rebuild while this runs).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dist=$(cd "${DIST:-$here/target/oneshot}" && pwd)
data=$(cd "${1:-$here/../../shared/data}" && pwd)
backend=${BACKEND:-djl}
epochs=${EPOCHS:-100}
verifies=${VERIFIES:-100000}
every=${EVERY:-5}
out=${OUT:-$here/target/long-run}
att="$data/att_faces"
[ -d "$att/s35" ] || { echo "no AT&T faces under $att" >&2; exit 2; }
[ -x "$dist/bin/oneshot" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }

umask 077
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
ln -s "$dist/lib" "$dist/bundle" "$dist/bin" "$work/home/"

# Gogo has no counting loop: three nested loops over ten items make 1,000 verifies, and the line
# repeats that statement VERIFIES/1000 times. (Gogo keeps every call of a statement until the whole
# statement ends — 32 KB each — so one statement of 100,000 calls would measure Gogo, not oneshot.)
# Each report is piped into `tac` and dropped.
thousand='each $ten { each $ten { each $ten { face:verify --cropped s35 '"$att"'/s35/10.pgm | tac ; $nothing } } }'
[ "$verifies" -ge 1000 ] || { echo "VERIFIES must be 1000 or more" >&2; exit 2; }
loop=""
for _ in $(seq $((verifies / 1000))); do loop="$loop r = $thousand ;"; done
line="face:train --backend $backend --data $att --out $work/long.model --preset faces --epochs $epochs --patience 0 --holdout-match 's(3[1-9]|40)' ;
  face:enrol --replace --cropped s35 $att/s35/1.pgm $att/s35/2.pgm $att/s35/3.pgm $att/s35/4.pgm $att/s35/5.pgm ;
  echo VERIFY-PHASE ; face:verify --cropped s35 $att/s35/10.pgm ;
  ten = [0 1 2 3 4 5 6 7 8 9] ; $loop
  echo VERIFY-DONE ; face:verify --cropped s35 $att/s35/10.pgm"

ONESHOT_HOME="$work/home" "$dist/bin/oneshot" -c "$line" >"$out/long-run.log" 2>&1 &
launcher=$!
start=$(date +%s)
echo "seconds,phase,rss_mib,heap_used_mib,threads" >"$out/long-run.csv"
pid=$launcher # bin/oneshot execs java
while kill -0 "$pid" 2>/dev/null; do
  sleep "$every"
  [ -r "/proc/$pid/status" ] || continue
  rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  threads=$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.0f", v / 1024; exit } }')
  phase=train
  grep -q VERIFY-PHASE "$out/long-run.log" && phase=verify
  grep -q VERIFY-DONE "$out/long-run.log" && phase=done
  echo "$(($(date +%s) - start)),$phase,$rss,${heap:-},$threads" >>"$out/long-run.csv"
done
wait "$launcher" && rc=0 || rc=$?

awk -F, -v rc="$rc" -v n="$verifies" '
  NR == 1 { next }
  $2 == "train" { if (!t0) t0 = $1; tpeak = ($3 > tpeak ? $3 : tpeak); tlast = $3; tend = $1 }
  $2 == "verify" {
    if (!v0) { v0 = $1; vfirst = $3; hfirst = $4 }
    vlast = $3; hlast = $4; vend = $1; vpeak = ($3 > vpeak ? $3 : vpeak); thr = $5
    # least-squares slope of RSS against time over the verify phase
    k++; sx += $1; sy += $3; sxx += $1 * $1; sxy += $1 * $3
  }
  END {
    printf "exit %d\n", rc
    printf "training  %5d s   RSS peak %d MiB, at its end %d MiB\n", tend - t0, tpeak, tlast
    printf "%d verifies %5d s   RSS %d -> %d MiB (peak %d), live heap %s -> %s MiB, threads %s\n", n, vend - v0, vfirst, vlast, vpeak, hfirst, hlast, thr
    if (k > 2) printf "RSS slope over the verify phase: %.2f MiB per minute\n", 60 * (k * sxy - sx * sy) / (k * sxx - sx * sx)
  }' "$out/long-run.csv" | tee "$out/summary.txt"
grep -E "VERIFIED|NOT verified" "$out/long-run.log" | head -2 | tee -a "$out/summary.txt"
exit "$rc"
