#!/usr/bin/env bash
# Where the CPU goes during a burst of mail intake: `perf record -a` while smtp-source sends N
# messages over SESSIONS sessions to list1@lists.example.org of a fresh appliance container, until
# all N files are in Sympa's msg spool; then the share of CPU samples per command name.
# A diagnostic beside bench/run.sh (one run, not a benchmark figure). Needs root, a Docker daemon,
# perf (Debian: apt-get install linux-perf) and an appliance image for lists.example.org with list1.
#   bench/profile.sh [IMAGE] [N] [SESSIONS]      writes bench/results/profile.txt
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-sympa-appliance:latest}
n=${2:-2000}
sessions=${3:-20}
out=bench/results/profile.txt
command -v perf >/dev/null || { echo "profile: perf is not installed (apt-get install linux-perf)" >&2; exit 1; }

run=profile-$$
work=$(mktemp -d)
cleanup() {
  docker rm -f -v "$run-app" >/dev/null 2>&1 || true
  docker network rm "$run-net" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

docker network create "$run-net" >/dev/null
docker run -d --name "$run-app" --network "$run-net" --network-alias app --hostname mx.lists.example.org "$image" >/dev/null
for _ in $(seq 1 100); do
  docker logs "$run-app" 2>&1 | grep -q 'postfix/master\[1\]: daemon started' && break
  sleep 0.1
done
spool=$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/var/spool/sympa"}}{{.Source}}{{end}}{{end}}' "$run-app")/msg
cid=$(docker inspect -f '{{.Id}}' "$run-app")
usage=$(find /sys/fs/cgroup -path "*$cid*" -name cpuacct.usage 2>/dev/null | head -n 1)

cpu0=$( [ -n "$usage" ] && cat "$usage" || echo 0)
perf record -a -F 499 -o "$work/perf.data" -- sleep 600 >/dev/null 2>&1 &
perf_pid=$!
docker run --rm --network "$run-net" --entrypoint sh "$image" -c \
  "date +%s.%N; smtp-source -d -s $sessions -m $n -l 1024 -f bench@example.net -t list1@lists.example.org app:25; date +%s.%N" \
  >"$work/source.out"
deadline=$((SECONDS + 180))
while [ "$(find "$spool" -maxdepth 1 -type f ! -name 'T.*' | wc -l)" -lt "$n" ] && [ $SECONDS -lt $deadline ]; do
  sleep 0.1
done
kill -INT "$perf_pid"
wait "$perf_pid" || true
cpu1=$( [ -n "$usage" ] && cat "$usage" || echo 0)

start=$(head -n 1 "$work/source.out")
end=$(tail -n 1 "$work/source.out")
last=$(find "$spool" -maxdepth 1 -type f ! -name 'T.*' -printf '%T@\n' | sort -n | tail -n 1)
in_spool=$(find "$spool" -maxdepth 1 -type f ! -name 'T.*' | wc -l)
{
  echo "# bench/profile.sh $image, $n messages over $sessions sessions, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
  awk -v n="$n" -v s="$start" -v e="$end" -v l="$last" -v c0="$cpu0" -v c1="$cpu1" -v got="$in_spool" 'BEGIN {
    printf "in spool: %d of %d\nSMTP acceptance: %.0f msgs/s\nspool intake: %.0f msgs/s (ratio %.2f)\n", got, n, n / (e - s), n / (l - s), (e - s) / (l - s)
    if (c1 > c0) printf "appliance CPU: %.2f ms per message\n", (c1 - c0) / 1e6 / n
  }'
  echo
  echo "# share of CPU samples (whole machine) by command"
  perf report -i "$work/perf.data" --sort comm --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 25
} | tee "$out"
echo "profile: wrote $out" >&2
