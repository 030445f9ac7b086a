#!/usr/bin/env bash
# Measures the full list server (the image of examples/lists.yaml) and the tools appliance side by
# side on this machine: image size, config-only rebuild, time from `docker run` to healthy (full) or
# to the 220 banner (tools), idle memory, and for the full flavour the time from the SMTP 250 of a
# post to the last copy at the sink, for a list of 20 members. Writes bench/results/list-server.json.
# Needs what .ci/run installs, root, and the builder jar (mvn -q -B -DskipTests package).
# Usage: bench/list-server.sh [RUNS]   (default 5 runs of each timing; the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=builder/target/builder.jar
out=bench/results/list-server.json
net=bench-lists-$$
full=sympa-appliance-bench-full:latest
tools=sympa-appliance-bench-tools:latest
sink=sympa-appliance-bench-sink:latest
containers=(bench-full bench-tools bench-sink)
# shellcheck source=bench/lib.sh
. bench/lib.sh
timed_build() { local t0; t0=$(now); build "$@"; since "$t0"; }

echo "bench: building (base cached)" >&2
build --role sink --domain example.net --tag "$sink"
build --spec examples/lists.yaml --tag "$full"
build --sympa tools --domain lists.example.org --list team --tag "$tools"
# Config-only rebuilds: one list more each time, so the configuration layer changes.
full_rebuild=$(for i in $(seq "$runs"); do timed_build --spec examples/lists.yaml --list "extra$i" --tag "$full-x"; done | median)
tools_rebuild=$(for i in $(seq "$runs"); do timed_build --sympa tools --domain lists.example.org --list team --list "extra$i" --tag "$tools-x"; done | median)
docker rmi "$full-x" "$tools-x" >/dev/null 2>&1 || true

docker network create "$net" >/dev/null
docker run -d --name bench-sink --network "$net" --network-alias sink "$sink" >/dev/null

healthy_after() {
  local t0 state; t0=$(now)
  docker run -d --name bench-full --network "$net" --hostname mx.lists.example.org -p 127.0.0.1::25 "$full" >/dev/null
  while state=$(docker inspect -f '{{.State.Health.Status}}' bench-full) && [ "$state" != healthy ]; do
    [ "$state" != unhealthy ] || { echo "bench: unhealthy" >&2; docker logs bench-full | tail >&2; exit 1; }
    sleep 0.1
  done
  since "$t0"
}
banner_after() {
  local t0 port; t0=$(now)
  docker run -d --name bench-tools --hostname mx.lists.example.org -p 127.0.0.1::25 "$tools" >/dev/null
  until port=$(docker port bench-tools 25/tcp 2>/dev/null | head -1 | sed 's/.*://') && [ -n "$port" ] \
      && timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && read -r l <&3 && [[ \$l == 220* ]]" 2>/dev/null; do
    sleep 0.05
  done
  since "$t0"
}
full_start=$(for i in $(seq "$runs"); do healthy_after; docker rm -f bench-full >/dev/null; done | median)
tools_start=$(for i in $(seq "$runs"); do banner_after; docker rm -f bench-tools >/dev/null; done | median)

healthy_after >/dev/null
banner_after >/dev/null
sleep 30   # idle: the start-up work is over
rss() { docker stats --no-stream --format '{{.MemUsage}}' "$1" | awk '{ print $1 }'; }
full_rss=$(rss bench-full); tools_rss=$(rss bench-tools)

# A list of 20 members over 10 domains; each post's latency is from its SMTP 250 to the 20th copy.
port=$(docker port bench-full 25/tcp | head -1 | sed 's/.*://')
docker exec bench-full sh -c 'printf "<?xml version=\"1.0\"?><list><listname>twenty</listname><type>hotline</type><subject>twenty</subject><description>t</description><status>open</status><topics>other</topics><owner multiple=\"1\"><email>alice@example.org</email></owner></list>" > /tmp/t.xml
  /usr/lib/sympa/bin/sympa.pl --create_list --robot lists.example.org --input_file /tmp/t.xml >/dev/null 2>&1
  for i in $(seq 0 19); do echo "m$i@d$((i % 10)).example.net"; done | /usr/lib/sympa/bin/sympa.pl add --quiet twenty@lists.example.org >/dev/null 2>&1'
latencies=$(for i in $(seq "$runs"); do
  token="bench-$i-$$"
  t0=$(python3 - "$port" "$token" <<'PY'
import smtplib, sys, time
port, token = int(sys.argv[1]), sys.argv[2]
s = smtplib.SMTP("127.0.0.1", port)
s.sendmail("alice@example.org", ["twenty@lists.example.org"],
           "From: alice@example.org\r\nTo: twenty@lists.example.org\r\nSubject: %s\r\n\r\nbench\r\n" % token)
print("%.6f" % time.time())
s.quit()
PY
)
  until [ "$(docker exec bench-sink sh -c "grep -lF -e '$token' -r /sink | xargs -r grep -h '^X-Rcpt-Args' | wc -l")" -ge 20 ]; do
    sleep 0.05
  done
  since "$t0"
done | tee /dev/stderr | median)

size() { docker image inspect -f '{{.Size}}' "$1"; }
cat > "$out" <<JSON
{
  "machine": "$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB",
  "runs": $runs,
  "full": {
    "image_bytes": $(size "$full"),
    "config_rebuild_s": $full_rebuild,
    "run_to_healthy_s": $full_start,
    "idle_memory": "$full_rss",
    "post_to_20th_copy_s": $latencies
  },
  "tools": {
    "image_bytes": $(size "$tools"),
    "config_rebuild_s": $tools_rebuild,
    "run_to_banner_s": $tools_start,
    "idle_memory": "$tools_rss"
  }
}
JSON
cat "$out"
