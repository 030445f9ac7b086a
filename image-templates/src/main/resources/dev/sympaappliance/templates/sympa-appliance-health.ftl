#!/bin/bash
# HEALTHCHECK of the Sympa appliance for [=domain]. Ready means: every service this container
# supervises runs (all of <#list supervised as service>[=service]<#sep>, </#sep></#list>, or its
# part of them: the entrypoint lists them in /run/sympa-appliance/supervised),
# port 25 answers with its banner and, checked at most once a minute because each loads all of
# Sympa (about a second of CPU), <#if webUrl??>a page of the web interface answers 200 and </#if>`sympa.pl --health_check`
# (configuration and database) passes.
set -u
supervised=$(cat /run/sympa-appliance/supervised 2>/dev/null) || { echo "the entrypoint has not finished"; exit 1; }
for service in $supervised; do
  [ "$(s6-svstat -o up "[=runServices]/$service" 2>/dev/null)" = true ] || { echo "$service is not running"; exit 1; }
done
# shellcheck disable=SC2016 # the inner bash expands $banner
timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/25 && read -r banner <&3 && [[ $banner == 220* ]] && printf "QUIT\r\n" >&3' \
  || { echo "port 25 does not answer"; exit 1; }
stamp=/run/sympa-appliance/health_check.passed
if [ -z "$(find "$stamp" -mmin -1 2>/dev/null)" ]; then
<#if webUrl??>
  if [[ " $supervised " == *" nginx "* ]]; then
  # A page of WWSympa through nginx (the welcome page: the home page lists every list). The
  # first one after a start waits for WWSympa to load (a few seconds).
  # shellcheck disable=SC2016 # the inner bash expands $status
  timeout 20 bash -c 'exec 3<>/dev/tcp/127.0.0.1/80 && printf "GET [=webPath]/home HTTP/1.0\r\nHost: [=webAuthority]\r\n\r\n" >&3 && read -r status <&3 && [[ $status == "HTTP/1.1 200 "* ]]' \
    || { rm -f "$stamp"; echo "the web interface ([=webPath]/home on port 80) does not answer 200"; exit 1; }
  fi
</#if>
  /usr/lib/sympa/bin/sympa.pl --health_check >/dev/null 2>&1 || { rm -f "$stamp"; echo "sympa.pl --health_check failed"; exit 1; }
  touch "$stamp"
fi
echo "ready"
