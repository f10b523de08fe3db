#!/bin/bash
# The README's cold-build ratio: the read baseline and a cold `blatt list --count`
# (which builds the index in an empty cache directory), timed in turns so that
# both see the same minutes of a machine whose speed drifts.
#   bash benches/turns.sh DIR [TURNS]     (DIR from the gen-collection example)
# Each turn: the load benchmark's baseline (best of 3), then the median of three
# cold `blatt list --count` processes, each with a cache directory of its own.
set -euo pipefail
dir=${1:?usage: bash benches/turns.sh DIR [TURNS]}
turns=${2:-8}
cargo build --release --quiet
cargo bench --bench load --no-run --quiet 2>/dev/null
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
for _ in $(seq "$turns"); do
  base=$(cargo bench --quiet --bench load -- "$dir" --baseline 2>/dev/null | awk '/^baseline:/ {print $7}')
  list=$(for n in 1 2 3; do
    BLATT_CACHE_DIR="$cache/$RANDOM$n" /usr/bin/time -f '%e' target/release/blatt list --count "$dir" 2>&1 >/dev/null | tail -1
  done | sort -n | sed -n 2p)
  rm -rf "${cache:?}"/*
  awk -v b="$base" -v l="$list" 'BEGIN { printf "baseline %.3f s   cold list --count %.2f s   %.2f×\n", b, l, l / b }'
done
