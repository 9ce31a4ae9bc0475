#!/usr/bin/env bash
# A/B of the gateway's own 401 (no transform bound, a request without an API key) between two Release builds,
# alternating rounds on the same machine: CPU per request of each gateway and its transform hosts, and req/s.
#   bash bench/ab-401.sh OLD_GATEWAY_BINARY NEW_GATEWAY_BINARY [ROUNDS]
# Build each with: dotnet build Gateway/Gateway.csproj -c Release --artifacts-path DIR (binary: DIR/bin/Gateway/release/Gateway).
# Needs wrk and curl. Uses bench/gateway as the content root and ports 28100-28201 on 127.0.0.1.
set -u
old=${1:?usage: bench/ab-401.sh OLD_BIN NEW_BIN [ROUNDS]}
new=${2:?usage: bench/ab-401.sh OLD_BIN NEW_BIN [ROUNDS]}
rounds=${3:-3}
root=$(cd "$(dirname "$0")" && pwd)/gateway

cpu_ticks() { # a pid and its children: utime + stime, in clock ticks
  local total=0 p
  for p in "$1" $(pgrep -P "$1"); do
    [[ -r /proc/$p/stat ]] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}

run() { # binary port label
  Gateway__Management__Urls= Gateway__DemoUpstream__Url="http://127.0.0.1:$(($2 + 1))" \
    "$1" --contentRoot "$root" --urls "http://127.0.0.1:$2" >"/tmp/ab-401-$3.log" 2>&1 &
  local pid=$! i
  for i in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$2/" -H 'Host: example.com' && break; sleep 1; done
  wrk -t1 -c32 -d3s -H 'Host: example.com' "http://127.0.0.1:$2/" >/dev/null
  local before after out requests
  before=$(cpu_ticks "$pid")
  out=$(wrk -t1 -c32 -d8s -H 'Host: example.com' "http://127.0.0.1:$2/")
  after=$(cpu_ticks "$pid")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '%s  %8s req/s  %6.1f us/req CPU\n' "$3" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(echo "($after - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc -l)"
  kill "$pid"; wait "$pid" 2>/dev/null
}

for _ in $(seq 1 "$rounds"); do
  run "$old" 28100 old
  run "$new" 28200 new
done
