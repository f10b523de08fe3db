#!/bin/bash
# The README's ratio figure: the read baseline and `blatt list --count`, timed in
# turns so that both see the same minutes of a machine whose speed drifts.
#   bash benches/turns.sh DIR [TURNS]     (DIR from the gen-collection example)
# Each turn: the load benchmark's baseline (best of 3), then the median of three
# whole `blatt list --count` processes, and their ratio.
set -euo pipefail
dir=${1:?usage: bash benches/turns.sh DIR [TURNS]}
turns=${2:-8}
cargo build --release --quiet
cargo bench --bench load --no-run --quiet 2>/dev/null
for _ in $(seq "$turns"); do
  base=$(cargo bench --quiet --bench load -- "$dir" 2>/dev/null | awk '/^baseline:/ {print $7}')
  list=$(for _ in 1 2 3; do /usr/bin/time -f '%e' target/release/blatt list --count "$dir" 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 2p)
  awk -v b="$base" -v l="$list" 'BEGIN { printf "baseline %.3f s   list --count %.2f s   %.2f×\n", b, l, l / b }'
done
