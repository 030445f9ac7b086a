package dev.sympaappliance.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The appliance's web interface through its published port, for {@link SympaApplianceContainer}
 * (java.net.http, without cookies or redirects).
 */
final class WebClient {
  private WebClient() {}

  static HttpResponse<String> get(SympaApplianceContainer server, String pathOrLink) {
    return http(HttpRequest.newBuilder(local(server, pathOrLink)).GET());
  }

  static HttpResponse<String> postForm(
      SympaApplianceContainer server, String pathOrLink, String formBody) {
    return http(
        HttpRequest.newBuilder(local(server, pathOrLink))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(formBody, StandardCharsets.US_ASCII)));
  }

  private static URI local(SympaApplianceContainer server, String pathOrLink) {
    URI given = URI.create(pathOrLink);
    String pathAndQuery =
        given.getRawPath() + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery());
    return URI.create("http://" + server.getHost() + ":" + server.getWebPort() + pathAndQuery);
  }

  private static HttpResponse<String> http(HttpRequest.Builder request) {
    try {
      return HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .build()
          .send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
