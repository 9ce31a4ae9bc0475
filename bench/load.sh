#!/usr/bin/env bash
# Load comparison on loopback: the upstream alone, nginx as a proxy, plain YARP, the gateway (2xx and 401, with
# and without transforms) and nginx + Lua doing the gateway's 401 work. Prints requests per second and p50/p99
# latency for each, as ratios to plain YARP, and the gateway's resident memory. See bench/README.md.
#
# Environment (all optional):
#   BENCH_OUT     where builds, logs, configs and raw results go      (default /tmp/gateway-bench)
#   DURATION      seconds measured per case and round                  (default 10)
#   WARMUP        seconds of unmeasured load before each measurement    (default 3)
#   ROUNDS        rounds of every case, interleaved; medians reported   (default 3)
#   CONNECTIONS   wrk connections                                       (default 32)
#   THREADS       wrk threads                                           (default 1)
#   PORT_BASE     first port tried; free ones are picked from there     (default 18080)
#   SKIP_BUILD=1  reuse the binaries already in $BENCH_OUT/build
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
OUT=${BENCH_OUT:-/tmp/gateway-bench}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
PORT_BASE=${PORT_BASE:-18080}
API_KEY=bench-key

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[load] %s\n' "$*" >&2; }
die() { printf '[load] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
# Tools: wrk, nginx with its Lua module, and lua-cjson for LuaJIT, all from Debian packages.
# ---------------------------------------------------------------------------------------------------------------
LUA_MODULE=/usr/lib/nginx/modules/ngx_http_lua_module.so
CJSON=/usr/lib/x86_64-linux-gnu/lua/5.1/cjson.so
install_tools() {
  if command -v wrk >/dev/null && command -v nginx >/dev/null && [[ -f $LUA_MODULE && -f $CJSON ]]; then
    return
  fi
  local packages=(wrk nginx libnginx-mod-http-lua lua-cjson)
  log "installing ${packages[*]} (Debian packages)"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
  # The package may start a system nginx on port 80; this script runs its own and leaves that one alone.
}

command -v dotnet >/dev/null || die "the .NET 10 SDK is required (https://dot.net)"
command -v curl >/dev/null || die "curl is required"
command -v ss >/dev/null || die "ss (iproute2) is required"
install_tools

mkdir -p "$OUT"/{logs,results,nginx/tmp}
rm -f "$OUT"/results/*

# ---------------------------------------------------------------------------------------------------------------
# Build in Release, into $OUT/build (never into the repository's bin/obj folders).
# ---------------------------------------------------------------------------------------------------------------
BUILD="$OUT/build"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  for project in Gateway/Gateway.csproj bench/Upstream/Bench.Upstream.csproj bench/PlainYarp/Bench.PlainYarp.csproj; do
    log "building $project (Release) into $BUILD"
    dotnet build "$ROOT/$project" -c Release --artifacts-path "$BUILD" -nologo -v quiet >"$OUT/logs/build.log" 2>&1 \
      || { tail -30 "$OUT/logs/build.log" >&2; die "build of $project failed (see $OUT/logs/build.log)"; }
  done
fi
GATEWAY_BIN="$BUILD/bin/Gateway/release/Gateway"
UPSTREAM_BIN="$BUILD/bin/Bench.Upstream/release/Bench.Upstream"
PLAINYARP_BIN="$BUILD/bin/Bench.PlainYarp/release/Bench.PlainYarp"
for bin in "$GATEWAY_BIN" "$UPSTREAM_BIN" "$PLAINYARP_BIN"; do
  [[ -x $bin ]] || die "$bin is missing: build first (without SKIP_BUILD)"
done

# ---------------------------------------------------------------------------------------------------------------
# Ports: free ones on 127.0.0.1, from PORT_BASE up (never 8000/8001, where a developer's gateway may run).
# ---------------------------------------------------------------------------------------------------------------
TAKEN=" 8000 8001 "
free_port() {
  local port=$1
  while [[ $TAKEN == *" $port "* ]] || ss -Htln "sport = :$port" | grep -q .; do
    port=$((port + 1))
  done
  TAKEN+="$port "
  echo "$port"
}
UPSTREAM_PORT=$(free_port "$PORT_BASE")
PLAINYARP_PORT=$(free_port "$((UPSTREAM_PORT + 1))")
GATEWAY_PORT=$(free_port "$((PLAINYARP_PORT + 1))")
GATEWAY_BARE_PORT=$(free_port "$((GATEWAY_PORT + 1))")
GATEWAY_INPROC_PORT=$(free_port "$((GATEWAY_BARE_PORT + 1))")
NGINX_PROXY_PORT=$(free_port "$((GATEWAY_INPROC_PORT + 1))")
NGINX_LUA_PORT=$(free_port "$((NGINX_PROXY_PORT + 1))")

# ---------------------------------------------------------------------------------------------------------------
# Servers. Each is stopped by its own pid on exit.
# ---------------------------------------------------------------------------------------------------------------
PIDS=()
NGINX_CONF="$OUT/nginx/nginx.conf"
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if [[ -f $OUT/nginx/nginx.pid ]]; then
    kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

UPSTREAM_URL="http://127.0.0.1:$UPSTREAM_PORT/"
export ReverseProxy__Clusters__upstream__Destinations__one__Address="$UPSTREAM_URL"

"$UPSTREAM_BIN" --urls "http://127.0.0.1:$UPSTREAM_PORT" >"$OUT/logs/upstream.log" 2>&1 &
UPSTREAM_PID=$!
PIDS+=("$UPSTREAM_PID")

"$PLAINYARP_BIN" --contentRoot "$BENCH/PlainYarp" --urls "http://127.0.0.1:$PLAINYARP_PORT" >"$OUT/logs/plainyarp.log" 2>&1 &
PLAINYARP_PID=$!
PIDS+=("$PLAINYARP_PID")

# The gateway's real configuration mechanism: bench/gateway/appsettings.json as its content root, the upstream's
# address and the transform bindings from environment variables. Logging is at Warning and the request log is off
# (its source at Fatal: plain YARP logs no request either), so request logs and the "no webhook URL" messages are
# not written; the webhook has no URL, so queued messages are dropped by the
# delivery service after the level check. The bindings are those of the bundled configuration's example route.
Gateway__Transforms__Global__Transforms__0=slack-alert.csx \
Gateway__Transforms__Routes__example__Transforms__0=arr.csx \
  "$GATEWAY_BIN" --contentRoot "$BENCH/gateway" --urls "http://127.0.0.1:$GATEWAY_PORT" >"$OUT/logs/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")

# The same gateway and transforms with Isolation: InProcess (no transform hosts): what the process boundary costs.
Gateway__Transforms__Isolation=InProcess \
Gateway__Transforms__Global__Transforms__0=slack-alert.csx \
Gateway__Transforms__Routes__example__Transforms__0=arr.csx \
  "$GATEWAY_BIN" --contentRoot "$BENCH/gateway" --urls "http://127.0.0.1:$GATEWAY_INPROC_PORT" >"$OUT/logs/gateway-inprocess.log" 2>&1 &
GATEWAY_INPROC_PID=$!
PIDS+=("$GATEWAY_INPROC_PID")

# The same gateway with no transform bound: what the transforms themselves cost on the 401 path.
"$GATEWAY_BIN" --contentRoot "$BENCH/gateway" --urls "http://127.0.0.1:$GATEWAY_BARE_PORT" >"$OUT/logs/gateway-bare.log" 2>&1 &
GATEWAY_BARE_PID=$!
PIDS+=("$GATEWAY_BARE_PID")

sed -e "s|@OUT@|$OUT|g" -e "s|@BENCH@|$BENCH|g" -e "s|@UPSTREAM_PORT@|$UPSTREAM_PORT|g" \
  -e "s|@NGINX_PROXY_PORT@|$NGINX_PROXY_PORT|g" -e "s|@NGINX_LUA_PORT@|$NGINX_LUA_PORT|g" \
  "$BENCH/nginx/nginx.conf.template" >"$NGINX_CONF"
rm -f "$OUT/nginx/nginx.pid"
nginx -p "$OUT/nginx" -c "$NGINX_CONF" -g 'daemon on;' 2>"$OUT/logs/nginx-start.log" \
  || { cat "$OUT/logs/nginx-start.log" >&2; die "nginx did not start"; }

wait_ready() { # name url
  local deadline=$((SECONDS + 90))
  until curl -s -o /dev/null "$2"; do
    ((SECONDS < deadline)) || die "$1 did not answer at $2 (see $OUT/logs)"
    sleep 0.2
  done
}
wait_ready upstream "$UPSTREAM_URL"
wait_ready "plain YARP" "http://127.0.0.1:$PLAINYARP_PORT/"
wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/"
wait_ready "gateway (no transforms)" "http://127.0.0.1:$GATEWAY_BARE_PORT/"
wait_ready "gateway (in-process transforms)" "http://127.0.0.1:$GATEWAY_INPROC_PORT/"
wait_ready nginx "http://127.0.0.1:$NGINX_PROXY_PORT/"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
RSS_IDLE_START=$(rss_kb "$GATEWAY_PID")
# The transform hosts are the gateway's child processes (dotnet Gateway.TransformHost.dll).
children_rss_kb() { local total=0 child; for child in $(pgrep -P "$1"); do total=$((total + $(rss_kb "$child"))); done; echo "$total"; }
RSS_HOSTS_IDLE_START=$(children_rss_kb "$GATEWAY_PID")
RSS_INPROC_IDLE_START=$(rss_kb "$GATEWAY_INPROC_PID")
RSS_BARE_IDLE_START=$(rss_kb "$GATEWAY_BARE_PID")
RSS_YARP_IDLE_START=$(rss_kb "$PLAINYARP_PID")

# ---------------------------------------------------------------------------------------------------------------
# Cases: name | URL | apikey header? | expected status | server pid (for CPU time and RSS; "nginx" for its workers)
# ---------------------------------------------------------------------------------------------------------------
CASES=(
  "upstream-direct|http://127.0.0.1:$UPSTREAM_PORT/|key|200|$UPSTREAM_PID"
  "nginx-proxy-2xx|http://127.0.0.1:$NGINX_PROXY_PORT/|key|200|nginx"
  "plain-yarp-2xx|http://127.0.0.1:$PLAINYARP_PORT/|key|200|$PLAINYARP_PID"
  "gateway-2xx|http://127.0.0.1:$GATEWAY_PORT/|key|200|$GATEWAY_PID"
  "plain-yarp-401|http://127.0.0.1:$PLAINYARP_PORT/|none|401|$PLAINYARP_PID"
  "gateway-401-bare|http://127.0.0.1:$GATEWAY_BARE_PORT/|none|401|$GATEWAY_BARE_PID"
  "gateway-401|http://127.0.0.1:$GATEWAY_PORT/|none|401|$GATEWAY_PID"
  "gateway-401-inprocess|http://127.0.0.1:$GATEWAY_INPROC_PORT/|none|401|$GATEWAY_INPROC_PID"
  "nginx-lua-401|http://127.0.0.1:$NGINX_LUA_PORT/|none|401|nginx"
)

headers_for() { # key|none
  if [[ $1 == key ]]; then
    printf '%s\n' -H "Host: example.com" -H "apikey: $API_KEY"
  else
    printf '%s\n' -H "Host: example.com"
  fi
}

# Every case answers what it should before anything is measured.
log "checking each case's answer"
{
  for case in "${CASES[@]}"; do
    IFS='|' read -r name url auth status _ <<<"$case"
    mapfile -t hdrs < <(headers_for "$auth")
    got=$(curl -s -o "$OUT/results/$name.body" -w '%{http_code}' "${hdrs[@]}" "$url")
    [[ $got == "$status" ]] || die "$name answered $got, expected $status: $(cat "$OUT/results/$name.body")"
    printf '%-18s %s %s\n' "$name" "$got" "$(head -c 200 "$OUT/results/$name.body")"
  done
} | tee "$OUT/results/answers.txt" >&2

# wrk prints latencies as 812.00us, 1.23ms or 1.02s: in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

# The processes that serve a case: one pid and its children (the gateway's transform hosts), or nginx's workers.
server_pids() { # pid|nginx
  if [[ $1 == nginx ]]; then
    pgrep -P "$(cat "$OUT/nginx/nginx.pid")" | tr '\n' ' '
  else
    echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"
  fi
}

# User + system CPU time of the given pids, in clock ticks (fields 14 and 15 of /proc/<pid>/stat); a pid that has
# gone in the meantime counts 0.
cpu_ticks() {
  local pid total=0 ticks
  for pid in "$@"; do
    ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null) || ticks=0
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}

# The CPU time of a server and of all its children, in clock ticks, read afresh each time: the server's own time,
# its children that have ended (fields 16 and 17: a transform host replaced during the run is counted once reaped),
# and the children alive now (a host started during the run is counted too). Robust to a child that vanishes.
tree_cpu_ticks() { # pid
  local own children
  own=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat" 2>/dev/null) || own=0
  # shellcheck disable=SC2046
  children=$(cpu_ticks $(pgrep -P "$1"))
  echo $((${own:-0} + children))
}

# The CPU ticks of a case's servers: nginx's workers, or a server process with its children.
case_cpu_ticks() { # pid|nginx
  if [[ $1 == nginx ]]; then
    # shellcheck disable=SC2046
    cpu_ticks $(server_pids nginx)
  else
    tree_cpu_ticks "$1"
  fi
}
CLK_TCK=$(getconf CLK_TCK)

# Samples a pid's VmRSS every half second into a file, until killed.
sample_rss() { # pid file
  while kill -0 "$1" 2>/dev/null; do
    rss_kb "$1" >>"$2" 2>/dev/null || true
    sleep 0.5
  done
}

run_case() { # round case
  local round=$1 name url auth status pid
  IFS='|' read -r name url auth status pid <<<"$2"
  local hdrs
  mapfile -t hdrs < <(headers_for "$auth")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "${hdrs[@]}" "$url" >/dev/null
  local sampler=""
  if [[ $pid != nginx ]]; then
    sample_rss "$pid" "$OUT/results/$name.rss" &
    sampler=$!
  fi
  local raw="$OUT/results/$name.round$round.txt" ticks_before ticks_after
  ticks_before=$(case_cpu_ticks "$pid")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${hdrs[@]}" "$url" >"$raw"
  ticks_after=$(case_cpu_ticks "$pid")
  [[ -z $sampler ]] || { kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; }

  local rps p50 p99 non2xx errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$raw")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$raw")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$raw")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$raw")
  errors=$(awk '/Socket errors:/ { print }' "$raw")
  [[ -n $rps ]] || die "wrk gave no result for $name (see $raw)"
  # The server's own CPU time per request, in microseconds: steadier than req/s on a shared, noisy machine.
  local requests cpu_us
  requests=$(awk '/ requests in / { print $1 }' "$raw")
  cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  if [[ $status == 200 && -n $non2xx ]]; then
    log "warning: $name had $non2xx non-2xx answers in round $round"
  fi
  [[ -z $errors ]] || log "warning: $name round $round: $errors"
  printf '%s %s %s %s %s\n' "$name" "$rps" "$p50" "$p99" "$cpu_us" >>"$OUT/results/rounds.txt"
  log "round $round  $(printf '%-18s %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  server CPU %6.1f us/req' "$name" "$rps" "$p50" "$p99" "$cpu_us")"
}

LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
log "load: wrk -t$THREADS -c$CONNECTIONS, ${WARMUP}s warm-up + ${DURATION}s measured per case, $ROUNDS rounds"
for ((round = 1; round <= ROUNDS; round++)); do
  for case in "${CASES[@]}"; do
    run_case "$round" "$case"
  done
done

sleep 5
RSS_IDLE_END=$(rss_kb "$GATEWAY_PID")

# ---------------------------------------------------------------------------------------------------------------
# Report: medians over rounds, spread ± half of (max-min)/median, ratios to plain YARP on the same path.
# ---------------------------------------------------------------------------------------------------------------
peak_mb() { [[ -s $1 ]] && sort -n "$1" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }' || echo "?"; }
kb_mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
  echo "Machine: $(nproc) cores ($CPU_MODEL), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)."
  echo "wrk and every server share these $(nproc) cores (nothing pinned); loopback only."
  echo "wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up then ${DURATION} s measured per case; $ROUNDS rounds interleaved;"
  echo "figures are medians over rounds; 'spread' is ± half of (max - min) / median of req/s across rounds."
  echo "Ratios: 2xx rows against plain YARP 2xx, 401 rows against plain YARP 401 (req/s: higher is better; latency and CPU: lower is better)."
  echo "Server CPU: user + system time of the serving process and its children (the gateway's transform hosts; nginx: its workers) per request, upstream excluded."
  echo "Load average (1 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1 /proc/loadavg) (the run itself keeps about 2 to 3 tasks runnable; more means other work competed for the cores)."
  echo
  awk -v rounds="$ROUNDS" '
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      if (!($1 in count)) order[++cases] = $1
      n = ++count[$1]
      rps[$1, n] = $2; p50[$1, n] = $3; p99[$1, n] = $4; cpu[$1, n] = $5
    }
    END {
      label["upstream-direct"] = "upstream alone (Kestrel hello)"
      label["nginx-proxy-2xx"] = "nginx proxy, 2xx"
      label["plain-yarp-2xx"] = "plain YARP, 2xx"
      label["gateway-2xx"] = "gateway, 2xx, transforms bound"
      label["plain-yarp-401"] = "plain YARP, 401 (no transforms)"
      label["gateway-401-bare"] = "gateway, 401, no transform bound"
      label["gateway-401"] = "gateway, 401, slack-alert + arr, transform hosts (Process)"
      label["gateway-401-inprocess"] = "gateway, 401, slack-alert + arr, InProcess"
      label["nginx-lua-401"] = "nginx + Lua, 401, same work"
      for (c = 1; c <= cases; c++) {
        name = order[c]; n = count[name]
        lo = 1e18; hi = 0
        for (i = 1; i <= n; i++) {
          r[i] = rps[name, i]; a[i] = p50[name, i]; b[i] = p99[name, i]; u[i] = cpu[name, i]
          if (r[i] < lo) lo = r[i]; if (r[i] > hi) hi = r[i]
        }
        mr[name] = median(r, n); m50[name] = median(a, n); m99[name] = median(b, n); mu[name] = median(u, n)
        spread[name] = (mr[name] > 0) ? (hi - lo) / mr[name] * 100 : 0
      }
      print "| case | req/s | × plain YARP | spread | p50 ms | × | p99 ms | × | server CPU µs/req | × |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (c = 1; c <= cases; c++) {
        name = order[c]
        ref = (name ~ /401/) ? "plain-yarp-401" : "plain-yarp-2xx"
        printf "| %s | %.0f | %.2f | ±%.0f%% | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f |\n", label[name], mr[name], mr[name] / mr[ref], spread[name] / 2, m50[name], m50[name] / m50[ref], m99[name], m99[name] / m99[ref], mu[name], mu[name] / mu[ref]
      }
    }' "$OUT/results/rounds.txt"
  echo
  echo "Resident memory (VmRSS from /proc/<pid>/status; peaks sampled every 0.5 s under load):"
  echo
  echo "| process | idle after start-up | peak under 2xx load | peak under 401 load | idle after the run |"
  echo "|---|---:|---:|---:|---:|"
  echo "| gateway, transforms bound | $(kb_mb "$RSS_IDLE_START") MB | $(peak_mb "$OUT/results/gateway-2xx.rss") MB | $(peak_mb "$OUT/results/gateway-401.rss") MB | $(kb_mb "$RSS_IDLE_END") MB |"
  echo "| its transform hosts (all, together) | $(kb_mb "$RSS_HOSTS_IDLE_START") MB | – | – | $(kb_mb "$(children_rss_kb "$GATEWAY_PID")") MB |"
  echo "| gateway, InProcess transforms | $(kb_mb "$RSS_INPROC_IDLE_START") MB | – | $(peak_mb "$OUT/results/gateway-401-inprocess.rss") MB | $(kb_mb "$(rss_kb "$GATEWAY_INPROC_PID")") MB |"
  echo "| gateway, no transform bound | $(kb_mb "$RSS_BARE_IDLE_START") MB | – | $(peak_mb "$OUT/results/gateway-401-bare.rss") MB | $(kb_mb "$(rss_kb "$GATEWAY_BARE_PID")") MB |"
  echo "| plain YARP | $(kb_mb "$RSS_YARP_IDLE_START") MB | $(peak_mb "$OUT/results/plain-yarp-2xx.rss") MB | $(peak_mb "$OUT/results/plain-yarp-401.rss") MB | $(kb_mb "$(rss_kb "$PLAINYARP_PID")") MB |"
} | tee "$OUT/results/summary.md"

log "raw wrk output, answers and server logs: $OUT/results, $OUT/logs"
