package dev.sympaappliance.e2e.support;

import java.io.IOException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.util.TrustManagerUtils;

/**
 * An SMTP session that upgrades to TLS with STARTTLS (Apache Commons Net), accepting any
 * certificate so that the test can look at the one the server presents.
 */
public final class TlsSmtpSession implements AutoCloseable {
  private final Client client = new Client();
  private final String ehloReply;

  /** Exposes the TLS socket that execTLS puts in place of the plain one. */
  private static final class Client extends AuthenticatingSMTPClient {
    public Client() {
      super("TLS", false);
    }

    public SSLSocket tlsSocket() {
      return (SSLSocket) _socket_;
    }
  }

  public TlsSmtpSession(String host, int port) throws IOException {
    client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
    client.setConnectTimeout(10_000);
    client.connect(host, port);
    client.setSoTimeout(30_000);
    client.ehlo("client.example.net");
    ehloReply = client.getReplyString();
  }

  /** The EHLO reply before STARTTLS: what the server offers in the clear. */
  public String ehloReply() {
    return ehloReply;
  }

  /** STARTTLS and the handshake; the server's certificate. */
  public X509Certificate startTls() throws IOException {
    if (!client.execTLS()) {
      throw new IllegalStateException("STARTTLS refused: " + client.getReplyString().strip());
    }
    client.ehlo("client.example.net");
    return (X509Certificate) client.tlsSocket().getSession().getPeerCertificates()[0];
  }

  public String protocol() {
    return client.tlsSocket().getSession().getProtocol();
  }

  /** MAIL, RCPT and DATA over the session; the end-of-data reply code. */
  public int send(String from, String to, String message) throws IOException {
    if (client.mail("<" + from + ">") != 250 || client.rcpt("<" + to + ">") != 250) {
      throw new IllegalStateException(
          "SMTP refused " + from + " -> " + to + ": " + client.getReplyString().strip());
    }
    client.sendShortMessageData(message);
    return client.getReplyCode();
  }

  @Override
  public void close() throws IOException {
    if (client.isConnected()) {
      client.quit();
      client.disconnect();
    }
  }
}
