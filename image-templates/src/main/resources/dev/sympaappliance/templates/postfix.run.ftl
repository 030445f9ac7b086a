#!/bin/sh
# s6 service: Postfix's master in the foreground, its log on stdout (main.cf: maillog_file).
# `postfix start-fg` would run master as a child of a shell that does not pass on s6's SIGTERM;
# master itself stops Postfix on it. The entrypoint has run `postfix check`.
# A pid file left by a container that was killed must not make Postfix think it runs already.
rm -f /var/spool/postfix/pid/master.pid
exec 2>&1
exec /usr/lib/postfix/sbin/master -s
