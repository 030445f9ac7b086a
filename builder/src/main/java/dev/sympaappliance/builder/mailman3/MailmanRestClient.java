package dev.sympaappliance.builder.mailman3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * GET requests to Mailman core's REST API (Basic authentication, JSON answers), relative to its
 * versioned root such as {@code http://127.0.0.1:8001/3.1}. Collections are read page by page:
 * Mailman core's {@code count} and {@code page} parameters, its answer giving {@code start}, {@code
 * total_size} and {@code entries} (left out when a page is empty); see Mailman core's REST
 * documentation, "Collections and Pagination" (src/mailman/rest/docs/collections.rst).
 */
final class MailmanRestClient {
  static final int PAGE_SIZE = 500;

  /** Requests under way at once when many single resources are read (members' preferences). */
  static final int PARALLEL_REQUESTS = 8;

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String root;
  private final int pageSize;
  private final String user;
  private final String authorization;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  MailmanRestClient(URI root, String user, String password) {
    this(root, user, password, PAGE_SIZE);
  }

  MailmanRestClient(URI root, String user, String password, int pageSize) {
    this.root = root.toString().replaceAll("/+$", "");
    this.pageSize = pageSize;
    this.user = user;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    // HTTP/1.1: Mailman core serves its API with gunicorn, which speaks no HTTP/2.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  String root() {
    return root;
  }

  /** One resource: {@code path} is relative to the root, its segments already encoded. */
  JsonNode get(String path) throws IOException {
    try {
      return parse(path, http.send(request(path), HttpResponse.BodyHandlers.ofString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + url(path), e);
    } catch (ConnectException e) {
      throw new IOException(
          "cannot connect to Mailman core at " + root + ": connection refused", e);
    } catch (HttpTimeoutException e) {
      throw new IOException("Mailman core did not answer in time: " + url(path), e);
    }
  }

  /** Every entry of a collection, page by page. */
  List<JsonNode> collection(String path) throws IOException {
    List<JsonNode> entries = new ArrayList<>();
    String separator = path.contains("?") ? "&" : "?";
    for (int page = 1; ; page++) {
      JsonNode answer = get(path + separator + "count=" + pageSize + "&page=" + page);
      JsonNode pageEntries = answer.path("entries");
      pageEntries.forEach(entries::add);
      long total = answer.path("total_size").asLong(-1);
      if (total < 0) {
        throw new IOException(url(path) + ": not a Mailman collection (no total_size)");
      }
      if (entries.size() >= total || pageEntries.isEmpty()) {
        return entries;
      }
    }
  }

  /** The size of a collection, without its entries (a page of size zero). */
  long size(String path) throws IOException {
    return get(path + "?count=0&page=1").path("total_size").asLong();
  }

  /** Many single resources, in the order of {@code paths}, a few requests at a time. */
  List<JsonNode> getAll(List<String> paths) throws IOException {
    List<JsonNode> out = new ArrayList<>(paths.size());
    for (int from = 0; from < paths.size(); from += PARALLEL_REQUESTS) {
      List<CompletableFuture<JsonNode>> batch = new ArrayList<>();
      for (String path : paths.subList(from, Math.min(paths.size(), from + PARALLEL_REQUESTS))) {
        batch.add(
            http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> parseUnchecked(path, response)));
      }
      for (CompletableFuture<JsonNode> result : batch) {
        try {
          out.add(result.join());
        } catch (CompletionException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IOException(e.getCause().getMessage(), e.getCause());
        }
      }
    }
    return out;
  }

  /** {@code value} as one path segment: everything but RFC 3986's unreserved characters escaped. */
  static String segment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path)))
        .timeout(TIMEOUT)
        .header("Authorization", authorization)
        .header("Accept", "application/json")
        .GET()
        .build();
  }

  private String url(String path) {
    return root + "/" + path;
  }

  private JsonNode parseUnchecked(String path, HttpResponse<String> response) {
    try {
      return parse(path, response);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private JsonNode parse(String path, HttpResponse<String> response) throws IOException {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new InvalidSpecException(
          "--user/--password-file",
          "Mailman core at "
              + root
              + " refused the credentials of "
              + user
              + " (HTTP "
              + status
              + "); they are its [webservice] admin_user and admin_pass");
    }
    if (status != 200) {
      throw new IOException("Mailman core answered HTTP " + status + " to GET " + url(path));
    }
    try {
      JsonNode node = json.readTree(response.body());
      if (node == null || !node.isObject()) {
        throw new IOException(
            "Mailman core's answer to GET " + url(path) + " is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IOException("Mailman core's answer to GET " + url(path) + " is not JSON", e);
    }
  }
}
