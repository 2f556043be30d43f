#!/usr/bin/env bash
# Scale-out of one sweep over Slurm array jobs of 1, 2 and 4 tasks on a throwaway local cluster (local-cluster.sh):
# wall time from sbatch to the last task's end, and the sha256 of the merged result (must be the same for every n).
#   scripts/slurm/scaleout.sh [SPEC] [CPUS]     (root; after npm run build and .ci/slurm-up.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
spec=$(realpath "${1:-$root/examples/sweeps/small-array.json}")
cpus=${2:-$(nproc)}
work=$(mktemp -d /tmp/hardlearn-scaleout-XXXXXX)
export HARDLEARN_SLURM_PORT=${HARDLEARN_SLURM_PORT:-18817}
trap '"$here/local-cluster.sh" stop "$work/cluster"; rm -rf "$work"' EXIT
eval "$("$here/local-cluster.sh" start "$work/cluster" "$cpus")"
export HARDLEARN="$(command -v node) $root/dist/cli/main.js" HARDLEARN_NO_PROGRESS=1
t0=$(date +%s.%N)
$HARDLEARN sweep "$spec" --results "$work/local.jsonl" --output "$work/local.json" >/dev/null 2>&1
t1=$(date +%s.%N)
printf 'local (one process): %.1f s  sha256 %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$(sha256sum < "$work/local.json" | cut -c1-16)"
for n in 1 2 4; do
  out="$work/out$n"
  t0=$(date +%s.%N)
  job=$(sbatch --parsable --array=0-$((n - 1)) -o "$work/log-$n-%a.txt" -D "$work" "$here/sweep-array.sbatch" "$spec" "$out")
  while [ -n "$(squeue -h -j "$job" 2>/dev/null)" ]; do sleep 0.2; done
  t1=$(date +%s.%N)
  $HARDLEARN merge "$out"/shard-*.jsonl --output "$work/merged$n.json" >/dev/null
  printf '%d array task(s): %.1f s  sha256 %s  per-task compute: %s\n' "$n" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$(sha256sum < "$work/merged$n.json" | cut -c1-16)" \
    "$(for f in "$out"/shard-*.jsonl; do node -e 'let s=0;for(const l of require("fs").readFileSync(process.argv[1],"utf8").split("\n"))if(l.startsWith("{\"t\":\"cell\""))s+=JSON.parse(l).timing.seconds;process.stdout.write(s.toFixed(1)+"s ")' "$f"; done)"
done
