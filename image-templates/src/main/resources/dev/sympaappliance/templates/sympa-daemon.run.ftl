#!/bin/sh
# s6 service: Sympa's [=daemon].pl in the foreground (it drops to user sympa and logs to stderr),
# forked by the preload service, which has loaded Sympa's modules once for all the daemons; this
# service's process stands for it ([=daemonClient]): s6's signals go to the daemon, and
# the service ends, and s6 starts it again, when the daemon exits.
# Sympa takes a leftover pid file for a crash and mails the listmaster about it: s6 already
# guarantees a single instance, so the file of an earlier run goes.
rm -f /run/sympa/[=service].pid
exec 2>&1
<#if daemon == "bulk">
# bulk.pl hands its per-member copies (one recipient each) to Postfix over one SMTP connection to
# its loopback listener (master.cf) instead of forking a sendmail per copy
# (sympa-distribution.patch in the base); a copy the listener refuses, and a packet of several
# recipients, go to sendmail as before. Each bulk.pl of the image (bulk.workers) takes
# packets from the same spool, under its own pid file and name, [=service] (the same patch).
export SYMPA_APPLIANCE_SUBMIT=[=bulkSubmission] SYMPA_APPLIANCE_BULK_NAME=[=service]
</#if>
exec [=daemonClient] [=service] [=daemon] [=preloadSocket]
