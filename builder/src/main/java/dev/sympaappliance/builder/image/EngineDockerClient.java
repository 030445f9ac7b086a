package dev.sympaappliance.builder.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.DockerClient;
import com.google.cloud.tools.jib.api.DockerInfoDetails;
import com.google.cloud.tools.jib.api.ImageDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Jib's Docker client on the Engine API ({@link EngineApi}), instead of Jib's own, which starts a
 * {@code docker} process for each call ({@code docker info} before every load) and pipes every
 * layer of the image into {@code docker load}.
 *
 * <p>A config-only rebuild changes one small layer on a base of 120–285 MB, so {@link #load} leaves
 * the base's layers out of the archive when the daemon already has them: Docker's load does not
 * read a layer file whose chain it already has (moby PR #18727; rules_docker's incremental load
 * relies on it). When the daemon refuses such an archive (the layer was pruned meanwhile, or an
 * image store that does not allow it, like containerd's), the whole image is sent again.
 */
public final class EngineDockerClient implements DockerClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EngineApi api;
  private final Consumer<String> progress;
  private volatile List<DescriptorDigest> layersTheDaemonHas = List.of();

  /**
   * A client of the daemon named by {@code DOCKER_HOST} (or the default socket); empty for another
   * transport.
   */
  public static Optional<EngineDockerClient> fromEnvironment(Consumer<String> progress) {
    return EngineApi.fromEnvironment(System.getenv())
        .map(api -> new EngineDockerClient(api, progress));
  }

  EngineDockerClient(EngineApi api, Consumer<String> progress) {
    this.api = api;
    this.progress = progress;
  }

  /** Whether the daemon answers {@code /_ping}; empty when it does, else why not. */
  Optional<String> whyUnavailable() {
    try (EngineApi.Response response = api.get("/_ping")) {
      return response.status == 200
          ? Optional.empty()
          : Optional.of(
              "the Docker daemon at " + api.socket() + " answered HTTP " + response.status);
    } catch (IOException e) {
      return Optional.of(
          "cannot reach the Docker daemon at " + api.socket() + ": " + e.getMessage());
    }
  }

  /**
   * The details of the image {@code reference} with ID {@code imageId}, loading {@code archive} (a
   * {@code docker save} tarball of it, tagged {@code reference}) first when the daemon has no such
   * image, or has another image under that name.
   */
  public Details ensureLoaded(String reference, String imageId, Path archive) throws IOException {
    Optional<Details> present = find(reference);
    if (present.isPresent() && present.get().imageId().toString().equals(imageId)) {
      return present.get();
    }
    progress.accept(
        "image: loading the base "
            + reference
            + " into the Docker daemon"
            + (present.isPresent() ? " (that name is another image there)" : " (once)"));
    postLoad(out -> Files.copy(archive, out));
    Details loaded =
        find(reference)
            .orElseThrow(
                () ->
                    new IOException(
                        "the Docker daemon loaded " + archive + " but has no image " + reference));
    if (!loaded.imageId().toString().equals(imageId)) {
      throw new IOException(
          "the Docker daemon's "
              + reference
              + " is "
              + loaded.imageId()
              + " after loading "
              + archive
              + ", which holds "
              + imageId);
    }
    return loaded;
  }

  /** The next {@link #load} leaves out these leading layers (the base's): the daemon has them. */
  public void assumeLayersPresent(List<DescriptorDigest> diffIds) {
    layersTheDaemonHas = List.copyOf(diffIds);
  }

  @Override
  public boolean supported(Map<String, String> parameters) {
    return true;
  }

  @Override
  public String load(ImageTarball imageTarball, Consumer<Long> writtenByteCountListener)
      throws InterruptedException, IOException {
    int omit = layersTheDaemonHas.size();
    if (omit > 0) {
      Optional<JibTarballContents> contents = JibTarballContents.of(imageTarball);
      Set<DescriptorDigest> present = Set.copyOf(layersTheDaemonHas);
      try {
        return postLoad(
            out -> {
              OutputStream counted = counting(out, writtenByteCountListener);
              if (contents.isPresent()) {
                contents.get().writeWithout(present, counted);
              } else {
                imageTarball.writeTo(new LayerOmittingTarStream(counted, omit));
              }
            });
      } catch (IOException refused) {
        progress.accept(
            "image: the Docker daemon refused the image without its base layers ("
                + EngineApi.firstLine(String.valueOf(refused.getMessage()))
                + "); sending every layer");
      }
    }
    return postLoad(out -> imageTarball.writeTo(counting(out, writtenByteCountListener)));
  }

  @Override
  public void save(
      ImageReference imageReference, Path outputPath, Consumer<Long> writtenByteCountListener)
      throws IOException {
    api.download(
        "/images/get?names=" + URLEncoder.encode(imageReference.toString(), StandardCharsets.UTF_8),
        outputPath);
    writtenByteCountListener.accept(Files.size(outputPath));
  }

  @Override
  public ImageDetails inspect(ImageReference imageReference) throws IOException {
    return find(imageReference.toString())
        .orElseThrow(() -> new IOException("the Docker daemon has no image " + imageReference));
  }

  @Override
  public DockerInfoDetails info() throws IOException {
    try (EngineApi.Response response = api.get("/info")) {
      String body = response.text();
      if (response.status != 200) {
        throw new IOException(
            "GET /info: HTTP " + response.status + " " + EngineApi.firstLine(body));
      }
      return JsonTemplateMapper.readJson(body, DockerInfoDetails.class);
    }
  }

  private Optional<Details> find(String reference) throws IOException {
    try (EngineApi.Response response = api.get("/images/" + reference + "/json")) {
      String body = response.text();
      if (response.status == 404) {
        return Optional.empty();
      }
      if (response.status != 200) {
        throw new IOException(
            "inspecting "
                + reference
                + ": HTTP "
                + response.status
                + " "
                + EngineApi.firstLine(body));
      }
      JsonNode image = JSON.readTree(body);
      List<DescriptorDigest> diffIds = new ArrayList<>();
      for (JsonNode layer : image.path("RootFS").path("Layers")) {
        diffIds.add(digest(layer.asText()));
      }
      return Optional.of(
          new Details(
              image.path("Size").asLong(),
              digest(image.path("Id").asText()),
              List.copyOf(diffIds)));
    }
  }

  /**
   * POST /images/load; the daemon reports a failed load inside a 200 response, as a JSON line with
   * "error".
   */
  private String postLoad(EngineApi.Body archive) throws IOException {
    try (EngineApi.Response response =
        api.post("/images/load?quiet=1", "application/x-tar", archive)) {
      String body = response.text();
      StringBuilder loaded = new StringBuilder();
      for (String line : body.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message = JSON.readTree(line);
        if (message.hasNonNull("error")) {
          throw new IOException(message.get("error").asText());
        }
        loaded.append(message.path("stream").asText());
      }
      if (response.status != 200) {
        throw new IOException(
            "docker load: HTTP " + response.status + " " + EngineApi.firstLine(body));
      }
      return loaded.toString().strip();
    }
  }

  private static OutputStream counting(OutputStream out, Consumer<Long> listener) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        listener.accept((long) len);
      }
    };
  }

  private static DescriptorDigest digest(String value) throws IOException {
    try {
      return DescriptorDigest.fromDigest(value);
    } catch (DigestException e) {
      throw new IOException("the Docker daemon returned a malformed digest: " + value, e);
    }
  }

  public record Details(long size, DescriptorDigest imageId, List<DescriptorDigest> diffIds)
      implements ImageDetails {
    @Override
    public long getSize() {
      return size;
    }

    @Override
    public DescriptorDigest getImageId() {
      return imageId;
    }

    @Override
    public List<DescriptorDigest> getDiffIds() {
      return diffIds;
    }
  }
}
