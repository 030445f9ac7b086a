#!/usr/bin/env bash
# Upgrade, backup and restore of a site with 1,000 members and 100 archived posts (issue 21): the
# example spec on bookworm (Sympa 6.2.70) gets the members (sympa.pl add) and 100 posts through
# SMTP, all archived; then the trixie image of the same spec starts on those volumes (Sympa's
# upgrade from 6.2.70 included), against its baseline in the same run: a restart of the same image
# on the upgraded volumes. Then sympa-appliance-backup (time, size) and a restore into new volumes
# (time), and the restored server's start. Writes bench/results/upgrade.json.
# Needs what .ci/run installs, root, and the builder jar (mvn -q -B -DskipTests package).
# Usage: bench/upgrade.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jar=builder/target/builder.jar
out=bench/results/upgrade.json
net=bench-upgrade-$$
old=sympa-appliance-bench-bookworm:latest
new=sympa-appliance-bench-full:latest
sink=sympa-appliance-bench-sink:latest
members=1000
posts=100
containers=(bench-upgrade bench-upgrade-sink)
site=(bench-upgrade-queue-$$ bench-upgrade-spools-$$ bench-upgrade-data-$$)
restored=(bench-restored-queue-$$ bench-restored-spools-$$ bench-restored-data-$$)
backup=$(mktemp -d)/site.tar
# shellcheck source=bench/lib.sh
. bench/lib.sh
trap 'cleanup; docker volume rm "${site[@]}" "${restored[@]}" >/dev/null 2>&1 || true; rm -rf "${backup%/*}"' EXIT

volumes() { printf -- '-v %s:/var/spool/postfix -v %s:/var/spool/sympa -v %s:/var/lib/sympa' "$@"; }
# `docker run` of IMAGE on VOLUMES (three names) as bench-upgrade; prints the seconds to healthy.
healthy_after() {
  local image=$1 t0 state; shift
  t0=$(now)
  # shellcheck disable=SC2046
  docker run -d --name bench-upgrade --network "$net" --hostname mx.lists.example.org -p 127.0.0.1::25 \
    $(volumes "$@") "$image" >/dev/null
  while state=$(docker inspect -f '{{.State.Health.Status}}' bench-upgrade) && [ "$state" != healthy ]; do
    if [ "$state" = unhealthy ] || [ "$(docker inspect -f '{{.State.Running}}' bench-upgrade)" != true ]; then
      echo "bench: bench-upgrade did not become healthy" >&2; docker logs bench-upgrade 2>&1 | tail >&2; exit 1
    fi
    sleep 0.1
  done
  since "$t0"
}
sympa_idle() {
  until [ -z "$(docker exec bench-upgrade find /var/spool/sympa/msg /var/spool/sympa/bulk /var/spool/sympa/automatic \
      -type f ! -path '*/bad/*')" ] && [ -z "$(docker exec bench-upgrade postqueue -j)" ]; do
    sleep 0.5
  done
}

echo "bench: building the example on bookworm and on trixie, and the sink (bases cached)" >&2
build --role sink --domain example.net --tag "$sink"
build --spec examples/lists.yaml --debian bookworm --tag "$old"
build --spec examples/lists.yaml --tag "$new"
docker network create "$net" >/dev/null
docker run -d --name bench-upgrade-sink --network "$net" --network-alias sink "$sink" >/dev/null

echo "bench: the bookworm site: $members members, $posts archived posts" >&2
old_start=$(healthy_after "$old" "${site[@]}")
for i in $(seq "$members"); do echo "m$i@d$((i % 100)).example.net Member $i"; done \
  | docker exec -i bench-upgrade sh -c '/usr/lib/sympa/bin/sympa.pl add --quiet team@lists.example.org >/dev/null 2>&1'
port=$(docker port bench-upgrade 25/tcp | head -1 | sed 's/.*://')
python3 - "$port" "$posts" <<'PY'
import smtplib, sys
port, posts = int(sys.argv[1]), int(sys.argv[2])
s = smtplib.SMTP("127.0.0.1", port)
for i in range(posts):
    s.sendmail("alice@example.org", ["team@lists.example.org"],
               "From: alice@example.org\r\nTo: team@lists.example.org\r\nSubject: archived post %d\r\n"
               "Message-ID: <bench-upgrade-%d@example.test>\r\n\r\nPost %d of the archive.\r\n" % (i, i, i))
s.quit()
PY
until [ "$(docker exec bench-upgrade sh -c 'ls /var/lib/sympa/arc/team@lists.example.org/*/arctxt | grep -c "^[0-9]"')" -ge "$posts" ]; do
  sleep 1
done
sympa_idle
docker stop bench-upgrade >/dev/null && docker rm bench-upgrade >/dev/null

echo "bench: the trixie image on the bookworm volumes (upgrade), then again (restart)" >&2
upgrade_start=$(healthy_after "$new" "${site[@]}")
docker logs bench-upgrade 2>&1 | grep -q "upgraded the data from Sympa 6.2.70 to 6.2.76" \
  || { echo "bench: no upgrade in the log" >&2; exit 1; }
docker stop bench-upgrade >/dev/null && docker rm bench-upgrade >/dev/null
restart=$(healthy_after "$new" "${site[@]}")

echo "bench: backup and restore" >&2
t0=$(now); docker exec bench-upgrade sympa-appliance-backup > "$backup"; backup_s=$(since "$t0")
backup_bytes=$(stat -c %s "$backup")
docker stop bench-upgrade >/dev/null && docker rm bench-upgrade >/dev/null
t0=$(now)
# shellcheck disable=SC2046
docker run --rm -i $(volumes "${restored[@]}") "$new" restore < "$backup" >/dev/null
restore_s=$(since "$t0")
restored_start=$(healthy_after "$new" "${restored[@]}")
restored_members=$(docker exec bench-upgrade sqlite3 /var/lib/sympa/sympa.sqlite \
  "select count(*) from subscriber_table where list_subscriber = 'team'")
[ "$restored_members" -eq $((members + 3)) ] || { echo "bench: $restored_members members restored" >&2; exit 1; }

cat > "$out" <<JSON
{
  "site": {"members": $((members + 3)), "archived_posts": $posts},
  "bookworm_first_start_s": $old_start,
  "upgrade_start_to_healthy_s": $upgrade_start,
  "baseline_restart_to_healthy_s": $restart,
  "backup_s": $backup_s,
  "backup_bytes": $backup_bytes,
  "restore_s": $restore_s,
  "restored_start_to_healthy_s": $restored_start
}
JSON
cat "$out"
