#!/bin/sh
# A consistent online backup of the list server, as one tar file, without stopping mail:
#   docker exec CONTAINER sympa-appliance-backup > site.tar
#   docker exec CONTAINER sympa-appliance-backup --output /var/lib/sympa/appliance-backups/site.tar
# It holds Sympa's database (SQLite through its online backup API, or pg_dump of PostgreSQL), the
# lists' configurations, archives, bounce and moderation data, Sympa's spools and the site's
# secrets (cookie, DKIM key, TLS key): keep it as private as the server. The file is made 0600.
# sympa-appliance-backup.txt in it says which versions wrote it; sympa-appliance-restore reads it.
set -eu

conf=/etc/sympa/sympa/sympa.conf

fail() {
  echo "sympa-appliance-backup: $*" >&2
  exit 1
}

output=
case "${1:-}" in
  --output) output=${2:?usage: sympa-appliance-backup [--output FILE]} ;;
  "") [ ! -t 1 ] || fail "standard output is a terminal: redirect it to a file (> site.tar), or give --output FILE" ;;
  *) fail "usage: sympa-appliance-backup [--output FILE]" ;;
esac

# A parameter of the container's sympa.conf (the entrypoint has added the secrets it reads).
parameter() {
  sed -n "s/^$1[[:space:]][[:space:]]*//p" $conf | tail -n 1
}

work=$(mktemp -d /var/lib/sympa/.backup.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0700 "$work"
meta=$work/sympa-appliance-backup
mkdir "$meta"

data_version=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' /var/lib/sympa/data_structure.version 2>/dev/null | head -n 1 || true)
code_version=$(perl -I/usr/share/sympa/lib -MSympa::Constants -e 'print Sympa::Constants::VERSION')
db_type=$(parameter db_type)
case "$db_type" in
  SQLite)
    # SQLite's online backup API (DBD::SQLite): a consistent copy while the daemons write. Read
    # only: a missing file is an error, not a new empty database.
    perl -MDBI -MDBD::SQLite::Constants=:file_open -e 'my $db = DBI->connect("dbi:SQLite:dbname=$ARGV[0]", "", "",
          {RaiseError => 1, PrintError => 0, sqlite_open_flags => SQLITE_OPEN_READONLY});
        $db->sqlite_backup_to_file($ARGV[1]) or die "backup failed\n"' "$(parameter db_name)" "$meta/sympa.sqlite" \
      || fail "could not copy the SQLite database $(parameter db_name)"
    database=sqlite
    ;;
  PostgreSQL)
    PGPASSWORD=$(parameter db_passwd) pg_dump --format=custom --no-owner --no-privileges \
      --host="$(parameter db_host)" --port="$(parameter db_port)" --username="$(parameter db_user)" \
      --dbname="$(parameter db_name)" --file="$meta/sympa.pgdump" \
      || fail "could not dump the PostgreSQL database $(parameter db_name) at $(parameter db_host)"
    database=postgresql
    ;;
  *) fail "Sympa's db_type '$db_type' is neither SQLite nor PostgreSQL" ;;
esac

cat > "$meta/sympa-appliance-backup.txt" <<INFO
# A backup of a Sympa appliance (sympa-appliance-backup). It holds the site's secrets (Sympa's
# cookie, the DKIM key, the TLS key): keep it as private as the server itself.
format 1
created $(date -u +%Y-%m-%dT%H:%M:%SZ)
sympa_data_version ${data_version:-unrecorded}
sympa_code_version $code_version
debian $(cat /etc/debian_version)
database $database
INFO

# The files, but for the database (copied above), earlier backups, locks and run-time markers.
# Sympa moves spool files while tar reads: a file changed or gone meanwhile is no error (status 1).
umask 077
status=0
tar --create --file="${output:-/dev/stdout}" --numeric-owner --ignore-failed-read \
  --warning=no-file-changed --warning=no-file-removed --warning=no-file-ignored \
  --exclude=./var/lib/sympa/sympa.sqlite --exclude=./var/lib/sympa/appliance-backups \
  --exclude="./var/lib/sympa/.backup.*" --exclude=./var/lib/sympa/.sympa-appliance-core.lock \
  --exclude=./var/lib/sympa/.sympa-appliance-core-ready --exclude="*,lock" \
  -C "$work" ./sympa-appliance-backup -C / ./var/lib/sympa ./var/spool/sympa || status=$?
[ "$status" -le 1 ] || fail "could not write the archive (tar exited $status)"
[ -z "$output" ] || chmod 0600 "$output"
