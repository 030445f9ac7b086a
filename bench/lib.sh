# Shell helpers of the bench/*.sh scripts (sourced). Set before sourcing: jar (the builder jar),
# net (the Docker network), containers (the names to remove on exit).
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.3f\n", a - b }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
build() { java -jar "$jar" image --output docker "$@" >/dev/null 2>&1; }
cleanup() {
  # shellcheck disable=SC2154
  docker rm -f "${containers[@]}" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT
