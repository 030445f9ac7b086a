#!/bin/sh
# s6 logger of [=service]: each line to the container's stdout, prefixed with [=program].
# Sympa warns at each start when there is no syslog socket (it logs to stderr anyway): dropped.
# s6-svscan holds the pipe open across restarts, so no line is lost when [=service] restarts.
exec sed -u -e '/^setlogsock(): /d' -e 's/^/[=program]: /'
