#!/bin/bash
# Builds the appliance's base root filesystem as an uncompressed tarball with mmdebstrap:
# Postfix and bsd-mailx (the `mail` command) from Debian, Sympa's two bin tools, `queue` and
# `bouncequeue`, taken from Debian's sympa package without installing it (the full package
# needs a database and pulls in ~150 MB of Perl), and the spool guard, compiled from
# spool-guard.c (beside this script) with Debian's gcc, which is purged again.
#
# Called by the builder (BaseImageBuilder) with the variables below set; every input that
# shapes the result is one of them, this file's text or a source file beside it, and all of it
# goes into the cache key.
#   SUITE, PACKAGES, BUILD_PACKAGES, SYMPA_UID, SYMPA_GID, SPOOL_GUARD, SOURCE_DATE_EPOCH
# Usage: rootfs-recipe.sh OUTPUT.tar
set -euo pipefail
out=$1
: "${SUITE:?}" "${PACKAGES:?}" "${BUILD_PACKAGES:?}" "${SYMPA_UID:?}" "${SYMPA_GID:?}" "${SPOOL_GUARD:?}" "${SOURCE_DATE_EPOCH:?}"
# Beside this script (bash only: no dirname, which a bare PATH may lack).
recipe_dir=${0%/*}
[ "$recipe_dir" != "$0" ] || recipe_dir=.
GUARD_SOURCE="$(cd "$recipe_dir" && pwd)/spool-guard.c"
[ -f "$GUARD_SOURCE" ] || { echo "E: missing $GUARD_SOURCE" >&2; exit 1; }
export SOURCE_DATE_EPOCH BUILD_PACKAGES GUARD_SOURCE

exec mmdebstrap \
  --variant=apt \
  --mode=root \
  --format=tar \
  --include="$PACKAGES" \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --essential-hook='printf "%s\n" \
      "postfix postfix/main_mailer_type select Internet Site" \
      "postfix postfix/mailname string localhost" \
    | chroot "$1" debconf-set-selections' \
  --customize-hook='cp "$GUARD_SOURCE" "$1/tmp/spool-guard.c"' \
  --customize-hook='chroot "$1" sh -euc "
      # Before the next hook, which removes resolv.conf: apt-get downloads the compiler here.
      apt-get install -y -q --no-install-recommends $BUILD_PACKAGES
      install -d -o root -g root -m 0755 \$(dirname $SPOOL_GUARD)
      gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -s -o $SPOOL_GUARD /tmp/spool-guard.c
      chmod 0755 $SPOOL_GUARD
      rm -f /tmp/spool-guard.c
      apt-get purge -y -q --autoremove $BUILD_PACKAGES
  "' \
  --customize-hook='chroot "$1" sh -euc "
      groupadd --system --gid $SYMPA_GID sympa
      useradd --system --uid $SYMPA_UID --gid sympa --home-dir /var/lib/sympa --no-create-home --shell /usr/sbin/nologin sympa
      cd /tmp
      apt-get download -q sympa
      dpkg-deb --fsys-tarfile sympa_*.deb | tar -x -C / ./usr/lib/sympa/bin/queue ./usr/lib/sympa/bin/bouncequeue
      rm -f sympa_*.deb
      install -d -o root -g root -m 0755 /etc/sympa /etc/sympa/sympa
      install -d -o sympa -g sympa -m 0755 /var/lib/sympa
      install -d -o sympa -g sympa -m 0771 /var/spool/sympa /var/spool/sympa/msg /var/spool/sympa/bounce
      # Ship empty Postfix queues: a queued file at first start stops Postfix.
      for q in maildrop incoming active deferred defer bounce corrupt hold flush saved trace; do
        [ ! -d /var/spool/postfix/\$q ] || find /var/spool/postfix/\$q -mindepth 1 -delete
      done
      rm -f /var/spool/postfix/pid/*.pid /etc/aliases.db
      # Nothing of the build host in the image: Docker provides these at run time, and the
      # generated main.cf replaces the one of Debian, which names the build host.
      rm -f /etc/hostname /etc/resolv.conf
      # The postinst of ssl-cert makes a snakeoil key pair: a random key and the build host name as
      # CN, so no two builds are equal. Unused: the generated main.cf enables no TLS.
      rm -f /etc/ssl/certs/ssl-cert-snakeoil.pem /etc/ssl/private/ssl-cert-snakeoil.key
      find /etc/ssl/certs -maxdepth 1 -lname ssl-cert-snakeoil.pem -delete
      postconf -e myhostname=localhost mydestination=localhost
  "' \
  "$SUITE" "$out"
