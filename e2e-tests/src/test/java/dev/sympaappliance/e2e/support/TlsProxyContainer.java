package dev.sympaappliance.e2e.support;

import com.github.dockerjava.api.model.HealthCheck;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A TLS-terminating reverse proxy in front of the list server "sympa" on {@code network}: the
 * README's nginx example (a self-signed certificate for the list domain, plain HTTP to port 80,
 * {@code X-Forwarded-Proto https}), run in a container of a list server's image (it has Debian's
 * nginx and openssl). nginx resolves "sympa" when it starts: start the proxy after the server it
 * fronts, and a new proxy for a new server.
 */
public final class TlsProxyContainer extends GenericContainer<TlsProxyContainer> {
  public static final int HTTPS_PORT = 443;

  private static final String PROXY =
      String.join(
          "\n",
          "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN="
              + ListServerImages.DOMAIN
              + " -days 2"
              + " -keyout /tmp/key.pem -out /tmp/cert.pem 2>/dev/null",
          "cat > /tmp/proxy.conf <<'EOF'",
          "pid /tmp/proxy.pid; error_log stderr; daemon off;",
          "events {}",
          "http {",
          "  access_log /dev/stdout;",
          "  server {",
          "    listen 443 ssl;",
          "    server_name " + ListServerImages.DOMAIN + ";",
          "    ssl_certificate /tmp/cert.pem;",
          "    ssl_certificate_key /tmp/key.pem;",
          "    location / {",
          "      proxy_pass http://sympa:80;",
          "      proxy_set_header Host $host;",
          "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
          "      proxy_set_header X-Forwarded-Proto https;",
          "    }",
          "  }",
          "}",
          "EOF",
          "exec nginx -c /tmp/proxy.conf");

  /** A proxy run from {@code image} (one with nginx and openssl) on {@code network}. */
  public TlsProxyContainer(DockerImageName image, Network network) {
    super(image);
    withNetwork(network);
    withExposedPorts(HTTPS_PORT);
    withCreateContainerCmdModifier(
        cmd -> {
          cmd.withEntrypoint("sh", "-c", PROXY).withCmd(List.of());
          cmd.withHealthcheck(new HealthCheck().withTest(List.of("NONE")));
        });
    waitingFor(Wait.forListeningPort());
  }

  /** A real browser that reaches the proxied site as https://DOMAIN/…. */
  public WebBrowser browser(String scenario) {
    return new WebBrowser("https", ListServerImages.DOMAIN, getMappedPort(HTTPS_PORT), scenario);
  }
}
