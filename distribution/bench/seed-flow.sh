#!/usr/bin/env bash
# The seed's flow end to end, from bin/oneshot, on the shared data: one LFW person plays the user.
#   capture anchors and positives (from folders, as from a webcam) -> import LFW negatives ->
#   train -> enrol -> verify held-back images of the user (TAR) and other people (FAR).
# Usage: distribution/bench/seed-flow.sh [DATA_DIR]   (after mvn -DskipTests package)
# Env: BACKEND (djl), EPOCHS (5), PRESET (small), PERSON (Ariel_Sharon), KEEP=1 keeps the work dir,
#      TRAIN_OPTS (more face:train options, e.g. "--from BASE.model" to fine-tune a saved model),
#      SCORINGS (verification scorings to measure in turn on the same model: "head" (default),
#      "head fused"), COHORT=1 (each person's own threshold, fitted against the workspace's LFW
#      negatives as cohort, instead of the model's), COHORTS ("0 1": both in turn, same model),
#      DIST (the built application to run, default distribution/target/oneshot: another build
#      for an A/B).
# Everything it writes (crops, model, gallery) lives in a private temporary home, deleted at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dist=${DIST:-$here/target/oneshot}
[ -d "$dist" ] && dist=$(cd "$dist" && pwd)
data=$(cd "${1:-$here/../../shared/data}" && pwd)
backend=${BACKEND:-djl}
epochs=${EPOCHS:-5}
preset=${PRESET:-small}
person=${PERSON:-Ariel_Sharon}
train_opts=${TRAIN_OPTS:-}
# People kept out of the negatives, whose images probe for false accepts.
strangers=${STRANGERS:-"Alejandro_Toledo Andre_Agassi Alvaro_Uribe Amelie_Mauresmo"}
lfw="$data/lfw/images"
[ -d "$lfw/$person" ] || { echo "no $lfw/$person" >&2; exit 2; }
[ -x "$dist/bin/oneshot" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }

umask 077
work=$(mktemp -d)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
# A private home beside the real one: same bundles, its own var/ (gallery, models, cache).
mkdir -p "$work/home"
ln -s "$dist/lib" "$dist/bundle" "$dist/bin" "$work/home/"
run() { ONESHOT_HOME="$work/home" "$dist/bin/oneshot" -c "$1"; }

# The user's images, in name order: 25 anchors, 25 positives, 10 to enrol, the rest held back.
mkdir -p "$work/anchor" "$work/positive" "$work/enrol" "$work/probe" "$work/negatives"
i=0
for f in $(ls "$lfw/$person" | sort); do
  i=$((i + 1))
  if [ $i -le 25 ]; then d=anchor; elif [ $i -le 50 ]; then d=positive
  elif [ $i -le 60 ]; then d=enrol; else d=probe; fi
  ln -s "$lfw/$person/$f" "$work/$d/$f"
done
for p in "$lfw"/*/; do
  name=$(basename "$p")
  case " $person $strangers " in *" $name "*) continue ;; esac
  mkdir "$work/negatives/$name"  # folders are not followed through links; files are
  ln -s "$p"* "$work/negatives/$name/"
done

ws="$work/workspace"
run "face:capture --source folder:$work/anchor --as anchor --count 25 --workspace $ws ;
     face:capture --source folder:$work/positive --as positive --count 25 --workspace $ws ;
     face:import-negatives --workspace $ws $work/negatives ;
     face:train --backend $backend --data $ws --out $work/user.model --preset $preset --epochs $epochs $train_opts --json $work/train.json ;
     face:enrol $person $work/enrol"

for cohort_on in ${COHORTS:-${COHORT:-0}}; do
for scoring in ${SCORINGS:-head}; do
run_name="$scoring-c$cohort_on"
echo "scoring $scoring, cohort $([ "$cohort_on" = 1 ] && echo "the workspace's negatives" || echo none)"
# One application run verifies the probes; a probe without a detected face fails its statement
# (and the run stops there, as -c does), so the run resumes after it.
stmts=() jsons=()
n=0
for f in "$work"/probe/*; do
  n=$((n + 1)); jsons+=("$work/v-$run_name-user-$n.json"); stmts+=("face:verify --json $work/v-$run_name-user-$n.json $person $f")
done
for s in $strangers; do
  for f in "$lfw/$s"/*; do
    n=$((n + 1)); jsons+=("$work/v-$run_name-other-$n.json"); stmts+=("face:verify --json $work/v-$run_name-other-$n.json $person $f")
  done
done
refused=0
next=0
while [ $next -lt ${#stmts[@]} ]; do
  cohort=cohort.dir=; [ "$cohort_on" = 1 ] && cohort="cohort.dir=$ws/negative_grayed"
  line="face:config org.oneshot.verification scoring=$scoring $cohort ; $(printf '%s ; ' "${stmts[@]:$next}")"
  if run "$line" >> "$work/verify.log" 2>&1; then break; fi
  while [ $next -lt ${#stmts[@]} ] && [ -f "${jsons[$next]}" ]; do next=$((next + 1)); done
  refused=$((refused + 1)); next=$((next + 1))
done

python3 - "$work" "$run_name" <<'PY'
import glob, json, sys
w, scoring = sys.argv[1], sys.argv[2]
def rate(kind):
    files = glob.glob(f"{w}/v-{scoring}-{kind}-*.json")
    yes = sum(json.load(open(f))["verified"] for f in files)
    return yes, len(files)
ua, un = rate("user"); oa, on = rate("other")
t = json.load(open(f"{w}/train.json"))
print(f"backend {t['backend']}/{t['preset']}, {t['pairs']} training pairs, "
      f"validation accuracy {float(t['metrics.validationAccuracy']):.3f}, "
      f"detection threshold {t.get('metrics.validationThreshold', '?')}")
print(f"TAR {ua}/{un} = {ua / max(un, 1):.3f}   (held-back images of the user, verified)")
print(f"FAR {oa}/{on} = {oa / max(on, 1):.3f}   (other people's images, verified as the user)")
# Threshold-free: how often a held-back image of the user scores above another person's image
# (each probe's mean score over the enrolled images; the ROC AUC of those scores).
def scores(kind):
    return [json.load(open(f))["meanScore"] for f in glob.glob(f"{w}/v-{scoring}-{kind}-*.json")]
us, os_ = scores("user"), scores("other")
wins = sum((u > o) + 0.5 * (u == o) for u in us for o in os_)
print(f"AUC {wins / max(len(us) * len(os_), 1):.3f}   (user's probes above others', mean scores)")
sources = sorted({json.load(open(f))["detectionThresholdSource"] for f in glob.glob(f"{w}/v-{scoring}-*.json")})
print("detection threshold from: " + "; ".join(sources))
PY
echo "probes refused: $refused"
done
done
grep '^Error' "$work/verify.log" | sed 's/^/  /' || true
