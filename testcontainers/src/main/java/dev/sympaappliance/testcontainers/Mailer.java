package dev.sympaappliance.testcontainers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import org.apache.commons.net.smtp.SMTPClient;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.message.DefaultMessageWriter;

/**
 * Mail into the appliance, for {@link SympaApplianceContainer}: posts composed by Apache James
 * mime4j, SMTP through the published port (Apache Commons Net), {@code sendmail} inside.
 */
final class Mailer {
  private Mailer() {}

  static String post(
      SympaApplianceContainer server, String from, String to, String subject, String text) {
    String messageId = UUID.randomUUID() + "@test.sympa-appliance";
    int reply = server.send(from, to, compose(from, to, subject, text, messageId));
    if (reply != 250) {
      throw new IllegalStateException(
          "the server answered " + reply + " to the end of the message to " + to);
    }
    return messageId;
  }

  static String compose(String from, String to, String subject, String text, String messageId) {
    try {
      Message message =
          Message.Builder.of()
              .setFrom(from)
              .setTo(to)
              .setSubject(subject)
              .setDate(new Date())
              .setMessageId("<" + messageId + ">")
              .setBody(text, StandardCharsets.UTF_8)
              .setContentTransferEncoding("quoted-printable")
              .build();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new DefaultMessageWriter().writeMessage(message, out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException | org.apache.james.mime4j.dom.field.ParseException e) {
      throw new IllegalArgumentException(
          "cannot compose a message from " + from + " to " + to + ": " + e, e);
    }
  }

  static int send(String host, int port, String from, String to, String message) {
    SMTPClient client = new SMTPClient();
    try {
      client.setConnectTimeout(10_000);
      client.connect(host, port);
      client.setSoTimeout(60_000);
      client.helo("client.test.sympa-appliance");
      if (client.mail("<" + from + ">") != 250 || client.rcpt("<" + to + ">") != 250) {
        throw new IllegalStateException(
            "SMTP refused <" + from + "> -> <" + to + ">: " + client.getReplyString().strip());
      }
      Writer data = client.sendMessageData();
      if (data == null) {
        return client.getReplyCode();
      }
      data.write(message.replace("\r\n", "\n").replace("\n", "\r\n"));
      data.close();
      client.completePendingCommand();
      int reply = client.getReplyCode();
      client.quit();
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException("SMTP to " + host + ":" + port + " failed", e);
    } finally {
      try {
        if (client.isConnected()) {
          client.disconnect();
        }
      } catch (IOException ignored) {
        // the session is over either way
      }
    }
  }

  static void submit(
      SympaApplianceContainer server, String from, String to, String subject, String text) {
    String message =
        "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\n\n" + text + "\n";
    server.shell(
        "printf '%s' "
            + Shell.quote(message)
            + " | sendmail -f "
            + Shell.quote(from)
            + " "
            + Shell.quote(to));
  }
}
