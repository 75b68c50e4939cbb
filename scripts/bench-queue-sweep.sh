#!/usr/bin/env bash
# Queue sweep vs local pool, by hand (not part of `npm run bench`: it needs
# redis-server and starts processes). Same 24 sets on one candle file:
#   local: rung sweep --workers 2 (reads the file, starts 2 threads)
#   queue: rung sweep --queue on a local redis-server, 2 `rung worker --threads 1`
#          started (and warm: file read, threads up) before the timing
# Rounds alternate local and queue; each round uses another --maker-fee, so the
# queue finds no finished set of an earlier round. Checks the rankings agree.
# Usage: bash scripts/bench-queue-sweep.sh CANDLES.csv.gz [rounds] [port]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(realpath "${1:?usage: bash scripts/bench-queue-sweep.sh CANDLES.csv.gz [rounds] [port]}")
ROUNDS=${2:-2}
PORT=${3:-6399}
GRID=(--grid takeProfitPercentage=0.25,0.5,1,2 --grid orderCount=4,8,12 --grid maxDropPercentage=4,7)
OUT=$(mktemp -d)
R=(node --import tsx packages/bot-cli/src/bin.ts)
# seconds OUT ERR command...: runs it with stdout to OUT and stderr to ERR, prints the wall time.
seconds() { local out=$1 err=$2 s e; shift 2; s=$(date +%s%N); "$@" >"$out" 2>"$err"; e=$(date +%s%N); echo "$(((e - s) / 1000000)) ms"; }
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$OUT" >/dev/null &
RP=$!
W=()
cleanup() { kill -TERM "${W[@]}" 2>/dev/null || true; wait "${W[@]}" 2>/dev/null || true; kill -TERM $RP; wait $RP || true; rm -rf "$OUT"; }
trap cleanup EXIT
sleep 0.5
for i in 1 2; do
  "${R[@]}" worker --queue "redis://127.0.0.1:$PORT" --data "$DATA" --threads 1 >"$OUT/worker$i.log" 2>&1 &
  W+=($!)
done
until grep -q 'worker on' "$OUT/worker1.log" && grep -q 'worker on' "$OUT/worker2.log"; do sleep 0.2; done
for round in $(seq "$ROUNDS"); do
  fee="0.0$((7 + round))"
  echo "round $round local pool (2 threads): $(seconds "$OUT/local.json" "$OUT/local.err" "${R[@]}" sweep --data "$DATA" --workers 2 "${GRID[@]}" --maker-fee "$fee" --json)"
  echo "round $round queue (2 workers x 1 thread): $(seconds "$OUT/queue.json" "$OUT/queue.err" "${R[@]}" sweep --queue "redis://127.0.0.1:$PORT" --data "$DATA" "${GRID[@]}" --maker-fee "$fee" --json)"
  cmp -s "$OUT/local.json" "$OUT/queue.json" && echo "round $round: rankings identical" || { echo "round $round: rankings DIFFER"; tail -n 3 "$OUT/queue.err"; }
done
echo "re-run of the last queue sweep (every set finished): $(seconds /dev/null /dev/null "${R[@]}" sweep --queue "redis://127.0.0.1:$PORT" --data "$DATA" "${GRID[@]}" --maker-fee "0.0$((7 + ROUNDS))" --json)"
