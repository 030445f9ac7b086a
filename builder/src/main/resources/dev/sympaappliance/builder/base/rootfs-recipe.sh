#!/bin/bash
# Builds the appliance's base root filesystem as an uncompressed tarball with mmdebstrap:
# Postfix and bsd-mailx (the `mail` command) from Debian and the spool guard, compiled from
# spool-guard.c (beside this script) with Debian's gcc, which is purged again. Then either
#  - tools flavour (PACKAGES without sympa): Sympa's two bin tools, `queue` and `bouncequeue`,
#    taken from Debian's sympa package without installing it (the full package needs a
#    database and pulls in ~150 MB of Perl), or
#  - full flavour (PACKAGES with sympa): Debian's sympa package itself, configured against a
#    throw-away SQLite sympa.conf, and every trace of that build-time configuration removed;
#    sympa.patch (beside this script: one-click unsubscribe, owner mail, distribution) is applied to its Perl code with
#    Debian's patch (a build package, purged again), strictly: a hunk that does not apply
#    fails the build.
#
# Called by the builder (BaseImageBuilder) with the variables below set; every input that
# shapes the result is one of them, this file's text or a source file beside it, and all of it
# goes into the cache key.
#   SUITE, ARCH, PACKAGES, BUILD_PACKAGES, SYMPA_UID, SYMPA_GID, SPOOL_GUARD, SOURCE_DATE_EPOCH
# ARCH is the Debian architecture of the result (amd64, arm64); another one than the host's runs
# under QEMU user emulation, which binfmt_misc must have registered.
# Usage: rootfs-recipe.sh OUTPUT.tar
set -euo pipefail
out=$1
: "${SUITE:?}" "${ARCH:?}" "${PACKAGES:?}" "${BUILD_PACKAGES:?}" "${SYMPA_UID:?}" "${SYMPA_GID:?}" "${SPOOL_GUARD:?}" "${SOURCE_DATE_EPOCH:?}"
# Beside this script (bash only: no dirname, which a bare PATH may lack).
recipe_dir=${0%/*}
[ "$recipe_dir" != "$0" ] || recipe_dir=.
GUARD_SOURCE="$(cd "$recipe_dir" && pwd)/spool-guard.c"
[ -f "$GUARD_SOURCE" ] || { echo "E: missing $GUARD_SOURCE" >&2; exit 1; }
case ",$PACKAGES," in
  *,sympa,*) SYMPA_FROM=package
    SYMPA_PATCH="$(cd "$recipe_dir" && pwd)/sympa.patch"
    [ -f "$SYMPA_PATCH" ] || { echo "E: missing $SYMPA_PATCH" >&2; exit 1; } ;;
  *) SYMPA_FROM=bin-tools SYMPA_PATCH= ;;
esac
export SOURCE_DATE_EPOCH BUILD_PACKAGES GUARD_SOURCE SYMPA_FROM SYMPA_PATCH SYMPA_UID SYMPA_GID
# Sympa under QEMU user emulation (another architecture than the host's, through binfmt_misc):
# QEMU 7.2 let an emulated process's brk heap grow by only about 32 MiB; past it glibc's malloc
# falls back to mmap, succeeds, and leaves errno = ENOMEM, and sombok (Unicode::LineBreak, with
# which Sympa/Tools/Text.pm folds text) reads errno after a call that did not fail and dies with
# "Cannot allocate memory" in the package's postinst. A malloc top pad larger than any build
# process's heap makes that one fallback happen at the first malloc, before Perl runs (address
# space only, not memory). Set for the build only (the postinst's `su -l sympa` reads it from
# profile.d, removed again): the image's processes do not get it.
BUILD_TUNABLES=
if [ "$SYMPA_FROM" = package ] && [ "$ARCH" != "$(dpkg --print-architecture)" ]; then
  BUILD_TUNABLES=glibc.malloc.top_pad=1073741824
  export GLIBC_TUNABLES=$BUILD_TUNABLES
fi
export BUILD_TUNABLES

exec mmdebstrap \
  --variant=apt \
  --mode=root \
  --format=tar \
  --architectures="$ARCH" \
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
      "sympa sympa/dbconfig-install boolean false" \
    | chroot "$1" debconf-set-selections' \
  --essential-hook='[ "$SYMPA_FROM" = package ] || exit 0
      # Full flavour: user sympa with the pinned ids before the package makes one of its own
      # (adduser keeps an existing system user; su in its postinst needs the shadow entry), and a
      # sympa.conf its postinst can check against (it runs `sympa check`, which needs a database).
      # Its sendmail swallows the notice the postinst mails to the listmaster: on trixie, Postfix
      # may not be configured yet (no maildrop), and postdrop would wait for it forever.
      echo "sympa:x:$SYMPA_GID:" >> "$1/etc/group"
      echo "sympa:x:$SYMPA_UID:$SYMPA_GID:Sympa mailing list manager:/var/lib/sympa:/usr/sbin/nologin" >> "$1/etc/passwd"
      echo "sympa:!:19675::::::" >> "$1/etc/shadow"
      [ -z "$BUILD_TUNABLES" ] || echo "export GLIBC_TUNABLES=$BUILD_TUNABLES" > "$1/etc/profile.d/build-tunables.sh"
      mkdir -p "$1/etc/sympa/sympa"
      printf "domain\tbuild.invalid\nlistmaster\tlistmaster@build.invalid\ndb_type\tSQLite\ndb_name\t/var/lib/sympa/sympa.sqlite\nsendmail\t/bin/sh\nsendmail_args\t-c cat>/dev/null\n" \
        > "$1/etc/sympa/sympa/sympa.conf"' \
  --customize-hook='rm -f "$1/etc/profile.d/build-tunables.sh"' \
  --customize-hook='cp "$GUARD_SOURCE" "$1/tmp/spool-guard.c"' \
  --customize-hook='[ -z "$SYMPA_PATCH" ] || cp "$SYMPA_PATCH" "$1/tmp/sympa.patch"' \
  --customize-hook='chroot "$1" sh -euc "
      # Before the next hook, which removes resolv.conf: apt-get downloads the compiler here.
      apt-get install -y -q --no-install-recommends $BUILD_PACKAGES
      install -d -o root -g root -m 0755 \$(dirname $SPOOL_GUARD)
      gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -s -o $SPOOL_GUARD /tmp/spool-guard.c
      chmod 0755 $SPOOL_GUARD
      rm -f /tmp/spool-guard.c
      if [ -f /tmp/sympa.patch ]; then
        patch --directory=/ --strip=1 --forward --fuzz=0 --no-backup-if-mismatch < /tmp/sympa.patch
        rm -f /tmp/sympa.patch
      fi
      apt-get purge -y -q --autoremove $BUILD_PACKAGES
  "' \
  --customize-hook='[ "$SYMPA_FROM" = bin-tools ] || exit 0; chroot "$1" sh -euc "
      groupadd --system --gid $SYMPA_GID sympa
      useradd --system --uid $SYMPA_UID --gid sympa --home-dir /var/lib/sympa --no-create-home --shell /usr/sbin/nologin sympa
      cd /tmp
      apt-get download -q sympa
      dpkg-deb --fsys-tarfile sympa_*.deb | tar -x -C / ./usr/lib/sympa/bin/queue ./usr/lib/sympa/bin/bouncequeue
      rm -f sympa_*.deb
      install -d -o root -g root -m 0755 /etc/sympa /etc/sympa/sympa
      install -d -o sympa -g sympa -m 0755 /var/lib/sympa
      install -d -o sympa -g sympa -m 0771 /var/spool/sympa /var/spool/sympa/msg /var/spool/sympa/bounce
  "' \
  --customize-hook='[ "$SYMPA_FROM" = package ] || exit 0; chroot "$1" sh -euc "
      [ \"\$(id -u sympa):\$(id -g sympa)\" = $SYMPA_UID:$SYMPA_GID ]
      # The build-time configuration and what the postinst made with it: the image gets its own
      # sympa.conf, and the database is created at first start in the volume.
      rm -f /etc/sympa/sympa/sympa.conf /etc/sympa/sympa/sympa.conf.* /var/lib/sympa/sympa.sqlite
      find /var/spool/sympa -mindepth 2 -type f -delete
      rm -rf /run/sympa/*
      # Site list templates: subscriptions by mail are confirmed (double opt-in), so the templates
      # that subscribe on request (open, open_notify) get their confirming twins (auth,
      # auth_notify); and discussion_list, the only one that drops the editors (moderators) given
      # at creation, gets the editor block the others have.
      for type in discussion_list news-letter html-news-letter public_web_forum; do
        template=/etc/sympa/create_list_templates/\$type/config.tt2
        mkdir -p /etc/sympa/create_list_templates/\$type
        cp -p /usr/share/sympa/default/create_list_templates/\$type/* /etc/sympa/create_list_templates/\$type/
        sed -i -e \"s/^subscribe open_notify\$/subscribe auth_notify/\" -e \"s/^subscribe open\$/subscribe auth/\" \$template
        grep -qE \"^subscribe auth(_notify)?\$\" \$template
        grep -q \"FOREACH e = editor\" \$template || printf \"%s\\n\" \"\" \"[% FOREACH e = editor -%]\" editor \
          \"  email [% e.email %]\" \"  [% IF e.gecos -%]\" \"  gecos [% e.gecos %]\" \"  [% END %]\" \"\" \"[% END -%]\" >> \$template
        grep -q \"FOREACH e = editor\" \$template
      done
  "' \
  --customize-hook='chroot "$1" sh -euc "
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
      [ ! -d /etc/ssl/certs ] || find /etc/ssl/certs -maxdepth 1 -lname ssl-cert-snakeoil.pem -delete
      postconf -e myhostname=localhost mydestination=localhost
  "' \
  "$SUITE" "$out"
