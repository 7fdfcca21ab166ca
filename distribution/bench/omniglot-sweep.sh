#!/usr/bin/env bash
# The omniglot recipe's batch shape in the recipe-sweep replica (README, Recipe sweep): the same 64
# images a step as 32 characters x 2 images (the recipe), 16 x 4 (P x K, --images-each 4) or 21 x 3,
# every step's characters from one alphabet, at the recipe's full length, several seeds; each run in
# its own process on one GPU. Needs DATA (the omniglot zips under DATA/omniglot).
# Usage: DATA=… OUT=… distribution/bench/omniglot-sweep.sh
set -uo pipefail
sweep="$(dirname "$0")/recipe-sweep.py"
omni='"size": 64, "dense": 1024, "alphabet": 1.0, "bn": true, "augment": true, "lr": 0.003, "schedule": "cosine", "turns": true, "pairs": 329689'
run() {  # name seed "P, K"
  timeout "${LIMIT:-500}" python3 "$sweep" omniglot "[{\"name\": \"$1-s$2\", \"seed\": $2, \"inbatch\": [$3], $omni}]" >>"$OUT/log.txt" 2>&1 &
}
for seed in 42 7 11; do run recipe32x2 $seed "32, 2"; run pxk16x4 $seed "16, 4"; done
for seed in 42 7; do run pxk21x3 $seed "21, 3"; done
wait
