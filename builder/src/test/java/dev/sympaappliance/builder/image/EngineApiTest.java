package dev.sympaappliance.builder.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written HTTP of {@link EngineApi} against a Unix-socket server that answers like
 * dockerd.
 */
class EngineApiTest {
  @TempDir Path dir;

  /** Serves one connection: records the raw request, answers {@code response} verbatim. */
  private CompletableFuture<String> serveOnce(Path socket, String response) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return CompletableFuture.supplyAsync(
        () -> {
          try (server;
              SocketChannel client = server.accept()) {
            InputStream in = Channels.newInputStream(client);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            while (!request.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
              request.write(in.read());
            }
            String head = request.toString(StandardCharsets.ISO_8859_1);
            if (head.contains("Transfer-Encoding: chunked")) {
              while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                request.write(in.read());
              }
            }
            OutputStream out = Channels.newOutputStream(client);
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return request.toString(StandardCharsets.ISO_8859_1);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void readsAChunkedResponseAndSendsAChunkedBody() throws Exception {
    Path socket = dir.resolve("docker.sock");
    CompletableFuture<String> request =
        serveOnce(
            socket,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "19\r\n{\"stream\":\"Loaded image: \r\n9\r\nx:latest\"\r\n2;ext=1\r\n}\n\r\n0\r\n\r\n");
    EngineApi api = new EngineApi(socket);

    String body;
    try (EngineApi.Response response =
        api.post(
            "/images/load?quiet=1",
            "application/x-tar",
            out -> {
              out.write("first".getBytes(StandardCharsets.US_ASCII));
              out.write(new byte[0]);
              out.write("-second".getBytes(StandardCharsets.US_ASCII));
            })) {
      assertThat(response.status).isEqualTo(200);
      body = response.text();
    }

    assertThat(body).isEqualTo("{\"stream\":\"Loaded image: x:latest\"}\n");
    String sent = request.get(5, TimeUnit.SECONDS);
    assertThat(sent)
        .startsWith("POST /images/load?quiet=1 HTTP/1.1\r\n")
        .contains("Content-Type: application/x-tar\r\n", "Connection: close\r\n")
        .endsWith("\r\n\r\n5\r\nfirst\r\n7\r\n-second\r\n0\r\n\r\n");
  }

  @Test
  void readsABodyDelimitedByContentLengthAndTheStatus() throws Exception {
    Path socket = dir.resolve("docker.sock");
    serveOnce(
        socket,
        "HTTP/1.1 404 Not Found\r\nContent-Length: 26\r\n\r\n{\"message\":\"No such image\"}trailing");
    try (EngineApi.Response response = new EngineApi(socket).get("/images/none/json")) {
      assertThat(response.status).isEqualTo(404);
      assertThat(response.text()).isEqualTo("{\"message\":\"No such image\"");
    }
  }

  @Test
  void dockerHostChoosesTheSocketOrLeavesOtherTransportsToTheDockerCli() {
    assertThat(EngineApi.fromEnvironment(Map.of()).orElseThrow().socket())
        .isEqualTo(Path.of("/var/run/docker.sock"));
    assertThat(
            EngineApi.fromEnvironment(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock"))
                .orElseThrow()
                .socket())
        .isEqualTo(Path.of("/run/user/1000/docker.sock"));
    assertThat(EngineApi.fromEnvironment(Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375"))).isEmpty();
    assertThat(EngineApi.fromEnvironment(Map.of("SYMPA_APPLIANCE_DOCKER", "cli"))).isEmpty();
  }
}
