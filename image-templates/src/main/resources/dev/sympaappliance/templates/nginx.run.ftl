#!/bin/sh
# s6 service: nginx in the foreground (nginx.conf: daemon off), in front of WWSympa.
exec 2>&1
exec /usr/sbin/nginx
