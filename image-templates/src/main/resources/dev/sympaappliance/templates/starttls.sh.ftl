<#-- Included by the entrypoints: STARTTLS's certificate and key, checked or made. -->
# STARTTLS on port 25: the mounted certificate, or a self-signed one made once per site at the first
# start into the volume (never in the image). Postfix reads both files as root.
<#if tlsGenerated == "true">
if [ ! -s [=tlsCertPath] ] || [ ! -s [=tlsKeyPath] ]; then
  install -d -o root -g root -m 0700 [=tlsDirectory]
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "[=tlsSubject]" \
    -addext "subjectAltName=[=tlsSubjectAltName]" -keyout [=tlsKeyPath].new -out [=tlsCertPath].new 2>/dev/null) \
    || fail "could not make a TLS certificate in [=tlsDirectory]"
  mv [=tlsKeyPath].new [=tlsKeyPath]
  mv [=tlsCertPath].new [=tlsCertPath]
  echo "sympa-appliance: made a self-signed TLS certificate for [=hostname] in [=tlsDirectory]"
fi
</#if>
[ -r [=tlsCertPath] ] || fail "the TLS certificate [=tlsCertPath] is missing or unreadable: mount it there"
[ -r [=tlsKeyPath] ] || fail "the TLS key [=tlsKeyPath] is missing or unreadable: mount it there"
certificate_key=$(openssl x509 -in [=tlsCertPath] -noout -pubkey 2>/dev/null) \
  || fail "[=tlsCertPath] is not a PEM certificate"
[ "$certificate_key" = "$(openssl pkey -in [=tlsKeyPath] -pubout 2>/dev/null)" ] \
  || fail "the TLS key [=tlsKeyPath] is not the key of the certificate [=tlsCertPath]"
