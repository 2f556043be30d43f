#!/usr/bin/env bash
# A throwaway single-node Slurm cluster (slurmctld + slurmd on this host) for testing, fully isolated in DIR:
# its own munge key and socket, slurm.conf, ports, state and spool directories, logs and pid files. Needs root and
# Debian's slurm-wlm + munge (.ci/slurm-up.sh installs them).
#   scripts/slurm/local-cluster.sh start DIR [CPUS]   -> prints "export SLURM_CONF=DIR/slurm.conf"; waits until the node is idle
#   scripts/slurm/local-cluster.sh stop DIR           -> stops the three daemons it started, by the pids in DIR/*.pid
# Ports: HARDLEARN_SLURM_PORT (default 16817) for slurmctld and that + 1 for slurmd.
set -euo pipefail
cmd=${1:?usage: local-cluster.sh start|stop DIR [CPUS]}
dir=$(realpath -m "${2:?usage: local-cluster.sh start|stop DIR [CPUS]}")
cpus=${3:-$(nproc)}
port=${HARDLEARN_SLURM_PORT:-16817}

stop_pidfile() { # stop the process named in a pid file, wait for it to exit
  local f=$1 pid
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

case "$cmd" in
start)
  [ "$(id -u)" = 0 ] || { echo "local-cluster: must run as root (SlurmUser=root)" >&2; exit 1; }
  for b in munged slurmctld slurmd sinfo; do command -v $b >/dev/null || { echo "local-cluster: $b not installed (run .ci/slurm-up.sh)" >&2; exit 1; }; done
  mkdir -p "$dir/state" "$dir/spool"
  chmod 700 "$dir"
  host=$(hostname -s)
  if [ ! -s "$dir/munge.key" ]; then dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none; fi
  chmod 400 "$dir/munge.key"
  cat > "$dir/slurm.conf" <<CONF
ClusterName=hardlearn
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" --pid-file="$dir/munged.pid" \
    --log-file="$dir/munged.log" --seed-file="$dir/munge.seed" || { echo "local-cluster: munged failed: $(tail -n 3 "$dir/munged.log" 2>/dev/null)" >&2; exit 1; }
  slurmctld -i || { echo "local-cluster: slurmctld failed: $(tail -n 3 "$dir/slurmctld.log" 2>/dev/null)" >&2; exit 1; }
  slurmd || { echo "local-cluster: slurmd failed: $(tail -n 3 "$dir/slurmd.log" 2>/dev/null)" >&2; exit 1; }
  for _ in $(seq 1 300); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -n1 || true)
    case "$state" in idle|mix|alloc) echo "export SLURM_CONF=$dir/slurm.conf"; exit 0 ;; esac
    sleep 0.2
  done
  echo "local-cluster: node did not become idle within 60 s (state '${state:-none}'); slurmctld log: $(tail -n 3 "$dir/slurmctld.log" 2>/dev/null | tr '\n' ' ') slurmd log: $(tail -n 3 "$dir/slurmd.log" 2>/dev/null | tr '\n' ' ')" >&2
  exit 1
  ;;
stop)
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/munged.pid"
  ;;
*) echo "usage: local-cluster.sh start|stop DIR [CPUS]" >&2; exit 2 ;;
esac
