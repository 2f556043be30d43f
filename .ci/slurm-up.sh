#!/usr/bin/env bash
# Install what the real-Slurm test (test/sweep-slurm.test.ts) needs: Debian's slurm-wlm (slurmctld, slurmd, sbatch,
# squeue, scancel) and munge. Idempotent: does nothing when every binary is already present.
# The daemons themselves are started by the test, as an isolated single-node cluster (its own munge key and socket,
# slurm.conf, ports and state directory under a temporary directory), and stopped by the test by process id.
set -euo pipefail
need=(munged slurmctld slurmd sbatch squeue scancel sinfo)
missing=0
for b in "${need[@]}"; do command -v "$b" >/dev/null 2>&1 || missing=1; done
if [ "$missing" = 1 ]; then
  if [ "$(id -u)" != 0 ]; then echo "slurm-up: slurm-wlm/munge are missing and installing them needs root" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
for b in "${need[@]}"; do
  command -v "$b" >/dev/null 2>&1 || { echo "slurm-up: $b not found after installing slurm-wlm and munge" >&2; exit 1; }
done
echo "slurm-up: $(slurmctld -V), munge $(munged --version 2>&1 | head -n1)"
