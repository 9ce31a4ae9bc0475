#!/usr/bin/env bash
# A/B of two gateway builds on the proxied 2xx and the seed's 401 (slack-alert + arr, InProcess): managed bytes
# allocated per request (the runtime's own dotnet.gc.heap.total_allocated counter, read from /metrics on the
# management listener before and after each wrk run) and the process's CPU time per request. Bytes per request stay
# steady on a loaded machine, where req/s and CPU do not. Both gateways run side by side; cases alternate.
#   bash bench/alloc-ab.sh OLD_GATEWAY_BINARY NEW_GATEWAY_BINARY [ROUNDS]
# Build each with: dotnet build Gateway/Gateway.csproj -c Release --artifacts-path DIR (binary: DIR/bin/Gateway/release/Gateway).
# Needs wrk and curl, and bench/Upstream built (UPSTREAM_BIN, default /tmp/gateway-bench/build/...).
# Optional: CASES (default "2xx 401"), PORT_BASE (default 28400; uses PORT_BASE to PORT_BASE+21), DURATION (8), and
# PLAINYARP_BIN, a built bench/PlainYarp: its bare 401 is then measured in each round before the gateways' cases, as
# the reference issue 20 compares the seed's 401 with (its CPU per request; it has no /metrics, so no bytes).
set -u
old=${1:?usage: bench/alloc-ab.sh OLD_BIN NEW_BIN [ROUNDS]}
new=${2:?usage: bench/alloc-ab.sh OLD_BIN NEW_BIN [ROUNDS]}
rounds=${3:-3}
duration=${DURATION:-8}
cases=${CASES:-2xx 401}
base=${PORT_BASE:-28400}
here=$(cd "$(dirname "$0")" && pwd)
upstream_bin=${UPSTREAM_BIN:-/tmp/gateway-bench/build/bin/Bench.Upstream/release/Bench.Upstream}
[[ -x $upstream_bin ]] || { echo "bench/Upstream is not built at $upstream_bin (set UPSTREAM_BIN)" >&2; exit 1; }

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
"$upstream_bin" --urls "http://127.0.0.1:$base" >/tmp/alloc-ab-upstream.log 2>&1 &
pids+=($!)
if [[ -n ${PLAINYARP_BIN:-} ]]; then
  ReverseProxy__Clusters__upstream__Destinations__one__Address="http://127.0.0.1:$base/" \
    "$PLAINYARP_BIN" --contentRoot "$here/PlainYarp" --urls "http://127.0.0.1:$((base + 2))" >/tmp/alloc-ab-yarp.log 2>&1 &
  pids+=($!)
  pid_yarp=$!
fi

start() { # binary port label: the gateway on port, its management listener on port+1
  ReverseProxy__Clusters__upstream__Destinations__one__Address="http://127.0.0.1:$base/" \
  Gateway__Management__Urls="http://127.0.0.1:$(($2 + 1))" \
  Gateway__Transforms__Isolation=InProcess \
  Gateway__Transforms__Global__Transforms__0=slack-alert.csx \
  Gateway__Transforms__Routes__example__Transforms__0=arr.csx \
    "$1" --contentRoot "$here/gateway" --urls "http://127.0.0.1:$2" >"/tmp/alloc-ab-$3.log" 2>&1 &
  pids+=($!)
  eval "pid_$3=$!"
  local i
  for i in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$(($2 + 1))/metrics" && return; sleep 1; done
  echo "$3 did not start (see /tmp/alloc-ab-$3.log)" >&2; exit 1
}

allocated() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ { print $NF }'; }
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

measure() { # label port case
  local pid_var="pid_$1" headers=(-H 'Host: example.com')
  [[ $3 == 2xx ]] && headers+=(-H 'apikey: bench-key')
  local pid=${!pid_var} url="http://127.0.0.1:$2/" before_b=0 after_b=0 before_t after_t out requests
  wrk -t1 -c32 -d3s "${headers[@]}" "$url" >/dev/null
  [[ $1 == yarp ]] || before_b=$(allocated $(($2 + 1))); before_t=$(cpu_ticks "$pid")
  out=$(wrk -t1 -c32 -d"${duration}s" "${headers[@]}" "$url")
  after_t=$(cpu_ticks "$pid"); [[ $1 == yarp ]] || after_b=$(allocated $(($2 + 1)))
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  local bytes=-
  [[ $1 == yarp ]] || bytes=$(printf '%.0f' "$(echo "($after_b - $before_b) / $requests" | bc -l)")
  printf '%-4s %-4s %8.0f req/s  %7s B/req  %6.1f us/req CPU  (load %s)\n' "$1" "$3" \
    "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
    "$bytes" \
    "$(echo "($after_t - $before_t) * 1000000 / $(getconf CLK_TCK) / $requests" | bc -l)" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}

start "$old" $((base + 10)) old
start "$new" $((base + 20)) new
if [[ -n ${PLAINYARP_BIN:-} ]]; then
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$((base + 2))/" && break; sleep 1; done
fi
for _ in $(seq 1 "$rounds"); do
  for case in $cases; do
    [[ -n ${PLAINYARP_BIN:-} && $case == 401 ]] && measure yarp $((base + 2)) 401
    measure old $((base + 10)) "$case"
    measure new $((base + 20)) "$case"
  done
done
