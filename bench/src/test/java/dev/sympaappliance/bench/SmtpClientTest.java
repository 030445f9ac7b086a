package dev.sympaappliance.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Against a scripted SMTP server on the loopback address: what goes over the wire, and what is
 * stamped.
 */
class SmtpClientTest {
  /**
   * Answers every session 220, 250, 354, 250 to end of data, 221; keeps the commands and each
   * message's data.
   */
  static final class FakeServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    FakeServer() throws IOException {
      Thread accept =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket s = socket.accept();
                    new Thread(() -> session(s)).start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void session(Socket s) {
      try (s) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        reply(out, "220 fake ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
          commands.add(line);
          if (line.equals("DATA")) {
            reply(out, "354 go ahead");
            StringBuilder data = new StringBuilder();
            String l;
            while (!(l = in.readLine()).equals(".")) {
              data.append(l).append("\r\n");
            }
            messages.add(data.toString());
            reply(out, "250 2.0.0 queued");
          } else if (line.equals("QUIT")) {
            reply(out, "221 bye");
            return;
          } else {
            reply(out, "250 ok");
          }
        }
      } catch (IOException e) {
        // client went away
      }
    }

    private static void reply(OutputStream out, String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void sendsEachMessageOnceAndStampsItsAcceptance() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Map<String, Double> accepted = new ConcurrentHashMap<>();
      double before = System.currentTimeMillis() / 1000.0;
      SmtpClient.send(
          "127.0.0.1", server.port(), "list1@lists.example.org", 5, 2, 0, "t", accepted);
      double after = System.currentTimeMillis() / 1000.0;
      assertThat(accepted)
          .containsOnlyKeys(
              "0.t@example.net",
              "1.t@example.net",
              "2.t@example.net",
              "3.t@example.net",
              "4.t@example.net");
      assertThat(accepted.values())
          .allSatisfy(t -> assertThat(t).isBetween(before - 0.01, after + 0.01));
      assertThat(server.commands)
          .filteredOn(c -> c.startsWith("HELO"))
          .containsExactly("HELO loadgen.example.net", "HELO loadgen.example.net");
      assertThat(server.commands)
          .filteredOn(c -> c.startsWith("MAIL"))
          .hasSize(5)
          .containsOnly("MAIL FROM:<bench@example.net>");
      assertThat(server.commands)
          .filteredOn(c -> c.startsWith("RCPT"))
          .hasSize(5)
          .containsOnly("RCPT TO:<list1@lists.example.org>");
      assertThat(server.commands).filteredOn(c -> c.equals("QUIT")).hasSize(2);
      assertThat(server.messages)
          .contains(SmtpClient.message(3, "3.t@example.net", "list1@lists.example.org"));
    }
  }

  @Test
  void theMessageHasItsMessageIdAndAKilobyteOfBody() {
    String m = SmtpClient.message(7, "7.x@example.net", "l@d");
    assertThat(m)
        .startsWith(
            "From: bench@example.net\r\nTo: l@d\r\nSubject: latency 7\r\nMessage-ID: <7.x@example.net>\r\n\r\n");
    assertThat(m.substring(m.indexOf("\r\n\r\n") + 4)).hasSize(13 * 78);
  }

  @Test
  void awaitsTheBannerAndGivesUpWhenNoneComes() throws Exception {
    try (FakeServer server = new FakeServer()) {
      SmtpClient.awaitBanner("127.0.0.1", server.port(), 5);
      assertThat(server.commands).contains("QUIT");
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    int port = closed;
    assertThatThrownBy(() -> SmtpClient.awaitBanner("127.0.0.1", port, 1))
        .hasMessageContaining("no 220");
  }
}
