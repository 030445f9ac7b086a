package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The results file (bench/results/*.json): written, read back, checked. */
final class Results {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Results() {}

  static ObjectNode newRoot() {
    return JSON.createObjectNode();
  }

  static void write(Path file, ObjectNode root) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writeValue(file.toFile(), root);
    Log.info("wrote " + file);
  }

  static JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  /** Throws unless every benchmark's object is there and the intake has its main figure. */
  static void validate(JsonNode r) {
    for (String k :
        List.of(
            "machine",
            "build",
            "rebuild",
            "intake",
            "latency",
            "start",
            "image_size",
            "distribution")) {
      if (!r.has(k)) {
        throw new IllegalStateException("results lack " + k);
      }
    }
    if (!r.path("intake").path("spool_intake_msgs_per_s").has("median")) {
      throw new IllegalStateException("results lack the intake figures");
    }
  }
}
