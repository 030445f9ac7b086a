#!/bin/sh
# s6 service: Postfix in the foreground, its log on stdout (main.cf: maillog_file).
# A pid file left by a container that was killed must not make Postfix think it runs already.
rm -f /var/spool/postfix/pid/master.pid
exec 2>&1
exec postfix start-fg
