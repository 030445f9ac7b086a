#!/usr/bin/env bash
# Measures the web interface of the full list server (the image of examples/lists.yaml) against
# the same spec built with --no-web, on this machine: image size, idle memory with and without the
# web interface, time from `docker run` to the first page (200 from /sympa), and the latency of
# the home page (the list of lists) and of a list's web archive under CLIENTS concurrent clients
# for SECONDS (bench/web-load.py, a bounded load from this machine to 127.0.0.1). Writes
# bench/results/web.json. Needs what .ci/run installs, root, and the builder jar
# (mvn -q -B -DskipTests package).
# Usage: bench/web.sh [RUNS] [CLIENTS] [SECONDS]   (defaults 5, 20, 30; medians over RUNS)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
clients=${2:-20}
seconds=${3:-30}
jar=builder/target/builder.jar
out=bench/results/web.json
net=bench-web-$$
web=sympa-appliance-bench-web:latest
noweb=sympa-appliance-bench-noweb:latest
sink=sympa-appliance-bench-sink:latest
containers=(bench-web bench-noweb bench-web-sink)
# shellcheck source=bench/lib.sh
. bench/lib.sh

echo "bench: building (base cached)" >&2
build --role sink --domain example.net --tag "$sink"
build --spec examples/lists.yaml --tag "$web"
build --spec examples/lists.yaml --no-web --tag "$noweb"
size() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.1f\n", $1 / 1e6 }'; }

docker network create "$net" >/dev/null
docker run -d --name bench-web-sink --network "$net" --network-alias sink "$sink" >/dev/null
run() { docker run -d --name "$1" --network "$net" --hostname mx.lists.example.org -p 127.0.0.1::80 "$2" >/dev/null; }
web_port() { docker port bench-web 80/tcp | head -1 | sed 's/.*://'; }
status() { timeout 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf 'GET $2 HTTP/1.0\r\nHost: lists.example.org\r\n\r\n' >&3 && read -r s <&3 && echo \"\$s\"" 2>/dev/null || true; }

# docker run → the first 200 from /sympa (polled every 50 ms; nginx answers 502 until WWSympa's
# socket exists, then the request waits while WWSympa loads).
first_page_after() {
  local t0 port; t0=$(now)
  run bench-web "$web"
  until port=$(web_port 2>/dev/null) && [ -n "$port" ] && [[ "$(status "$port" /sympa)" == "HTTP/1.1 200"* ]]; do
    sleep 0.05
  done
  since "$t0"
}
first_page=$(for i in $(seq "$runs"); do first_page_after; docker rm -f bench-web >/dev/null; done | median)

healthy() {
  local state
  while state=$(docker inspect -f '{{.State.Health.Status}}' "$1") && [ "$state" != healthy ]; do
    [ "$state" != unhealthy ] || { echo "bench: $1 unhealthy" >&2; docker logs "$1" | tail >&2; exit 1; }
    sleep 0.2
  done
}
run bench-web "$web"; run bench-noweb "$noweb"
healthy bench-web; healthy bench-noweb
sleep 30   # idle: the start-up work is over
rss() { docker stats --no-stream --format '{{.MemUsage}}' "$1" | awk '{ print $1 }'; }
web_rss=$(rss bench-web); noweb_rss=$(rss bench-noweb)
docker rm -f bench-noweb >/dev/null

# A post to team, so that its archive has a message, then the two pages under load.
port=$(web_port)
post_to_team() { docker exec bench-web sh -c 'printf "From: alice@example.org\nTo: team@lists.example.org\nSubject: bench archive\nMessage-ID: <bench-web-'$$'@example.org>\n\nAn archived post.\n" | sendmail -f alice@example.org team@lists.example.org'; }
post_to_team
until docker exec bench-web sh -c 'ls /var/lib/sympa/arc/team@lists.example.org/*/arctxt/1 >/dev/null 2>&1'; do sleep 0.5; done
home=$(python3 bench/web-load.py "$port" lists.example.org /sympa "$clients" "$seconds")
archive=$(python3 bench/web-load.py "$port" lists.example.org /sympa/arc/team "$clients" "$seconds" --archive)
processes=$(docker exec bench-web sh -c 'ps -eo args= | grep -c "^/usr/bin/perl /usr/lib/cgi-bin/sympa/wwsympa.fcgi"')

mkdir -p "$(dirname "$out")"
cat > "$out" <<JSON
{
  "machine": "$(nproc) CPUs, $(free -g | awk '/^Mem:/ { print $2 }') GB, $(docker version --format '{{.Server.Version}}')",
  "runs": $runs,
  "image_mb": {"web": $(size "$web"), "no_web": $(size "$noweb")},
  "idle_memory": {"web": "$web_rss", "no_web": "$noweb_rss"},
  "docker_run_to_first_page_s": $first_page,
  "wwsympa_processes": $processes,
  "load": {"home": $home, "archive": $archive}
}
JSON
cat "$out"
