#!/usr/bin/env bash
# Runs the load benchmark of BENCHMARKS.md on this machine: a fresh
# redis-server (append-only, as in production), `zsbot serve` against it and
# zsbench against that, all on loopback. Arguments go to zsbench,
# e.g. scripts/bench.sh --rate 3000 --duration 60s. With REDIS_UNIX=1 the bot
# and the load command reach redis-server by a unix socket instead of
# loopback TCP (ZSBOT_REDIS_URL=unix:///path), as on a single host.
#
# With REDIS_BOUND=1 it then runs redis-benchmark against the same
# redis-server with the Redis work of one write command: the claim script,
# the project read and the write script, with the arguments zsbot sends
# (the scripts' SHAs captured with MONITOR), each key made fresh with
# __rand_int__. The write runs without its two checks (the record is absent,
# the delivery not yet finished): redis-benchmark's random numbers repeat
# across its clients, and a failed check would stop it.
#
# scripts/bench.sh --volume runs instead the whole table of BENCHMARKS.md's
# "Figures at volume (issue 18)": it preloads YEARS (10) seed-sized years
# into the fresh bureau (zsbench --preload-years) before zsbot serve
# starts, runs the read-heavy mix (zsbench --mix read) closed loop for
# ROUNDS (2) rounds of ROUND (30s) each, reported separately, then at RATE
# (3000) messages/s for RATE_DURATION (60s); then stops serve, serves the
# crypto-only bound (zsbench --serve-crypto: WeCom's HTTP, signature and
# AES, nothing else) and runs the same mix against it, closed loop and at
# RATE, for CRYPTO_DURATION (30s) each; and prints the table. Each
# zsbench report goes to stderr as it comes.
#   scripts/bench.sh --volume
#   ROUND=10s RATE_DURATION=20s CRYPTO_DURATION=10s scripts/bench.sh --volume   # a short run
# PROJECTS (20) is how many projects each officer registers at a setup.
# With PROFILE=FILE it also saves a CPU profile of zsbot serve over 30 s of
# the fixed-rate run, from its 5th second (/debug/pprof/profile on the admin
# listener); PROFILE_CLOSED=FILE does the same over the first closed-loop
# round, and PROFILE_ROUND2=FILE over the second (from ROUND + 5 s on; give
# ROUND in seconds, e.g. 30s). Read one with: go tool pprof -top FILE
set -euo pipefail
volume=
if [ "${1:-}" = "--volume" ]; then
  volume=1
  shift
  [ $# -eq 0 ] || { echo "bench.sh --volume takes no other arguments (set ROUND, ROUNDS, RATE, RATE_DURATION, CRYPTO_DURATION, YEARS)" >&2; exit 2; }
fi
cd "$(dirname "$0")/.."
work=$(mktemp -d)
serve= redis= crypto=
trap 'kill $serve $redis $crypto 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/zsbot" ./cmd/zsbot
go build -o "$work/zsbench" ./cmd/zsbench
port() { # a free loopback port
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
# profile FILE [DELAY]: a CPU profile of serve into FILE over 30 s from
# DELAY (5) seconds on, in the background (its job in prof); nothing when
# FILE is empty.
profile() {
  [ -n "$1" ] || return 0
  local file=$1 delay=${2:-5}
  (sleep "$delay"; curl -sf -o "$file" "http://$ZSBOT_ADMIN_ADDR/debug/pprof/profile?seconds=30" &&
    echo "CPU profile of zsbot serve: $file" >&2) &
  prof=$!
}

# volume_run is --volume after serve started: the bot's runs, the
# crypto-only bound's, and the table.
volume_run() {
  local rate=${RATE:-3000} status=0
  bench() { # label file args…: one zsbench run, its report kept and shown
    local label=$1 file=$2; shift 2
    echo "== $label" >&2
    GOMAXPROCS=${BENCH_GOMAXPROCS:-$(nproc)} "$work/zsbench" --mix read --projects "${PROJECTS:-20}" "$@" >"$work/$file" || status=1
    cat "$work/$file" >&2
  }
  local prof= prof2=
  profile "${PROFILE_CLOSED:-}"
  if [ -n "${PROFILE_ROUND2:-}" ]; then
    local round=${ROUND:-30s}
    prof2=$prof
    profile "$PROFILE_ROUND2" $(( ${round%s} + 5 ))
  fi
  bench "zsbot, read mix, closed loop, ${ROUNDS:-2} rounds of ${ROUND:-30s}" read.txt \
    --pid "$serve" --rate 0 --duration "${ROUND:-30s}" --rounds "${ROUNDS:-2}"
  for p in $prof $prof2; do wait "$p" || echo "no CPU profile: the admin listener did not give one" >&2; done
  prof=
  profile "${PROFILE:-}"
  bench "zsbot, read mix, $rate/s for ${RATE_DURATION:-60s}" rate.txt --pid "$serve" --rate "$rate" --duration "${RATE_DURATION:-60s}"
  [ -z "$prof" ] || wait "$prof" || echo "no CPU profile: the admin listener did not give one" >&2
  kill "$serve"; wait "$serve" 2>/dev/null || true; serve=
  local cport; cport=$(port)
  "$work/zsbench" --serve-crypto "127.0.0.1:$cport" 2>"$work/crypto.log" &
  crypto=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$cport") 2>/dev/null; do sleep 0.05; done
  # No Redis (an empty URL is the embedded store, which zsbench does not
  # open) and no /metrics: the bound has neither.
  export ZSBOT_HTTP_ADDR="127.0.0.1:$cport" ZSBOT_ADMIN_ADDR=off ZSBOT_REDIS_URL=
  bench "crypto-only bound, read mix, closed loop, ${CRYPTO_DURATION:-30s}" crypto.txt --pid "$crypto" --rate 0 --duration "${CRYPTO_DURATION:-30s}"
  bench "crypto-only bound, read mix, $rate/s for ${CRYPTO_DURATION:-30s}" crypto-rate.txt --pid "$crypto" --rate "$rate" --duration "${CRYPTO_DURATION:-30s}"
  grep -E 'fsync|rewrite|Background|slow' "$work/redis.log" | sed 's/^/redis.log: /' >&2 || true
  export RATE_LABEL="$rate/s"
  cat "$work/preload.txt"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; other processes share them)"
  echo
  volume_table
  return $status
}

# volume_table prints the markdown table of --volume from the reports:
# each timed phase's commands/s, latency, 统计 and 我的 p99, errors, the
# bot's CPU per 1,000 commands and largest RSS, and its ratio to the
# crypto-only bound (closed loop).
volume_table() {
  awk -v bound="$(awk '/^run: /{print $(NF-1); exit}' "$work/crypto.txt")" '
    function flush() {
      if (name == "") return
      ratio = (bound > 0) ? sprintf("%.0f%%", 100 * rate / bound) : "–"
      if (what == "crypto-only") ratio = fixed ? "–" : "(the bound)"
      printf "| %s, %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", what, name, rate, p50, p99, month, year, mine, errs, cpu, rss, ratio
      name = ""
    }
    FNR == 1 { flush(); what = (FILENAME ~ /crypto/) ? "crypto-only" : "zsbot" }
    /^(run|round [0-9]+): / {
      flush()
      fixed = (FILENAME ~ /rate/)
      name = fixed ? "at " ENVIRON["RATE_LABEL"] : "closed loop"
      if ($1 == "round") name = name ", round " substr($2, 1, length($2) - 1)
      rate = $(NF-1); p50 = p99 = month = year = mine = errs = cpu = rss = "–"
    }
    name != "" && /^  latency/ { p50 = $3; p99 = $7 }
    name != "" && /^  errors/ { errs = $2 }
    name != "" && /^  bot CPU/ { cpu = $3 }
    name != "" && /^  bot RSS/ { rss = $8 }
    name != "" && /^    统计 本月 / { month = $6 }
    name != "" && /^    统计 本年 / { year = $6 }
    name != "" && /^    我的 / { mine = $5 }
    END { flush() }
  ' "$work/read.txt" "$work/rate.txt" "$work/crypto.txt" "$work/crypto-rate.txt" | {
    echo "| run | commands/s | p50 | p99 | 统计 本月 p99 | 统计 本年 p99 | 我的 p99 | errors | bot CPU s/1,000 | bot RSS max MB | ÷ crypto-only closed loop |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    cat
  }
}

rport=$(port)
hport=$(port)
aport=$(port)
redis-server --port "$rport" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes \
  --appendfsync everysec --auto-aof-rewrite-min-size "${AOF_REWRITE_MIN:-4gb}" --logfile redis.log \
  --unixsocket "$work/redis.sock" --unixsocketperm 700 &
redis=$!
until redis-cli -p "$rport" ping >/dev/null 2>&1; do sleep 0.05; done
redis_url="redis://127.0.0.1:$rport/0"
[ -n "${REDIS_UNIX:-}" ] && redis_url="unix://$work/redis.sock?db=0"
export ZSBOT_REDIS_URL="$redis_url" ZSBOT_HTTP_ADDR="127.0.0.1:$hport" ZSBOT_ADMIN_ADDR="127.0.0.1:$aport" \
  ZSBOT_ADMINS=benchadmin ZSBOT_BUREAU=bench ZSBOT_DATA_DIR="$work" \
  ZSBOT_WECOM_CORP_ID=wx5823bf96d3bd56c7 ZSBOT_WECOM_AGENT_ID=1000002 ZSBOT_WECOM_SECRET=bench-secret \
  ZSBOT_WECOM_TOKEN=QDG6eK ZSBOT_WECOM_AES_KEY=jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C \
  ZSBOT_WECOM_API_BASE=http://127.0.0.1:9 ZSBOT_WECOM_MAX_SKEW=0
if [ -n "$volume" ]; then
  "$work/zsbench" --preload-years "${YEARS:-10}" >"$work/preload.txt"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/preload.txt"
  cat "$work/preload.txt" >&2
fi
"$work/zsbot" serve 2>"$work/serve.log" &
serve=$!
until curl -sf "http://127.0.0.1:$hport/healthz" >/dev/null; do sleep 0.05; done
[ -n "$volume" ] && { volume_run; exit $?; }
status=0
GOMAXPROCS=${BENCH_GOMAXPROCS:-$(nproc)} "$work/zsbench" --pid "$serve" "$@" || status=$?
# Redis's own warnings of the run (a slow fsync, an AOF rewrite) explain tail latencies.
grep -E 'fsync|rewrite|Background|slow' "$work/redis.log" | sed 's/^/redis.log: /' >&2 || true
[ -z "${REDIS_BOUND:-}" ] && exit "$status"

# The Redis bound: capture one claim and one write of a visit …
timeout 3 redis-cli -p "$rport" monitor >"$work/monitor.txt" &
sleep 0.3
"$work/zsbench" --officers 2 --projects 1 --rate 20 --duration 1s --tag 9 >/dev/null 2>&1 || true
wait %% 2>/dev/null || true
begin=$(grep -m1 '"evalsha" "[0-9a-f]*" "8" "zs:{bench}:dlv:' "$work/monitor.txt" | awk '{print $5}' | tr -d '"')
apply=$(grep '"evalsha"' "$work/monitor.txt" | awk '{print $5}' | tr -d '"' | grep -v "$begin" | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')
version=$(redis-cli -p "$rport" get 'zs:{bench}:dir:version')
k() { echo "zs:{bench}:$1"; }
activity='{"id":"A__rand_int__","kind":"拜访","date":"2026-10-20","company":"E1","city":"成都","note":"洽谈机器视觉装备项目","by":"ld1o0001"}'
audit='{"who":"ld1o0001","when":"2026-11-25T21:36:56Z","raw":"拜访 星河甲乙丙号精工 成都 洽谈机器视觉装备项目","summary":"拜访 A1","changes":[{"kind":"activity","id":"A1","after":"eyJpZCI6IkExMTgiLCJraW5kIjoi5ouc6K6/IiwiZGF0ZSI6IjIwMjYtMTAtMjAiLCJjb21wYW55IjoiRTgwIiwicHJvamVjdCI6IlA4MCIsImNpdHkiOiLopb/lrokiLCJub3RlIjoi5LiK5pyI6LWw6K6/IiwiYnkiOiJsZDk5bzAwMDkifQ=="}]}'
record='{"done":true,"reply":"已记录拜访 A1：星河甲乙丙号精工，2026年10月20日，成都。内容：洽谈机器视觉装备项目。\n发送「撤销」可撤回。","passive":true}'
bench() { redis-benchmark -p "$rport" -c 64 -n 100000 -r 1000000000000 -q "$@" | tr '\r' '\n' | tail -1; }
echo "redis-benchmark, the Redis work of one write (64 clients, 100000 requests each):"
echo -n "  claim (EVALSHA begin):  " && bench EVALSHA "$begin" 8 "$(k dlv:m:__rand_int__)" "$(k dir:version)" "$(k dir:log)" \
  "$(k rec:person)" "$(k rec:company)" "$(k names:project)" "$(k pick:u1)" "$(k seq:activity)" '{"owner":"X"}' 86400000 u1 "$version" 1
echo -n "  read (HGET project):    " && bench HGET "$(k rec:project)" P1
echo -n "  write (EVALSHA apply):  " && bench EVALSHA "$apply" 7 "$(k rec:activity)" "$(k idx:activity)" "$(k idx:activity:p:P1)" \
  "$(k audit)" "$(k undo:u1)" "$(k hist:P1)" "$(k dlv:m:__rand_int__)" 0 "" 0 0 "" \
  HSET 1 A__rand_int__ "$activity" ZADD 2 20261020 A__rand_int__ ZADD 3 20261020 A__rand_int__ \
  XADD 4 "$audit" m:__rand_int__ PUSHID 5 50 PUSHID 6 200 SETPX 7 "$record" 86400000
exit "$status"
