#!/usr/bin/env bash
# Reproduces one column of docs/BENCHMARKS.md: fills a fresh database with `aman demo`, starts
# `aman serve` on it (timing the start until /healthz answers), and runs `aman bench` against it.
#
#   scripts/bench.sh N                      # SQLite in ./bench-data-N
#   scripts/bench.sh N postgres://…/db      # PostgreSQL (the database must exist and be empty)
#
# Everything listens on loopback only.
set -euo pipefail
n=${1:?usage: scripts/bench.sh N [postgres-url]}
url=${2:-}
data=${BENCH_DATA:-./bench-data-$n}
port=${BENCH_PORT:-8097}
bin=$(mktemp -d)/aman
go build -o "$bin" ./cmd/aman

store=(--data "$data")
if [[ -n "$url" ]]; then store+=(--database-url "$url"); fi

if [[ ! -e "$data/.demo-done" ]]; then
  mkdir -p "$data"
  /usr/bin/time -f "demo: %e s wall, %U s user, %S s system, %M KB peak RSS" "$bin" demo "${store[@]}" --beneficiaries "$n" --quiet
  touch "$data/.demo-done"
fi

start=$(date +%s.%N)
"$bin" serve "${store[@]}" --addr "127.0.0.1:$port" --log-level warn > "$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null 2>&1; do sleep 0.02; done
echo "start-up until /healthz answers: $(echo "$(date +%s.%N) - $start" | bc) s"

"$bin" bench "${store[@]}" --url "http://127.0.0.1:$port" ${BENCH_FLAGS:-}
echo "server peak RSS (VmHWM): $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
