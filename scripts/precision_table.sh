#!/usr/bin/env bash
# Trials and seconds each shipped study needs to reach `--precision 0.01` (every mean
# profit within ±1%, every P(A beats B) within ±0.01) with simple Monte Carlo and with a
# Latin hypercube, same seeds: the table in the README's "Latin hypercube sampling".
#
#   bash scripts/precision_table.sh            # every file in scenarios/
#   bash scripts/precision_table.sh FILE...    # some
#
# Builds the release binary first. Each run stops at --max-trials (default 100,000): such
# a row says "not reached".
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/shopsim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(scenarios/*.toml)
fi
echo "| study | mc: trials | mc: seconds | lhs: trials | lhs: seconds | trials mc / lhs |"
echo "|---|---|---|---|---|---|"
for f in "${files[@]}"; do
  declare -A trials=() seconds=()
  for s in mc lhs; do
    start=$(date +%s.%N)
    line=$("$bin" run "$f" --precision 0.01 --sampling "$s" --no-charts --force --out "$out" 2>/dev/null | grep '^  precision:' || true)
    end=$(date +%s.%N)
    seconds[$s]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    if [[ $line =~ reached\ after\ ([0-9,]+)\ trials ]]; then
      trials[$s]=${BASH_REMATCH[1]//,/}
    else
      trials[$s]="not reached"
    fi
  done
  ratio="—"
  if [[ ${trials[mc]} =~ ^[0-9]+$ && ${trials[lhs]} =~ ^[0-9]+$ ]]; then
    ratio=$(awk -v a="${trials[mc]}" -v b="${trials[lhs]}" 'BEGIN { printf "%.1f×", a / b }')
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$(basename "$f" .toml)" \
    "${trials[mc]}" "${seconds[mc]}" "${trials[lhs]}" "${seconds[lhs]}" "$ratio"
  unset trials seconds
done
