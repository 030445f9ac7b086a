#!/bin/sh
# s6 service: a syslog socket, /dev/log, for WWSympa, which logs nowhere else (Sympa's daemons
# log to stderr in the foreground; they write the same lines to syslog, which the logger drops).
exec 2>&1
exec s6-socklog -x /dev/log
