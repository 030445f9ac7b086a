#!/bin/sh
# s6 logger of the syslog socket: WWSympa's lines to the container's stdout, prefixed with
# wwsympa; the rest is dropped (Sympa's daemons write each line to stderr too, where their own
# loggers take it, and sympa.pl run by the health check would only add noise).
exec sed -u -n -e 's/^.*wwsympa\[[0-9]*\]: /wwsympa: /p'
