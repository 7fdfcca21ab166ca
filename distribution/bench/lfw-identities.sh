#!/usr/bin/env bash
# LFW people never seen in training: faces are cut out of the shared LFW images by the detector
# (face:import-negatives), arranged as an identity tree beside the AT&T people, and the model is
# trained on AT&T and half of the LFW people who have two images or more (plus every LFW person
# with one image); face:eval then measures the other half — the pairs protocol and N-way one-shot,
# each beside the raw-pixel floor on the same pairs.
# With HOLD_OUT=lfw-odd, the other half of those people is held out instead (the first, third, …
# in name order), so a figure can be checked on a second split of the people.
# With HOLD_OUT=att, the LFW people are extra training identities instead: the model trains on
# AT&T s1–s30 and every LFW face, and is measured on AT&T s31–s40.
# Usage: distribution/bench/lfw-identities.sh [DATA_DIR]   (after mvn -DskipTests package)
# Env: BACKEND (djl), PRESET (faces), EPOCHS (8), SET (architecture overrides, e.g. norm=batch),
#      SEED (42), TRAIN_OPTS (more face:train options, e.g. "--negatives fixed"),
#      HOLD_OUT (lfw, lfw-odd or att), SCORINGS (face:eval --scoring values, default "head"; each after
#      the first writes pairs.SCORING.json and one-shot.SCORING.json), OUT (folder for the model
#      and JSON results; default a temporary one, deleted), DIST (the built application to run,
#      default distribution/target/oneshot: another build for an A/B), MODEL (score this model,
#      trained by an earlier run, instead of training one; a .fisherfaces beside it is not
#      copied, so face:eval fits them with DIST's code).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dist=${DIST:-$here/target/oneshot}
[ -d "$dist" ] && dist=$(cd "$dist" && pwd)
data=$(cd "${1:-$here/../../shared/data}" && pwd)
backend=${BACKEND:-djl}
preset=${PRESET:-faces}
epochs=${EPOCHS:-8}
set_option=${SET:+--set $SET}
seed=${SEED:-42}
train_opts=${TRAIN_OPTS:-}
lfw="$data/lfw/images"
[ -d "$lfw" ] || { echo "no LFW images under $lfw" >&2; exit 2; }
[ -x "$dist/bin/oneshot" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${OUT:-$work/out}
mkdir -p "$work/home" "$out" "$work/tree"
ln -s "$dist/lib" "$dist/bundle" "$dist/bin" "$work/home/"
run() { ONESHOT_HOME="$work/home" "$dist/bin/oneshot" -c "$1"; }

# Faces cut out by the detector, one file per LFW image: negative_grayed/Name_Surname_0001.png.
run "face:import-negatives --workspace $work/ws $lfw" | tail -3
for f in "$work"/ws/negative_grayed/*.png; do
  name=$(basename "$f" .png)
  person=${name%_*}
  mkdir -p "$work/tree/$person"
  ln -s "$f" "$work/tree/$person/$name.png"
done
# Folders are not followed through links, files are: real folders of linked AT&T images.
for p in "$data"/att_faces/s*/; do
  mkdir "$work/tree/att_$(basename "$p")"
  ln -s "$p"* "$work/tree/att_$(basename "$p")/"
done

hold_out=${HOLD_OUT:-lfw}
case "$hold_out" in
  att) ;;
  lfw) half=0 ;;
  lfw-odd) half=1 ;;
  *) echo "HOLD_OUT must be lfw, lfw-odd or att, not $hold_out" >&2; exit 2 ;;
esac
if [ "$hold_out" = att ]; then
  held='att_s(3[1-9]|40)'
  echo "held out: AT&T s31–s40"
else
  # Every second LFW person with two faces or more, in name order, is kept for evaluation:
  # the second, fourth, … (lfw) or the first, third, … (lfw-odd).
  held=$(for d in "$work"/tree/*/; do
    n=$(basename "$d")
    case "$n" in att_*) continue ;; esac
    [ "$(ls "$d" | wc -l)" -ge 2 ] && echo "$n"
  done | sort | awk -v half="$half" 'NR % 2 == half' | paste -sd'|')
  echo "held out: $(echo "$held" | tr '|' '\n' | wc -l) LFW people"
fi

model="$out/lfw-identities.model"
if [ -n "${MODEL:-}" ]; then
  cp "$MODEL" "$model"
  echo "scoring $MODEL (not trained again)"
else
  run "face:train --backend $backend --data $work/tree --out $model --preset $preset --epochs $epochs --seed $seed $set_option $train_opts --holdout-match '($held)' --json $out/train.json" | grep -E "^training|^epoch|people|pairs/s" || true
fi
first=
for scoring in ${SCORINGS:-head}; do
  suffix=${first:+.$scoring}
  first=no
  echo "scoring $scoring"
  run "face:eval --model $model --data $work/tree --scoring $scoring --json $out/pairs$suffix.json ;
       face:eval --model $model --data $work/tree --protocol one-shot --ways 10 --scoring $scoring --json $out/one-shot$suffix.json"
done
