package dev.sympaappliance.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Unix socket in front of the Docker daemon's that passes everything both ways and counts the
 * bytes clients send to the daemon: what a build really carried to it, observed from outside the
 * builder (its client is pointed here with DOCKER_HOST=unix://PATH).
 */
public final class RecordingDockerSocket implements AutoCloseable {
  private static final Path DAEMON = Path.of("/var/run/docker.sock");

  private final Path path;
  private final ServerSocketChannel server;
  private final AtomicLong toDaemon = new AtomicLong();
  private final Thread acceptor;

  private RecordingDockerSocket(Path path) throws IOException {
    this.path = path;
    Files.deleteIfExists(path);
    server =
        ServerSocketChannel.open(StandardProtocolFamily.UNIX)
            .bind(UnixDomainSocketAddress.of(path));
    acceptor = new Thread(this::accept, "recording-docker-socket");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A recording socket at {@code path} (a file name in a temporary directory). */
  public static RecordingDockerSocket open(Path path) throws IOException {
    return new RecordingDockerSocket(path);
  }

  /** What a client sets DOCKER_HOST to. */
  public String dockerHost() {
    return "unix://" + path;
  }

  /** The bytes clients have sent the daemon through this socket so far. */
  public long bytesToDaemon() {
    return toDaemon.get();
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel daemon = SocketChannel.open(UnixDomainSocketAddress.of(DAEMON));
        pump(client, daemon, toDaemon);
        pump(daemon, client, new AtomicLong());
      } catch (IOException e) {
        if (server.isOpen()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static void pump(SocketChannel from, SocketChannel to, AtomicLong count) {
    Thread pump =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
              try (from;
                  to) {
                int read;
                while ((read = from.read(buffer)) >= 0) {
                  count.addAndGet(read);
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
              } catch (IOException e) {
                // the other side closed: the connection is over
              }
            },
            "recording-docker-socket-pump");
    pump.setDaemon(true);
    pump.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
  }
}
