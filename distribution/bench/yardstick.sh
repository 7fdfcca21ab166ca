#!/bin/sh
# Training speed of both backends against PyTorch used directly from Python, in one run:
# torch-yardstick.py (same network, batch 32, threads, Adam, step timing) and face:bench, preset by
# preset, then the ratios backend / PyTorch. Needs python3 with torch (Debian: python3-torch).
#   PRESETS="small faces koch" STEPS=40 WARMUP=30 distribution/bench/yardstick.sh
# (WARMUP: seconds of training before the timed steps, on both sides.) Each backend runs in a JVM of
# its own, as PyTorch runs in its own process: in one JVM the second backend inherited the first's
# memory (BACKENDS="djl dl4j" by default).
# Run from the repository root after `mvn -B -DskipTests package`; writes $OUT (default
# /tmp/yardstick) and prints a table.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app=${APP:-$root/distribution/target/oneshot}
data=${DATA:-$root/../shared/data}
out=${OUT:-/tmp/yardstick}
presets=${PRESETS:-small faces}
steps=${STEPS:-40}
warmup=${WARMUP:-30}
export WARMUP="$warmup"
backends=${BACKENDS:-djl dl4j}
threads=${THREADS:-$(nproc)}
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$out"
"$python" -c 'import torch' 2>/dev/null || {
  echo "yardstick: $python has no torch (apt-get install python3-torch)" >&2
  exit 2
}
for p in $presets; do
  echo "— $p: PyTorch —" >&2
  "$python" "$here/torch-yardstick.py" "$p" "$steps" "$threads" > "$out/torch-$p.json"
  for b in $backends; do
    echo "— $p: face:bench --backend $b —" >&2
    "$app/bin/oneshot" -c "face:bench --backend $b --preset $p --steps $steps --warmup $warmup --data $data/att_faces --json $out/bench-$p-$b.json" > "$out/bench-$p-$b.txt"
  done
done
"$python" - "$out" "$backends" $presets <<'PY'
import json, sys
out, backends, presets = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
print(f"{'preset':<9} {'PyTorch pairs/s':>16} {'backend':<8} {'pairs/s':>8} {'× PyTorch':>10}")
for p in presets:
    t = json.load(open(f"{out}/torch-{p}.json"))
    for backend in backends:
        row = json.load(open(f"{out}/bench-{p}-{backend}.json"))["backends"][0]
        r = row["trainingPairsPerSecond"] / t["pairsPerSecond"]
        print(f"{p:<9} {t['pairsPerSecond']:>16.1f} {row['backend']:<8} {row['trainingPairsPerSecond']:>8.1f} {r:>9.2f}×")
print(f"PyTorch {t['torch']} on {t['threads']} threads, batch {t['batch']}, timed after {t.get('warmupSeconds', 0):.0f} s of warm-up; ratios above 1 are faster than PyTorch")
PY
