#!/usr/bin/env bash
# Resident memory of the gateway across hot reloads: starts the Release gateway on a copy of Transforms/, saves
# arr.csx RELOADS times (each save a new version: compiled, swapped in, the old one unloaded), waits for each
# reload to be logged, and prints VmRSS before, every 100 reloads, and after. Answers a 401 through the freshly
# reloaded transform at the end. See bench/README.md.
#
# Environment (all optional):
#   BENCH_OUT     where the build, the transforms copy and logs go (default /tmp/gateway-bench)
#   RELOADS       how many saves                                     (default 1000)
#   PORT          the gateway's port on 127.0.0.1                    (default: a free one from 18190)
#   SKIP_BUILD=1  reuse the gateway already built by bench/load.sh or a previous run
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-/tmp/gateway-bench}
RELOADS=${RELOADS:-1000}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[reload-rss] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

BUILD="$OUT/build"
mkdir -p "$OUT/logs"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building Gateway (Release) into $BUILD"
  dotnet build "$ROOT/Gateway/Gateway.csproj" -c Release --artifacts-path "$BUILD" -nologo -v quiet >"$OUT/logs/build-reload.log" 2>&1 \
    || { tail -30 "$OUT/logs/build-reload.log" >&2; die "build failed (see $OUT/logs/build-reload.log)"; }
fi
GATEWAY_BIN="$BUILD/bin/Gateway/release/Gateway"
[[ -x $GATEWAY_BIN ]] || die "$GATEWAY_BIN is missing: build first (without SKIP_BUILD)"

port=${PORT:-18190}
while ss -Htln "sport = :$port" | grep -q .; do port=$((port + 1)); done

FOLDER="$OUT/reload-transforms"
rm -rf "$FOLDER" && mkdir -p "$FOLDER"
cp "$ROOT"/Transforms/*.csx "$FOLDER/"
ORIGINAL=$(cat "$FOLDER/arr.csx")
LOG="$OUT/logs/gateway-reload.log"

# The bench configuration (logging at Warning) with the reload log line let through, the bundled bindings, and
# the transforms copy as the folder (env: the logger's name has dots, which shell assignments do not take).
env Serilog__MinimumLevel__Override__Gateway.Transforms.TransformReloader=Information \
  Gateway__Transforms__Path="$FOLDER" \
  Gateway__Transforms__Global__Transforms__0=slack-alert.csx \
  Gateway__Transforms__Routes__example__Transforms__0=arr.csx \
  "$GATEWAY_BIN" --contentRoot "$ROOT/bench/gateway" --urls "http://127.0.0.1:$port" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT

for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" -H 'Host: example.com' && break
  sleep 0.2
done
rss() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$PID/status"; }
reloads() { grep -c "Transforms reloaded" "$LOG" || true; }

# Warm: a few requests, so that the first figure is the serving gateway's, not the freshly started one's.
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" -H 'Host: example.com'; done
sleep 2
START=$(rss)
log "gateway pid $PID on port $port; VmRSS before reloads: $START MB"

for i in $(seq "$RELOADS"); do
  printf '%s\n// save %d\n' "$ORIGINAL" "$i" >"$FOLDER/arr.csx.tmp"
  mv "$FOLDER/arr.csx.tmp" "$FOLDER/arr.csx"
  deadline=$((SECONDS + 30))
  until (( $(reloads) >= i )); do
    (( SECONDS < deadline )) || die "reload $i was not logged within 30 s (see $LOG)"
    sleep 0.05
  done
  if (( i % 100 == 0 )); then
    log "after $i reloads: VmRSS $(rss) MB"
  fi
done

answer=$(curl -s "http://127.0.0.1:$port/" -H 'Host: example.com')
[[ $answer == *"arr!"* ]] || die "after the reloads the 401 was not reshaped: $answer"
sleep 5
END=$(rss)
log "VmRSS: $START MB before, $END MB after $RELOADS reloads (+$((END - START)) MB); the 401 still reshaped: $answer"
