#!/bin/sh
# Fills empty volumes from a backup of sympa-appliance-backup, on the same image or a newer one:
#   docker run --rm -i -v …the three volumes… IMAGE restore < site.tar
# (the entrypoint runs this script before it makes anything, when its command is `restore`).
# PostgreSQL: the database named in the image must exist and hold no table yet. The next start of
# the list server on these volumes upgrades the data when the image's Sympa is newer.
set -eu

conf=/etc/sympa/sympa/sympa.conf

fail() {
  echo "sympa-appliance-restore: $*" >&2
  exit 1
}

parameter() {
  sed -n "s/^$1[[:space:]][[:space:]]*//p" $conf | tail -n 1
}

[ "$#" -eq 0 ] || fail "usage: sympa-appliance-restore < BACKUP.tar (it takes no arguments)"
[ ! -t 0 ] || fail "standard input is a terminal: give the backup on standard input (docker run -i … restore < site.tar)"
for entry in /var/lib/sympa/sympa.sqlite /var/lib/sympa/data_structure.version /var/lib/sympa/list_data/*/config /var/lib/sympa/list_data/*/*/config; do
  [ ! -e "$entry" ] || fail "the volumes are not empty ($entry exists): restore into new, empty volumes"
done

work=$(mktemp -d /var/lib/sympa/.restore.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar --extract --file=- --numeric-owner --same-owner --same-permissions -C "$work" \
  || fail "standard input is not a readable tar archive"
meta=$work/sympa-appliance-backup
[ -f "$meta/sympa-appliance-backup.txt" ] || fail "standard input is not a backup of sympa-appliance-backup (no sympa-appliance-backup.txt)"
info() {
  sed -n "s/^$1 //p" "$meta/sympa-appliance-backup.txt" | head -n 1
}
[ "$(info format)" = 1 ] || fail "backup format '$(info format)' is not one this image reads (1)"
data=$(info sympa_data_version)
code=$(perl -I/usr/share/sympa/lib -MSympa::Constants -e 'print Sympa::Constants::VERSION')
if [ "$data" != unrecorded ] && [ "$data" != "$code" ] \
  && perl -I/usr/share/sympa/lib -MSympa::Upgrade -e 'exit(Sympa::Upgrade::lower_version($ARGV[0], $ARGV[1]) ? 0 : 1)' "$code" "$data"; then
  fail "the backup holds data of Sympa $data, newer than this image's Sympa $code: restore it with an image of Sympa $data or newer"
fi

case "$(info database):$(parameter db_type)" in
  sqlite:SQLite)
    install -o sympa -g sympa -m 0640 "$meta/sympa.sqlite" "$(parameter db_name)"
    ;;
  postgresql:PostgreSQL)
    export PGPASSWORD
    PGPASSWORD=$(head -n 1 "${SYMPA_APPLIANCE_DB_PASSWORD_FILE:?}" | tr -d '\r')
    set -- --host="$(parameter db_host)" --port="$(parameter db_port)" --username="$(parameter db_user)" \
      --dbname="$(parameter db_name)"
    tables=$(psql "$@" -X -q -t -A -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") \
      || fail "could not reach the PostgreSQL database $(parameter db_name) at $(parameter db_host)"
    [ "$tables" = 0 ] || fail "the PostgreSQL database $(parameter db_name) already holds $tables tables: restore into an empty database"
    pg_restore "$@" --no-owner --no-privileges --exit-on-error "$meta/sympa.pgdump" \
      || fail "pg_restore into $(parameter db_name) failed"
    ;;
  *) fail "the backup holds a $(info database) database, this image uses $(parameter db_type): build the image with the backup's database" ;;
esac

# The files, owners and modes as they were; the database of the backup is in place.
cp -a "$work/var/lib/sympa/." /var/lib/sympa/
cp -a "$work/var/spool/sympa/." /var/spool/sympa/
echo "sympa-appliance-restore: restored the backup of $(info created) (Sympa $data, $(info database) database) into these volumes"
