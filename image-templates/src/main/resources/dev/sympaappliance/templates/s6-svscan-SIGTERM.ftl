#!/bin/sh
# docker stop: Postfix first, so that no mail is accepted while Sympa's daemons stop; then every
# other service (each daemon finishes the message it is working on) and their loggers.
s6-svc -wD -T 5000 -d [=runServices]/postfix
exec s6-svscanctl -t [=runServices]
