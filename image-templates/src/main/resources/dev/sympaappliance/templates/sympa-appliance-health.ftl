#!/bin/bash
# HEALTHCHECK of the Sympa appliance for ${domain}: ready means every supervised service runs
# (Postfix and Sympa's daemons), port 25 answers with its banner, and `sympa.pl --health_check`
# (configuration and database) passes. That last one loads all of Sympa (about a second of
# CPU), so a success is trusted for a minute.
set -u
for service in<#list ["postfix"] + daemons as service> ${service}</#list>; do
  [ "$(s6-svstat -o up ${runServices}/$service 2>/dev/null)" = true ] || { echo "$service is not running"; exit 1; }
done
timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/25 && read -r banner <&3 && [[ $banner == 220* ]] && printf "QUIT\r\n" >&3' \
  || { echo "port 25 does not answer"; exit 1; }
stamp=/run/sympa-appliance/health_check.passed
if [ -z "$(find "$stamp" -mmin -1 2>/dev/null)" ]; then
  /usr/lib/sympa/bin/sympa.pl --health_check >/dev/null 2>&1 || { rm -f "$stamp"; echo "sympa.pl --health_check failed"; exit 1; }
  touch "$stamp"
fi
echo "ready"
