#!/usr/bin/env bash
# What the deployment's replicas change (issue 13): examples/cluster.yaml as a Docker stack on a
# single-node swarm of this machine; one post to a 10,000-member list with 1 and 2 bulk replicas,
# and the front relays' acceptance rate with 1 and 3 replicas, in one run. Writes
# bench/results/scaling.json. Needs what .ci/run installs, root, and an engine outside any swarm
# (the run makes its own and leaves it).
#   bench/scaling.sh [MEMBERS [RUNS [MESSAGES]]]     (defaults 10000 3 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-10000}
runs=${2:-3}
messages=${3:-2000}
mvn -q -B install -DskipTests
# The swarm's own Failsafe execution (the default one would run it too under -Dit.test).
mvn -B -f e2e-tests/pom.xml failsafe:integration-test@swarm failsafe:verify@swarm -Dit.test=SwarmScalingBenchmark \
  -Dscaling.members="$members" -Dscaling.runs="$runs" -Dscaling.messages="$messages" \
  -Dscaling.results="$PWD/bench/results/scaling.json"
echo "results: bench/results/scaling.json"
