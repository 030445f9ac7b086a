#!/bin/sh
# Sympa's data on the volumes knows which Sympa wrote it: /var/lib/sympa/data_structure.version
# (Sympa's own file, which Debian keeps in /etc/sympa, inside the image). The full entrypoint
# calls this script on every start; nothing else does.
#
#   sympa-appliance-upgrade check     the core (or all-in-one), before it touches anything: refuses
#                                     data written by a newer Sympa (exit 1, one line naming both
#                                     versions); prints the version the data needs upgrading from,
#                                     or nothing
#   sympa-appliance-upgrade run FROM  the core, once the database answers and before any daemon
#                                     or the web starts: a backup into the volume, then Sympa's
#                                     own `sympa upgrade` from FROM, then the new version recorded
#   sympa-appliance-upgrade record    a new site's first start, or data already of this version:
#                                     records this image's version
#   sympa-appliance-upgrade same      bulk and web services: refuse data of another version than
#                                     this image's (the core upgrades; run the core's image)
#
# Volumes of appliances made before the version was kept have no file: their data was written by
# bookworm's Sympa 6.2.70, the only Sympa those images had.
set -eu

data_file=/var/lib/sympa/data_structure.version
etc_file=/etc/sympa/data_structure.version
backups=/var/lib/sympa/appliance-backups
unrecorded_version=6.2.70

fail() {
  echo "sympa-appliance: $*" >&2
  exit 1
}

code_version() {
  perl -I/usr/share/sympa/lib -MSympa::Constants -e 'print Sympa::Constants::VERSION'
}

# The first line of a data_structure.version that is not a comment.
read_version() {
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$1" | head -n 1 | tr -d '[:space:]'
}

# Is version $1 older than $2? Sympa's own comparison (6.2.71b.1 comes before 6.2.71).
older() {
  perl -I/usr/share/sympa/lib -MSympa::Upgrade -e 'exit(Sympa::Upgrade::lower_version($ARGV[0], $ARGV[1]) ? 0 : 1)' \
    "$1" "$2"
}

# Has a Sympa written anything here (a database file, a list, a secret)? Debian's package ships
# list_data/X509-user-certs: a list is a directory with a config (a virtual host's in list_data/DOMAIN).
site_exists() {
  [ -e /var/lib/sympa/sympa.sqlite ] && return 0
  for entry in /var/lib/sympa/list_data/*/config /var/lib/sympa/list_data/*/*/config \
    /var/lib/sympa/appliance-secrets/*; do
    [ -e "$entry" ] && return 0
  done
  return 1
}

data_version() {
  if [ -f $data_file ]; then
    version=$(read_version $data_file)
    [ -n "$version" ] || fail "$data_file names no version; it must hold the version of the Sympa that wrote the data"
    echo "$version"
  elif site_exists; then
    echo $unrecorded_version
  fi
}

record() {
  printf '# The version of the Sympa that wrote the data of this volume (sympa-appliance).\n%s\n' "$1" \
    > $data_file.new
  chown sympa:sympa $data_file.new
  mv $data_file.new $data_file
}

code=$(code_version)
case "${1:-}" in
  check)
    data=$(data_version)
    if [ -n "$data" ] && [ "$data" != "$code" ]; then
      if older "$code" "$data"; then
        fail "the data on these volumes was written by Sympa $data, newer than this image's Sympa $code: nothing was changed; run an image with Sympa $data or newer (to go back, restore the backup taken before the upgrade, $backups/, with the older image)"
      fi
      echo "$data"
    fi
    ;;
  run)
    from=${2:?usage: sympa-appliance-upgrade run FROM}
    echo "sympa-appliance: the data was written by Sympa $from; upgrading it to this image's Sympa $code"
    install -d -o root -g root -m 0700 $backups
    backup=$backups/before-upgrade-from-$from-to-$code-$(date -u +%Y%m%dT%H%M%SZ).tar
    /usr/local/sbin/sympa-appliance-backup --output "$backup" \
      || fail "could not back up the data before upgrading it from Sympa $from; nothing was changed"
    echo "sympa-appliance: backed up the data of Sympa $from to $backup"
    # Sympa's upgrade reads the version to upgrade from in its configuration directory.
    printf '%s\n' "$from" > $etc_file
    chown sympa:sympa $etc_file
    # Sympa writes the new version there only when every step succeeded: that, not a pipe's
    # status, says whether it did.
    /usr/lib/sympa/bin/sympa.pl upgrade 2>&1 | grep -v -e '^setlogsock(): ' -e '^Duplicate specification "' || true
    [ "$(read_version $etc_file)" = "$code" ] \
      || fail "Sympa's upgrade of the data from $from to $code failed (its output above); the data as it was before is in $backup: restore it into empty volumes and run an image with Sympa $from (README, Upgrading)"
    record "$code"
    echo "sympa-appliance: upgraded the data from Sympa $from to $code"
    ;;
  record)
    record "$code"
    ;;
  same)
    data=$(data_version)
    [ "$data" = "$code" ] \
      || fail "the data on these volumes is of Sympa ${data:-(none)}, this image's Sympa is $code: run the same image as the core"
    ;;
  *)
    fail "usage: sympa-appliance-upgrade check | run FROM | record | same"
    ;;
esac
