#!/bin/sh
# s6 service: Sympa's [=service].pl in the foreground (it drops to user sympa and logs to stderr).
# Sympa takes a leftover pid file for a crash and mails the listmaster about it: s6 already
# guarantees a single instance, so the file of an earlier run goes.
rm -f /run/sympa/[=service].pid
exec 2>&1
<#if service == "bulk">
# bulk.pl hands its copies to Postfix over one SMTP connection to its loopback listener (master.cf)
# instead of forking a sendmail per copy (sympa-distribution.patch in the base); a copy the
# listener refuses goes to sendmail as before.
export SYMPA_APPLIANCE_SUBMIT=[=bulkSubmission]
</#if>
exec /usr/lib/sympa/bin/[=service].pl --foreground
