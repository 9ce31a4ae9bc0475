#!/usr/bin/env bash
# A/B of the seed's 401 (slack-alert.csx + arr.csx) between two Release builds of the gateway, alternating rounds on
# the same machine: what the management listener, the exit metrics and OpenTelemetry cost per request.
#   bash bench/ops-ab.sh /path/to/base-checkout [rounds]
# Build both first: dotnet build -c Release Gateway/Gateway.csproj (in each checkout). Needs wrk (apt-get install wrk).
# Prints req/s, p50/p99 and the server's CPU per request (utime+stime from /proc) for each side and round.
set -u
base=${1:?usage: bench/ops-ab.sh BASE_CHECKOUT [ROUNDS]}
rounds=${2:-3}
ops=$(cd "$(dirname "$0")/.." && pwd)

start() { # $1 = checkout, $2 = port
  cd "$1/Gateway/bin/Release/net10.0"
  env Urls="http://127.0.0.1:$2" Gateway__Management__Urls="http://127.0.0.1:$(($2 + 100))" \
    Gateway__DemoUpstream__Url="http://127.0.0.1:$(($2 + 1))" Gateway__Transforms__Path="$1/Transforms" \
    "Gateway__RateLimits__per-client__PermitLimit=100000000" Serilog__MinimumLevel__Default=Warning \
    dotnet Gateway.dll >"/tmp/ops-ab-$2.log" 2>&1 &
  echo $!
}

for round in $(seq 1 "$rounds"); do
  for side in base ops; do
    dir=$base port=28000
    [[ $side == ops ]] && { dir=$ops; port=29000; }
    pid=$(start "$dir" $port)
    for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/" -H 'Host: example.com' && break; sleep 0.5; done
    wrk -t1 -c32 -d3s -H 'Host: example.com' "http://127.0.0.1:$port/" >/dev/null
    cpu0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(wrk -t1 -c32 -d8s --latency -H 'Host: example.com' "http://127.0.0.1:$port/")
    cpu1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    total=$(grep -o '[0-9]* requests in' <<<"$out" | awk '{print $1}')
    printf 'round %s %-4s %9s req/s  p50 %-8s p99 %-8s server CPU %s us/req\n' "$round" "$side" \
      "$(grep -o 'Requests/sec: *[0-9.]*' <<<"$out" | awk '{print $2}')" \
      "$(grep ' 50%' <<<"$out" | awk '{print $2}')" "$(grep ' 99%' <<<"$out" | awk '{print $2}')" \
      "$(awk -v c=$((cpu1 - cpu0)) -v n="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", c*1e6/hz/n}')"
    kill "$pid"
    wait "$pid" 2>/dev/null
  done
done
