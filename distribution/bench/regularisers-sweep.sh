#!/usr/bin/env bash
# The AT&T regulariser and extra-identity sweep of the recipe-sweep replica (README, Recipe sweep),
# four seeds per variant, every variant in its own process on one GPU; and the Omniglot recipe at
# 100%, 85% and 70% of its steps, three seeds each. Needs DATA (att_faces, omniglot zips) and
# LFW_CROPS (Haar cut-outs named person_NNNN.png, as face:import-negatives writes them).
# Usage: DATA=… LFW_CROPS=… OUT=… distribution/bench/regularisers-sweep.sh
set -uo pipefail
sweep="$(dirname "$0")/recipe-sweep.py"
base='"size": 64, "dense": 1024, "pairs": 72900, "fixed_pairs": 2700, "bn": true, "augment": true, "lr": 0.001'
declare -A variants=(
  [base]=''
  [fresh]='"fixed_pairs": 0'
  [dropout]='"dropout": 0.5'
  [standardise]='"standardise": true'
  [erase]='"erase": 0.5'
  [jitter]='"jitter": 0.3'
  [reg]='"dropout": 0.5, "erase": 0.5, "jitter": 0.3'
  [lfwmix]='"lfw_share": 0.5, "pairs": 145800'
  [lfwpre]='"lfw_pretrain": 0.5, "pairs": 145800'
  [long]='"pairs": 145800, "curve": [0.25, 0.5, 0.75, 1.0]'
  [half]='"convs": [[16, 7, true], [32, 5, true], [32, 3, true], [64, 3, false]], "dense": 512'
  [l2]='"embed": "l2"'
)
for name in "${!variants[@]}"; do
  cfgs=$(for seed in 42 7 11 3; do
    extra=${variants[$name]}
    echo "{\"name\": \"$name\", \"seed\": $seed, $base${extra:+, $extra}}"
  done | paste -sd, -)
  timeout "${LIMIT:-440}" python3 "$sweep" att "[$cfgs]" >>"$OUT/log.txt" 2>&1 &
done
omni='"size": 64, "dense": 1024, "inbatch": [32, 2], "alphabet": 1.0, "bn": true, "augment": true, "lr": 0.003, "schedule": "cosine", "turns": true, "curve": [1.0]'
for seed in 42 7 11; do
  cfgs=$(for share in 85 100 70; do
    echo "{\"name\": \"omniglot$share\", \"seed\": $seed, \"pairs\": $((329689 * share / 100)), $omni}"
  done | paste -sd, -)
  timeout "${LIMIT:-440}" python3 "$sweep" omniglot "[$cfgs]" >>"$OUT/log.txt" 2>&1 &
done
wait
