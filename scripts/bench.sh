#!/usr/bin/env bash
# Runs the load benchmark of BENCHMARKS.md on this machine: a fresh
# redis-server (append-only, as in production), `zsbot serve` against it and
# `zsbot bench` against that, all on loopback. Arguments go to zsbot bench,
# e.g. scripts/bench.sh --rate 3000 --duration 60s.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $serve $redis 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/zsbot" ./cmd/zsbot
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rport=$(port); hport=$(port)
redis-server --port "$rport" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes \
  --appendfsync everysec --logfile redis.log &
redis=$!
until redis-cli -p "$rport" ping >/dev/null 2>&1; do sleep 0.05; done
export ZSBOT_REDIS_URL="redis://127.0.0.1:$rport/0" ZSBOT_HTTP_ADDR="127.0.0.1:$hport" \
  ZSBOT_ADMINS=benchadmin ZSBOT_BUREAU=bench ZSBOT_DATA_DIR="$work" \
  ZSBOT_WECOM_CORP_ID=wx5823bf96d3bd56c7 ZSBOT_WECOM_AGENT_ID=1000002 ZSBOT_WECOM_SECRET=bench-secret \
  ZSBOT_WECOM_TOKEN=QDG6eK ZSBOT_WECOM_AES_KEY=jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C \
  ZSBOT_WECOM_API_BASE=http://127.0.0.1:9 ZSBOT_WECOM_MAX_SKEW=0
GOMAXPROCS=${SERVE_GOMAXPROCS:-2} "$work/zsbot" serve 2>"$work/serve.log" &
serve=$!
until curl -sf "http://127.0.0.1:$hport/healthz" >/dev/null; do sleep 0.05; done
"$work/zsbot" bench --pid "$serve" "$@"
