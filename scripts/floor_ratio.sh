#!/bin/sh
# The engine against its exact-draw floor, both measured in this one run (issue 27):
#
#   1. `cargo bench --bench samplers -- variant_day`: the floor per variant-day on one
#      core (criterion's median of eight_draws, seven_draws_fbt, five_draws_managed);
#   2. `shopsim bench --study-only` (release): the built-in study over 365 days end to
#      end on THREADS threads, and the same floor loop run on those threads at once;
#
# then prints the end-to-end rate as a share of the floor, both ways: against criterion's
# one-core figure × threads (weighted as the study's variants draw: two eight-draw
# variants, one FBT, one fully managed), and against the floor `shopsim bench` measured
# on the same threads in parallel.
#
#   scripts/floor_ratio.sh [THREADS [TRIALS]]      (defaults: 2 threads, 10000 trials)
#
# Needs only cargo and a POSIX shell with awk; run from anywhere inside the repository.
set -eu

threads=${1:-2}
trials=${2:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}

echo "== cargo build --release" >&2
cargo build --release --quiet
echo "== cargo bench --bench samplers -- variant_day" >&2
cargo bench --quiet --bench samplers -- variant_day >&2

# Criterion's median time per iteration (1,000 variant-days), in ns.
median() {
    file="$target/criterion/variant_day/$1/new/estimates.json"
    if [ ! -f "$file" ]; then
        echo "floor_ratio.sh: no criterion estimate at $file" >&2
        exit 1
    fi
    value=$(tr -d ' \n' <"$file" |
        sed 's/.*"median":{"confidence_interval":{[^}]*},"point_estimate":\([0-9.eE+-]*\).*/\1/')
    case $value in
    '' | *[!0-9.eE+-]*)
        echo "floor_ratio.sh: no median in $file" >&2
        exit 1
        ;;
    esac
    echo "$value"
}
eight=$(median eight_draws)
seven=$(median seven_draws_fbt)
five=$(median five_draws_managed)

echo "== shopsim bench --study-only --threads $threads --trials $trials" >&2
json=$("$target/release/shopsim" bench --study-only --json --threads "$threads" --trials "$trials")

# The first "key": number in the JSON (the study's; --study-only has no other run).
field() {
    printf '%s\n' "$json" | awk -v key="\"$1\":" '$1 == key { gsub(/,/, "", $2); print $2; exit }'
}
rate=$(field end_to_end_rate)
floor_rate=$(field rate)
floor_ns=$(field ns_per_variant_day)
draws=$(printf '%s\n' "$json" | tr -d ' \n' | sed 's/.*"draws_per_variant":\[\([0-9,]*\)\].*/\1/')

awk -v e8="$eight" -v e7="$seven" -v e5="$five" -v draws="$draws" -v t="$threads" \
    -v rate="$rate" -v frate="$floor_rate" -v fns="$floor_ns" -v trials="$trials" 'BEGIN {
    n = split(draws, d, ",")
    for (i = 1; i <= n; i++) {
        ns = (d[i] == 8) ? e8 : (d[i] == 7) ? e7 : e5
        sum += ns / 1000
    }
    crit_ns = sum / n
    crit_rate = t * 1e9 / crit_ns
    printf "floor (criterion, one core):   %.1f ns a variant-day (8 draws %.1f, FBT 7 draws %.1f, managed 5 draws %.1f; study mix %s)\n", crit_ns, e8 / 1000, e7 / 1000, e5 / 1000, draws
    printf "floor (shopsim bench, %d threads at once): %.1f ns a variant-day a thread, %.2f M variant-days/s\n", t, fns, frate / 1e6
    printf "end to end (shopsim bench, %d threads, %d trials): %.2f M trial-days/s = %.1f ns a trial-day a thread\n", t, trials, rate / 1e6, t * 1e9 / rate
    printf "ratio to the floor: %.1f%% of criterion'"'"'s one-core floor x %d threads; %.1f%% of the floor measured on the same threads\n", 100 * rate / crit_rate, t, 100 * rate / frate
}'
