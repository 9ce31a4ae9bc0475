#!/usr/bin/env bash
# Idle resident memory of one gateway: started with bench/gateway/appsettings.json as its content root, slack-alert.csx
# bound globally and arr.csx to the route (as bench/load.sh does), three requests, then IDLE seconds of nothing.
# Prints VmRSS of the gateway process and, apart, of each of its child processes (transform hosts, the compiler),
# at listening and after the idle wait, with the load average.
#
#   bash bench/idle-rss.sh /path/to/Gateway [Process|InProcess] [IDLE]     (defaults: Process, 10 s)
#   TRANSFORMS=/some/folder bash bench/idle-rss.sh ...     another transforms folder (an empty one: no compile at all)
#   BIND=0 bash bench/idle-rss.sh ...                       bind nothing
#   env VAR=value ... bash bench/idle-rss.sh ...           runtime and gateway settings pass through
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GATEWAY_BIN=${1:?usage: idle-rss.sh /path/to/Gateway [Process|InProcess] [IDLE]}
MODE=${2:-Process}
IDLE=${3:-10}
PORT=${PORT:-18195}
TRANSFORMS=${TRANSFORMS:-$ROOT/Transforms}
LOG=$(mktemp /tmp/gateway-idle-rss-XXXXXX.log)

BINDINGS=()
if [[ ${BIND:-1} == 1 ]]; then
  BINDINGS=(Gateway__Transforms__Global__Transforms__0=slack-alert.csx Gateway__Transforms__Routes__example__Transforms__0=arr.csx)
fi

env Gateway__Transforms__Isolation="$MODE" Gateway__Transforms__Path="$TRANSFORMS" "${BINDINGS[@]}" \
  "$GATEWAY_BIN" --contentRoot "$ROOT/bench/gateway" --urls "http://127.0.0.1:$PORT" >"$LOG" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do
  kill -0 "$pid" 2>/dev/null || { cat "$LOG" >&2; echo "the gateway exited" >&2; exit 1; }
  sleep 0.05
done

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "-"; }
report() { # when
  local line="[$1] gateway $(rss_mb "$pid") MB" child
  for child in $(pgrep -P "$pid" || true); do
    line+="; child $child ($(tr '\0' ' ' <"/proc/$child/cmdline" | grep -o 'Gateway\.[A-Za-z]*\.dll[^ ]*\( [a-z-]*\)\?' | head -1)) $(rss_mb "$child") MB"
  done
  echo "$line"
}
report listening
for _ in 1 2 3; do curl -s -o /dev/null -H 'Host: example.com' "http://127.0.0.1:$PORT/"; done
sleep "$IDLE"
report "idle ${IDLE} s"
echo "mode $MODE, transforms $TRANSFORMS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$LOG"
