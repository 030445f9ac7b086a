#!/bin/bash
# HEALTHCHECK of the Sympa appliance for [=domain]. Ready means: every service this container
# supervises runs (all of <#list supervised as service>[=service]<#sep>, </#sep></#list>, or its
# part of them: the entrypoint lists them in /run/sympa-appliance/supervised),
# port 25 answers with its banner and, checked at most once a minute once the container has been
# ready, Sympa's database answers a query of user sympa<#if webUrl??> and a page of the web interface answers 200</#if>.
# Until the container has been ready once, a run waits for it (up to 25 s, within Docker's 30 s
# timeout) instead of failing, so that Docker marks it healthy as soon as it is ready rather than at
# its next run; after that, a run checks once and fails at once.
set -u
run=/run/sympa-appliance
stamp=$run/health_check.passed
ready_once=$run/ready_once

# Sympa's database, as Sympa's daemons reach it (user sympa, sympa.conf's db_ parameters): a
# query of one of its tables. Perl's DBI alone, not Sympa, which takes about a second of CPU to load.
# shellcheck disable=SC2016 # Perl's variables
database_answers() {
  timeout 10 setpriv --reuid=sympa --regid=sympa --init-groups perl -MDBI -e '
    my %c;
    open my $conf, "<", "[=sympaConf]" or die "[=sympaConf]: $!\n";
    while (<$conf>) { $c{$1} = $2 if /^(db_\w+)\s+(.*?)\s*$/ }
    my $dsn = $c{db_type} eq "SQLite" ? "dbi:SQLite:dbname=$c{db_name}"
      : "dbi:Pg:dbname=$c{db_name};host=$c{db_host};port=" . ($c{db_port} || 5432);
    # An SQLite file that cannot be opened would otherwise be created empty.
    die "$c{db_name}: not readable\n" if $c{db_type} eq "SQLite" && !-r $c{db_name};
    my $db = DBI->connect($dsn, $c{db_user} // "", $c{db_passwd} // "",
      { RaiseError => 1, PrintError => 0, AutoCommit => 1 });
    $db->selectrow_array("SELECT COUNT(*) FROM list_table");
  ' >/dev/null 2>&1
}

# Sets $problem and fails on the first part that is not ready. $1: the seconds a page may take.
# Docker runs this every 2 s: the parts checked at every run use bash's builtins and one
# s6-svwait, since each program started costs CPU at every run.
check() {
  { read -r supervised < $run/supervised; } 2>/dev/null || { problem="the entrypoint has not finished"; return 1; }
  local dirs=() service banner passed
  for service in $supervised; do dirs+=("[=runServices]/$service"); done
  if ! s6-svwait -u -t 100 "${dirs[@]}" >/dev/null 2>&1; then
    for service in $supervised; do
      [ "$(s6-svstat -o up "[=runServices]/$service" 2>/dev/null)" = true ] || { problem="$service is not running"; return 1; }
    done
  fi
  if { exec 3<>/dev/tcp/127.0.0.1/25; } 2>/dev/null && read -r -t 5 banner <&3 && [[ $banner == 220* ]]; then
    printf 'QUIT\r\n' >&3
    exec 3>&-
  else
    exec 3>&-
    problem="port 25 does not answer"
    return 1
  fi
  { read -r passed < "$stamp"; } 2>/dev/null && [ $((EPOCHSECONDS - passed)) -lt 60 ] && return 0
  rm -f "$stamp"
  database_answers || { problem="Sympa's database does not answer (a query of user sympa, as [=sympaConf] gives it)"; return 1; }
<#if webUrl??>
  if [[ " $supervised " == *" nginx "* ]]; then
    # A page of WWSympa through nginx (the welcome page: the home page lists every list). The
    # first one after a start waits for WWSympa to load (a few seconds).
    # shellcheck disable=SC2016 # the inner bash expands $status
    timeout "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/80 && printf "GET [=webPath]/home HTTP/1.0\r\nHost: [=webAuthority]\r\n\r\n" >&3 && read -r status <&3 && [[ $status == "HTTP/1.1 200 "* ]]' \
      || { problem="the web interface ([=webPath]/home on port 80) does not answer 200"; return 1; }
  fi
</#if>
  echo "$EPOCHSECONDS" > "$stamp"
}

if [ -e $ready_once ]; then
  check 20 || { echo "$problem"; exit 1; }
else
  deadline=$((SECONDS + 25))
  until check $((deadline - SECONDS > 1 ? deadline - SECONDS : 1)); do
    [ $SECONDS -lt $deadline ] || { echo "$problem (waited 25 s for the start)"; exit 1; }
    sleep 0.2
  done
  touch $ready_once
fi
echo "ready"
