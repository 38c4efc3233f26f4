#!/usr/bin/env python3
"""Where a variant-day's time goes, step by step, from a perf profile of `shopsim bench`.

    cargo build --release --config 'profile.release.debug="line-tables-only"'
    perf record --call-graph dwarf,8192 -F 2500 -o perf.data \\
        target/release/shopsim bench --study-only --threads 1 --trials 4000
    perf script -i perf.data --inline -F ip,sym,srcline > perf.txt
    scripts/profile_steps.py perf.txt [NS_PER_VARIANT_DAY]

Each sample is put in the step of the trial loop (`src/sim/trial/mod.rs`, `run_shared`)
whose statement it was under — found from the inlined frames' source lines, so LTO's
inlining hides nothing — or in the study's other work (stream starts, input sampling,
batch buffers, the statistics, the analysis). Samples of the exact-draw floor that
`shopsim bench` also runs (`sim::trial::floor`) are counted apart. The last column is the
share of a step's samples whose innermost frame is a sampler or the maths under it
(`draws.rs`, the generator, `rand_distr`, libm): the rest is the model's own work.
NS_PER_VARIANT_DAY (the bench's end-to-end time a trial-day on one thread) turns shares
into nanoseconds.
"""
import collections
import os
import sys

MOD_RS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'sim', 'trial', 'mod.rs')

# A statement of run_shared's day loop, by what its first line contains.
STATEMENTS = [
    ('demand.day', 'demand (orders, live, noise, viral)'),
    ('buyers.repeat_orders', 'repeat orders'),
    ('penalty.record', 'late dispatch'),
    ('deliveries.day', 'delivery (lost, returns, complaints, resold)'),
    ('buyers.update', 'buyers, caps, probation, stock'),
    ('stock.', 'buyers, caps, probation, stock'),
    ('probation', 'buyers, caps, probation, stock'),
    ('supplier_declines', 'buyers, caps, probation, stock'),
    ('let allowed', 'buyers, caps, probation, stock'),
    ('money.day', 'money'),
    ('cash.day', 'cash'),
    ('totals.add', 'totals'),
    ('daily.', 'daily paths (f32 writes)'),
    ('deliveries.histogram', 'trial end (delay histogram, outputs)'),
    ('totals.finish', 'trial end (delay histogram, outputs)'),
    ('add_histogram', 'trial end (delay histogram, outputs)'),
]
# Where an instruction without a statement line belongs, by its file.
FILES = {
    'demand.rs': 'demand (orders, live, noise, viral)',
    'buyers.rs': 'buyers, caps, probation, stock',
    'stock.rs': 'buyers, caps, probation, stock',
    'probation.rs': 'buyers, caps, probation, stock',
    'penalty.rs': 'late dispatch',
    'delivery.rs': 'delivery (lost, returns, complaints, resold)',
    'money.rs': 'money',
    'landed.rs': 'money',
    'cash.rs': 'cash',
    'totals.rs': 'totals',
    'regimes.rs': 'trial set-up (regimes, delay pmfs, models)',
    'delay.rs': 'trial set-up (regimes, delay pmfs, models)',
}
SAMPLER_FILES = ('draws.rs', 'splitmix64.rs', 'normal.rs', 'gamma.rs', 'poisson.rs',
                 'float.rs', 'integer.rs', 'utils.rs', 'ziggurat_tables.rs', 'rng.rs',
                 'distribution.rs', 'erf.rs', 'exp.rs', 'e_exp.c', 'w_exp.c', 'e_log.c',
                 'w_log.c', 'floor.rs')


def main():
    text = open(sys.argv[1]).read()
    ns = float(sys.argv[2]) if len(sys.argv) > 2 else None
    mod = open(MOD_RS).read().split('\n')
    start = next(i for i, l in enumerate(mod) if 'pub fn run_shared' in l) + 1
    end = next(i for i, l in enumerate(mod) if i >= start and l.startswith('}')) + 1
    loop = next(i for i, l in enumerate(mod) if 'for day in 0..horizon' in l) + 1

    def statement(n):
        if n < loop:
            return 'trial set-up (regimes, delay pmfs, models)'
        for i in range(n, start, -1):
            for key, name in STATEMENTS:
                if key in mod[i - 1]:
                    return name
        return 'day loop (no statement line)'

    counts = collections.Counter()
    sampler = collections.Counter()
    for sample in text.split('\n\n'):
        lines = [l for l in sample.split('\n') if l.strip()]
        frames = []
        for a, b in zip(lines[0::2], lines[1::2]):
            parts = a.strip().split(' ', 1)
            frames.append((parts[1] if len(parts) > 1 else '', b.strip().split(' ')[0]))
        if not frames:
            continue
        syms = ' | '.join(s for s, _ in frames)
        srcs = ' '.join(f for _, f in frames)
        if 'Floor::days' in syms or 'floor.rs:' in srcs and 'libm' not in srcs:
            step = 'FLOOR'
        elif 'run_shared' in syms:
            lines_in = [int(f.split(':')[1]) for s, f in frames
                        if s.split('::')[-1].startswith('run_shared') and f.startswith('mod.rs:')
                        and start <= int(f.split(':')[1]) <= end]
            if lines_in:
                step = statement(lines_in[-1])
            else:
                step = next((FILES[f.split(':')[0]] for _, f in frames if f.split(':')[0] in FILES),
                            'day loop (no statement line)')
        elif 'SharedDraws::reset' in syms:
            step = 'stream starts (SharedDraws::reset)'
        elif 'add_batch' in syms:
            # A daily path goes in value by value (`Sketch::add`); outputs and pairs
            # in sorted runs (`add_sorted`).
            daily = any(s.split('::')[-1] == 'add' and f.startswith('sketch.rs:') for s, f in frames)
            step = ('statistics: daily sketches' if daily or 'add_days' in syms
                    else 'statistics: outputs, pairs, P(best)')
        elif 'sample_batch' in syms:
            step = 'input sampling'
        elif 'BatchOutputs::run' in syms:
            step = 'batch buffers'
        elif 'analyze' in syms or 'write_study' in syms or 'output::' in syms:
            step = 'analysis and tables'
        elif 'merge' in syms or 'run_batches' in syms or 'run_all' in syms:
            step = 'accumulators: new, merge'
        elif len(frames) <= 4 and 'shopsim' in syms:
            step = 'unattributed (stack lost)'
        else:
            step = 'other (start-up, kernel)'
        counts[step] += 1
        if frames[0][1].split(':')[0] in SAMPLER_FILES or frames[0][0].startswith(('__ieee754', 'exp', '__GI___exp', '__log')):
            sampler[step] += 1
    e2e = sum(n for s, n in counts.items() if s != 'FLOOR')
    print(f"samples: {e2e} end to end, {counts['FLOOR']} in the floor")
    print('| step | share | ns a variant-day | in samplers |')
    print('|---|---:|---:|---:|')
    for step, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if step == 'FLOOR':
            continue
        cost = f'{ns * n / e2e:.1f}' if ns else ''
        print(f'| {step} | {100 * n / e2e:.1f}% | {cost} | {100 * sampler[step] / n:.0f}% |')


if __name__ == '__main__':
    main()
