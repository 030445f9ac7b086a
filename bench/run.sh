#!/usr/bin/env bash
# Benchmarks of the builder and of the appliance (issue 5). Needs what .ci/run installs:
# docker.io (a running daemon), mmdebstrap, Maven, OpenJDK 17; run as root (mmdebstrap --mode=root,
# and the memory figures read the containers' processes from the host's /proc).
#   bench/run.sh           full run (under 20 min here): bench/results/latest.json, docs/benchmarks.md
#                          + SVG charts
#   bench/run.sh --comparisons   the same plus the comparisons of earlier rounds (the how-to's
#                          master.cf line, Sympa's defaults, VERP, DKIM's cost...; ~7 min more)
#   bench/run.sh --smoke   seconds-scale run with tiny N and the cached base, comparisons included:
#                          bench/results/smoke.json, checked to be valid JSON; docs are not touched
#   bench/run.sh --report-only   regenerate docs/benchmarks.md and the charts from latest.json
set -euo pipefail
cd "$(dirname "$0")/.."

# The builder (the jar under test, with Jackson) and the benchmark (the bench module), built when
# missing or older than their sources.
jar=builder/target/builder.jar
bench_jar=bench/target/bench.jar
stale() { [ ! -f "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -type f -print -quit)" ]; }
if stale "$jar" builder/src image-templates/src || stale "$bench_jar" bench/src bench/pom.xml; then
  echo "bench: building the builder and the benchmark (mvn -q -B -DskipTests install)" >&2
  mvn -q -B -DskipTests install
fi
bench=(java -cp "$jar:$bench_jar" dev.sympaappliance.bench.Bench)

if [ "${1:-}" = "--report-only" ]; then
  exec "${bench[@]}" "$@"
fi

docker info >/dev/null 2>&1 || { echo "bench: no Docker daemon answers" >&2; exit 1; }

# The benchmark labels everything it starts with sympa-bench.run=RUN and removes it at exit; this trap
# is the safety net for a killed JVM. It removes only what carries a label of a run started here.
runs_file=$(mktemp)
cleanup() {
  for id in $(sed -n 's/^bench: run \([a-z0-9]*\).*/\1/p' "$runs_file"); do
    docker ps -aq --filter "label=sympa-bench.run=$id" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
    docker network ls -q --filter "label=sympa-bench.run=$id" | xargs -r docker network rm >/dev/null 2>&1 || true
  done
  rm -f "$runs_file"
}
trap cleanup EXIT INT TERM

"${bench[@]}" --jar "$jar" "$@" 2> >(tee -a "$runs_file" >&2)
status=$?

if [ "${1:-}" = "--smoke" ]; then
  # Valid JSON, read back by a JSON parser (Jackson, from builder.jar).
  "${bench[@]}" --report-only --results bench/results/smoke.json --docs "$(mktemp -d)" 2>/dev/null
  echo "bench: smoke run complete, bench/results/smoke.json is valid JSON" >&2
fi
exit $status
