#!/usr/bin/env bash
# Messages to Slack for one storm of 300 identical terminations over 1 or 3 gateways, with and without Redis
# (Gateway.Tests/Coordination/StormFiguresTests: real gateways, a real redis-server, a Slack stand-in keeping to
# Slack's 1 message a second with bursts of 3, answering 429 over it). Prints README's table. Needs redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "| replicas | Redis | terminations | messages to Slack | first messages | follow-ups | 429s provoked | terminations lost | last termination reached Slack, after the storm |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
nice -n 10 dotnet test Gateway.Tests --filter "FullyQualifiedName~StormFiguresTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E '^[[:space:]]*\| [13] \| (yes|no) \|' | sed -E 's/^[[:space:]]+//' | sort -t'|' -k3,3 -k2,2n
