package dev.sympaappliance.bench;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.net.smtp.SMTPClient;

/**
 * SMTP from the host to a container's port 25, on Apache Commons Net's SMTPClient (as the
 * end-to-end tests): parallel sessions that stamp each message when its 250 to the end of DATA has
 * been read, and the wait for a server's 220 banner.
 */
final class SmtpClient {
  static final int PORT = 25;
  static final String SENDER = "bench@example.net";

  private SmtpClient() {}

  /**
   * Sends N messages to TO over SESSIONS parallel sessions (one after the other within a session,
   * INTERVAL_MS apart); puts each accepted message's Message-ID (i.TAG@example.net) into ACCEPTED
   * with the time of its 250, epoch seconds.
   */
  static void send(
      String ip,
      String to,
      int n,
      int sessions,
      long intervalMs,
      String tag,
      Map<String, Double> accepted)
      throws Exception {
    send(ip, PORT, to, n, sessions, intervalMs, tag, accepted);
  }

  static void send(
      String ip,
      int port,
      String to,
      int n,
      int sessions,
      long intervalMs,
      String tag,
      Map<String, Double> accepted)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < sessions; t++) {
      Thread th =
          new Thread(
              () -> {
                SMTPClient c = new SMTPClient();
                try {
                  c.setConnectTimeout(5000);
                  c.setDefaultTimeout(60000);
                  c.connect(ip, port);
                  c.setTcpNoDelay(true);
                  expect(c, c.getReplyCode(), 220);
                  expect(c, c.helo("loadgen.example.net"), 250);
                  int i;
                  while ((i = next.getAndIncrement()) < n) {
                    String id = i + "." + tag + "@example.net";
                    expect(c, c.mail("<" + SENDER + ">"), 250);
                    expect(c, c.rcpt("<" + to + ">"), 250);
                    Writer data = c.sendMessageData();
                    if (data == null) {
                      throw new IOException("expected 354, got: " + c.getReplyString().strip());
                    }
                    data.write(message(i, id, to));
                    data.close(); // the final dot
                    c.completePendingCommand();
                    expect(c, c.getReplyCode(), 250);
                    Instant now = Instant.now();
                    accepted.put(id, now.getEpochSecond() + now.getNano() / 1e9);
                    if (intervalMs > 0) {
                      Thread.sleep(intervalMs);
                    }
                  }
                  expect(c, c.quit(), 221);
                } catch (Exception e) {
                  errors.add(e);
                } finally {
                  disconnect(c);
                }
              });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
  }

  /**
   * One post FROM → TO with SUBJECT and a Message-ID, over its own session; returns the time of the
   * 250 to its DATA, epoch seconds.
   */
  static double post(String ip, String from, String to, String subject) throws Exception {
    SMTPClient c = new SMTPClient();
    try {
      c.setConnectTimeout(5000);
      c.setDefaultTimeout(60000);
      c.connect(ip, PORT);
      expect(c, c.getReplyCode(), 220);
      expect(c, c.helo("poster.example.net"), 250);
      expect(c, c.mail("<" + from + ">"), 250);
      expect(c, c.rcpt("<" + to + ">"), 250);
      Writer data = c.sendMessageData();
      if (data == null) {
        throw new IOException("expected 354, got: " + c.getReplyString().strip());
      }
      data.write(
          "From: "
              + from
              + "\r\nTo: "
              + to
              + "\r\nSubject: "
              + subject
              + "\r\nMessage-ID: <"
              + subject.replace(' ', '.')
              + "@example.net>\r\n\r\n"
              + ("A post of about one kilobyte." + "\r\n").repeat(30));
      data.close();
      c.completePendingCommand();
      expect(c, c.getReplyCode(), 250);
      Instant now = Instant.now();
      expect(c, c.quit(), 221);
      return now.getEpochSecond() + now.getNano() / 1e9;
    } finally {
      disconnect(c);
    }
  }

  /** Message I: headers with Message-ID ID, and 13 lines of 76 characters. */
  static String message(int i, String id, String to) {
    StringBuilder m = new StringBuilder();
    m.append("From: ")
        .append(SENDER)
        .append("\r\nTo: ")
        .append(to)
        .append("\r\n")
        .append("Subject: latency ")
        .append(i)
        .append("\r\nMessage-ID: <")
        .append(id)
        .append(">\r\n\r\n");
    String line = "x".repeat(76) + "\r\n";
    for (int k = 0; k < 13; k++) {
      m.append(line);
    }
    return m.toString();
  }

  /** Connects to IP:25 every 10 ms until a 220 banner is read (then QUIT); fails after SECONDS. */
  static void awaitBanner(String ip, int seconds) throws Exception {
    awaitBanner(ip, PORT, seconds);
  }

  static void awaitBanner(String ip, int port, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      SMTPClient c = new SMTPClient();
      boolean ready = false;
      try {
        c.setConnectTimeout(200);
        c.setDefaultTimeout(2000);
        c.connect(ip, port);
        ready = c.getReplyCode() == 220;
        if (ready) {
          c.quit();
        }
      } catch (IOException e) {
        // not yet (or the QUIT after the banner failed: ready all the same)
      } finally {
        disconnect(c);
      }
      if (ready) {
        return;
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no 220 from " + ip + ":" + port + " within " + seconds + " s");
  }

  private static void expect(SMTPClient c, int code, int wanted) throws IOException {
    if (code != wanted) {
      throw new IOException("expected " + wanted + ", got: " + c.getReplyString().strip());
    }
  }

  private static void disconnect(SMTPClient c) {
    try {
      if (c.isConnected()) {
        c.disconnect();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
