package dev.sympaappliance.builder.image;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker Engine API over the daemon's Unix socket: one HTTP/1.1 request per connection ({@code
 * Connection: close}), request bodies sent chunked, responses read whole or streamed.
 *
 * <p>Written by hand, on purpose: docker-java's transport (docker-java-transport-zerodep 3.7.1, the
 * one Testcontainers uses) took 650 ms in a fresh JVM for its first {@code /_ping} on this machine,
 * more than a whole config-only rebuild should take; this class answers the same ping in about 55
 * ms (JDK 17's {@link UnixDomainSocketAddress}, nothing else loaded). It speaks only the little
 * HTTP the daemon needs: a status line, headers, and a body delimited by Content-Length, chunked
 * encoding or the end of the connection.
 */
final class EngineApi {
  static final String DEFAULT_SOCKET = "/var/run/docker.sock";

  /** Writes a request body. */
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** A response whose body is read from the open connection; close it when done. */
  static final class Response implements AutoCloseable {
    private final SocketChannel channel;
    final int status;
    final InputStream body;

    private Response(SocketChannel channel, int status, InputStream body) {
      this.channel = channel;
      this.status = status;
      this.body = body;
    }

    String text() throws IOException {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private final Path socket;

  EngineApi(Path socket) {
    this.socket = socket;
  }

  /**
   * The daemon's socket from {@code DOCKER_HOST} ({@code unix://PATH}) or the default one; empty
   * when {@code DOCKER_HOST} names another transport (tcp, ssh) or {@code
   * SYMPA_APPLIANCE_DOCKER=cli} asks for the docker CLI: callers then use Jib's docker CLI client,
   * as before the socket.
   */
  static Optional<EngineApi> fromEnvironment(Map<String, String> env) {
    if ("cli".equals(env.get("SYMPA_APPLIANCE_DOCKER"))) {
      return Optional.empty();
    }
    String host = env.getOrDefault("DOCKER_HOST", "");
    if (host.isBlank()) {
      return Optional.of(new EngineApi(Path.of(DEFAULT_SOCKET)));
    }
    if (host.startsWith("unix://")) {
      return Optional.of(new EngineApi(Path.of(host.substring("unix://".length()))));
    }
    return Optional.empty();
  }

  Path socket() {
    return socket;
  }

  Response get(String path) throws IOException {
    return send("GET", path, null, null);
  }

  Response post(String path, String contentType, Body body) throws IOException {
    return send("POST", path, contentType, body);
  }

  /** GET to a file, for downloads like {@code /images/get}. Fails on any status but 200. */
  void download(String path, Path file) throws IOException {
    try (Response response = get(path)) {
      if (response.status != 200) {
        throw new IOException(
            "GET " + path + ": HTTP " + response.status + " " + firstLine(response.text()));
      }
      Files.copy(response.body, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Response send(String method, String path, String contentType, Body body)
      throws IOException {
    if (!Files.exists(socket)) {
      throw new IOException("no Docker socket at " + socket);
    }
    SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    try {
      OutputStream out =
          new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      StringBuilder head =
          new StringBuilder()
              .append(method)
              .append(' ')
              .append(path)
              .append(" HTTP/1.1\r\n")
              .append("Host: docker\r\n")
              .append("User-Agent: sympa-appliance-builder\r\n")
              .append("Connection: close\r\n");
      if (body != null) {
        head.append("Content-Type: ")
            .append(contentType)
            .append("\r\n")
            .append("Transfer-Encoding: chunked\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        ChunkedOutputStream chunked = new ChunkedOutputStream(out);
        body.writeTo(chunked);
        chunked.finish();
      }
      out.flush();
      return readResponse(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Response readResponse(SocketChannel channel) throws IOException {
    InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response from the Docker daemon: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("transfer-encoding")
          && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    InputStream body =
        chunked
            ? new ChunkedInputStream(in)
            : length >= 0
                ? new org.apache.commons.compress.utils.BoundedInputStream(in, length)
                : in;
    return new Response(channel, status, body);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("the Docker daemon closed the connection mid-response");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("");
  }

  /** Request bodies of unknown length. */
  private static final class ChunkedOutputStream extends FilterOutputStream {
    ChunkedOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return;
      }
      out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, offset, length);
      out.write('\r');
      out.write('\n');
    }

    @Override
    public void close() {
      // finish() ends the body; the connection stays open for the response
    }

    void finish() throws IOException {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      this.in = in;
    }

    private boolean nextChunk() throws IOException {
      if (done) {
        return false;
      }
      if (remaining == 0) {
        String size = readLine(in);
        int semicolon = size.indexOf(';');
        remaining =
            Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (remaining == 0) {
          done = true;
          return false;
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (!nextChunk()) {
        return -1;
      }
      int n = in.read(bytes, offset, (int) Math.min(length, remaining));
      if (n < 0) {
        throw new EOFException("the Docker daemon closed the connection mid-chunk");
      }
      remaining -= n;
      if (remaining == 0) {
        readLine(in);
      }
      return n;
    }
  }
}
