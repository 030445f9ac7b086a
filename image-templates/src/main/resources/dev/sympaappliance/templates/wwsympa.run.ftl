#!/bin/sh
# s6 service: WWSympa as a FastCGI server, the way Sympa's manual runs it without Apache:
# spawn-fcgi makes the socket at once (so early requests wait rather than fail) and hands it to
# multiwatch, which keeps [=wwsympaProcesses] wwsympa.fcgi processes (user sympa) and restarts any that die.
# nginx (user www-data) is the only one that may connect.
rm -f [=wwsympaSocket]
exec 2>&1
exec spawn-fcgi -n -s [=wwsympaSocket] -M 0600 -U www-data -G www-data -u sympa -g sympa \
  -- /usr/bin/multiwatch -f [=wwsympaProcesses] -- /usr/lib/cgi-bin/sympa/wwsympa.fcgi
