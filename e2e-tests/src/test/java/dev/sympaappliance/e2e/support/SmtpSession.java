package dev.sympaappliance.e2e.support;

import java.io.IOException;
import java.io.Writer;
import org.apache.commons.net.smtp.SMTPClient;

/**
 * A real SMTP client session (Apache Commons Net) that exposes every reply code, so tests can
 * assert the dialogue itself and not only its outcome.
 */
public final class SmtpSession implements AutoCloseable {
  private final SMTPClient client = new SMTPClient();

  public SmtpSession(String host, int port) throws IOException {
    client.setConnectTimeout(10_000);
    client.connect(host, port);
    client.setSoTimeout(30_000);
  }

  public int greetingCode() {
    return client.getReplyCode();
  }

  public int helo(String name) throws IOException {
    return client.helo(name);
  }

  public int mailFrom(String sender) throws IOException {
    return client.mail("<" + sender + ">");
  }

  public int rcptTo(String recipient) throws IOException {
    return client.rcpt("<" + recipient + ">");
  }

  public String lastReply() {
    return client.getReplyString().strip();
  }

  /**
   * DATA, the message (lines joined with CRLF), the final dot; returns {DATA reply, end-of-data
   * reply}.
   */
  public int[] data(String... lines) throws IOException {
    Writer writer = client.sendMessageData();
    int dataCode = client.getReplyCode();
    if (writer == null) {
      return new int[] {dataCode, -1};
    }
    writer.write(String.join("\r\n", lines) + "\r\n");
    writer.close();
    client.completePendingCommand();
    return new int[] {dataCode, client.getReplyCode()};
  }

  public int quit() throws IOException {
    return client.quit();
  }

  @Override
  public void close() throws IOException {
    if (client.isConnected()) {
      client.disconnect();
    }
  }
}
