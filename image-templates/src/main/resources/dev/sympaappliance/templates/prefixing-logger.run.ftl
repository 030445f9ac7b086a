#!/bin/sh
# s6 logger of ${daemon}: each line to the container's stdout, prefixed with the program.
# Sympa warns at each start that there is no syslog socket (it logs to stderr instead): dropped.
# s6-svscan holds the pipe open across restarts, so no line is lost when ${daemon}.pl restarts.
exec sed -u -e '/^setlogsock(): /d' -e 's/^/${daemon}.pl: /'
