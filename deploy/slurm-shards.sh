#!/bin/bash
# Runs a shopsim study as a Slurm job array (one task per shard), then merges the parts in
# a job that starts when every task has succeeded:
#
#   jobid=$(sbatch --parsable deploy/slurm-shards.sh)
#   sbatch --dependency=afterok:$jobid --wrap \
#     "shopsim merge results/parts/us_tariff_shock.shard-* --out results/output"
#
# Edit the array size (= SHARDS), the scenario, --trials and --seed. Every task must use
# the same scenario, --trials, --seed and --params: `shopsim merge` refuses parts that
# differ. results/ must be on a file system every node sees.
#SBATCH --job-name=shopsim-shards
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=04:00:00
set -euo pipefail
SHARDS=${SHARDS:-8}
shopsim run scenarios/us_tariff_shock.toml \
  --trials 1000000 --seed 2026 \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  --threads "${SLURM_CPUS_PER_TASK:-2}" --out results/parts
