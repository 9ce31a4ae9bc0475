#!/usr/bin/env bash
# Cold start-up of the gateway binary to listening, with N transforms bound (one route each), as
# ColdStartBenchmarks sets them up: copies of the samples under Transforms/, each a source of its own. Prints, per
# run and as medians, the wall time from exec to the first answer, the CPU time (user + system) the process used
# until then, and its resident memory at that moment. CPU time is the steadier figure on a busy machine. The CPU and
# resident memory of its child processes alive at that moment (the compiler process, transform hosts) are reported
# apart: "+ children".
#
#   bash bench/startup.sh /path/to/Gateway [COUNT] [RUNS]     (defaults: 10 transforms, 5 runs)
#   env VAR=value ... bash bench/startup.sh ...               runtime settings (DOTNET_TieredPGO=0, ...) pass through
#   CACHE=warm bash bench/startup.sh ...                      the compiled-transform cache (Compiler:Cache): cold (the
#                                                             default: each run starts with an empty cache), warm (one
#                                                             unmeasured run fills it, every run reuses it) or off
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GATEWAY_BIN=${1:?usage: startup.sh /path/to/Gateway [COUNT] [RUNS]}
COUNT=${2:-10}
RUNS=${3:-5}
PORT=${PORT:-18190}
CACHE=${CACHE:-cold}
case $CACHE in cold | warm | off) ;; *) echo "CACHE must be cold, warm or off" >&2; exit 2 ;; esac
CLK_TCK=$(getconf CLK_TCK)

FOLDER=$(mktemp -d /tmp/gateway-startup-XXXXXX)
CACHES=$(mktemp -d /tmp/gateway-startup-cache-XXXXXX) # outside the transforms folder, which the gateway refuses
trap 'rm -rf "$FOLDER" "$CACHES"' EXIT
SAMPLES=(arr.csx problem-details.csx slack-alert.csx)
BINDINGS=()
for ((i = 0; i < COUNT; i++)); do
  sample=${SAMPLES[i % 3]}
  name=$(printf 't%02d-%s' "$i" "$sample")
  { echo "// copy $i"; cat "$ROOT/Transforms/$sample"; } >"$FOLDER/$name"
  # A route of its own for each binding (a binding to a route YARP does not define fails start-up).
  BINDINGS+=("Gateway__Transforms__Routes__r${i}__Transforms__0=$name"
    "ReverseProxy__Routes__r${i}__ClusterId=upstream" "ReverseProxy__Routes__r${i}__Match__Path=/r${i}/{**rest}")
done
cp "$ROOT/Transforms/transforms.rsp" "$FOLDER/" 2>/dev/null || true

results=()
first=1
[[ $CACHE == warm ]] && first=0
for ((run = first; run <= RUNS; run++)); do
  case $CACHE in
    cold) cache=(Gateway__Transforms__Compiler__Cache__Path="$CACHES/$run") ;;
    warm) cache=(Gateway__Transforms__Compiler__Cache__Path="$CACHES/warm") ;;
    off) cache=(Gateway__Transforms__Compiler__Cache__Enabled=false) ;;
  esac
  start=$(date +%s%N)
  env Serilog__MinimumLevel__Default=Warning "${cache[@]}" Gateway__Management__Urls= Gateway__Transforms__Path="$FOLDER" \
    Gateway__Webhooks__Destinations__slack__Kind=Slack "${BINDINGS[@]}" \
    "$GATEWAY_BIN" --contentRoot "$ROOT/bench/gateway" --urls "http://127.0.0.1:$PORT" >"$FOLDER/gateway.log" 2>&1 &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do
    kill -0 "$pid" 2>/dev/null || { cat "$FOLDER/gateway.log" >&2; echo "the gateway exited" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(date +%s%N)
  ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
  child_ticks=0 child_rss=0
  for child in $(pgrep -P "$pid" || true); do
    child_ticks=$((child_ticks + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$child/stat" 2>/dev/null || echo 0)))
    child_rss=$((child_rss + $(awk '/^VmRSS:/ { print $2 }' "/proc/$child/status" 2>/dev/null || echo 0)))
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  ((run > 0)) || continue # the warm cache's filling run
  line=$(awk -v w=$(((ready - start) / 1000000)) -v t="$ticks" -v hz="$CLK_TCK" -v r="$rss" -v ct="$child_ticks" -v cr="$child_rss" \
    'BEGIN { printf "%.2f %.2f %.0f %.2f %.0f", w / 1000, t / hz, r / 1024, ct / hz, cr / 1024 }')
  results+=("$line")
  read -r wall cpu mb ccpu cmb <<<"$line"
  printf '[startup] run %d: %s s to listening, %s s CPU (+ children %s s), %s MB resident (+ children %s MB)\n' "$run" "$wall" "$cpu" "$ccpu" "$mb" "$cmb" >&2
done

printf '%s\n' "${results[@]}" | awk -v n="$RUNS" -v count="$COUNT" -v cache="$CACHE" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
  { w[NR] = $1; c[NR] = $2; m[NR] = $3; cc[NR] = $4; cm[NR] = $5 }
  function median(a,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END { printf "%d transforms, %d runs, cache %s, medians: %.2f s to listening, %.2f s CPU (+ children %.2f s), %.0f MB resident (+ children %.0f MB) (load average %s)\n", count, n, cache, median(w), median(c), median(cc), median(m), median(cm), load }'
