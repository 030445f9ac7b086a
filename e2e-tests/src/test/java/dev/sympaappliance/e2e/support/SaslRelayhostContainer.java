package dev.sympaappliance.e2e.support;

import java.time.Duration;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A relay host that requires SMTP AUTH over TLS, as a mail provider's submission port does:
 * Debian's Postfix on port 587 with Cyrus SASL (a sasldb with one user), a self-signed certificate,
 * AUTH offered only after STARTTLS, and relaying only for authenticated clients, to the sink
 * ("sink" on the same network).
 */
public final class SaslRelayhostContainer extends ShellContainer<SaslRelayhostContainer> {
  public static final String USER = "lists@relay.test";
  public static final int PORT = 587;

  private static final String ENTRYPOINT =
      """
      #!/bin/sh
      # Test relay host: Postfix's submission service with SASL (sasldb), relaying to [sink]:25.
      set -eu
      [ -n "${RELAY_PASSWORD:-}" ] || { echo 'RELAY_PASSWORD is not set' >&2; exit 1; }
      openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=relayhost \\
        -keyout /etc/postfix/relay.key -out /etc/postfix/relay.crt 2>/dev/null
      printf '%s' "$RELAY_PASSWORD" | saslpasswd2 -p -c -u relay.test lists
      chgrp postfix /etc/sasldb2 && chmod 0640 /etc/sasldb2
      mkdir -p /etc/postfix/sasl
      printf 'pwcheck_method: auxprop\\nauxprop_plugin: sasldb\\nmech_list: PLAIN LOGIN\\n' \
      > /etc/postfix/sasl/smtpd.conf
      postconf -e compatibility_level=3.6 myhostname=relayhost mydestination= relayhost='[sink]:25' \\
        maillog_file=/dev/stdout mynetworks=127.0.0.0/8 inet_protocols=ipv4 \\
        smtpd_tls_cert_file=/etc/postfix/relay.crt smtpd_tls_key_file=/etc/postfix/relay.key \\
        smtpd_tls_security_level=may smtpd_tls_auth_only=yes smtpd_sasl_auth_enable=yes \\
        smtpd_sasl_type=cyrus smtpd_sasl_path=smtpd smtpd_relay_restrictions=permit_sasl_authenticated,reject
      postconf -M 'submission/inet=submission inet n - n - - smtpd'
      postconf -M 'postlog/unix-dgram=postlog unix-dgram n - n - 1 postlogd'
      for s in smtp/unix relay/unix pickup/unix cleanup/unix qmgr/unix tlsmgr/unix rewrite/unix bounce/unix \\
        defer/unix trace/unix verify/unix flush/unix proxymap/unix anvil/unix scache/unix showq/unix; do
        postconf -F "$s/chroot=n" 2>/dev/null || true
      done
      postconf -F 'smtp/inet/chroot=n'
      newaliases
      echo 'test relay host: starting'
      exec postfix start-fg
      """;

  public SaslRelayhostContainer(Network network, String password) {
    super(Holder.IMAGE);
    withNetwork(network);
    withNetworkAliases("relayhost");
    withEnv("RELAY_PASSWORD", password);
    withExposedPorts(PORT);
    waitingFor(
        Wait.forLogMessage(".*daemon started.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
  }

  private static final class Holder {
    public static final DockerImageName IMAGE =
        TestHelperImages.build("sympa-appliance-e2e-sasl-relayhost:latest", ENTRYPOINT);
  }
}
