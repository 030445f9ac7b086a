package dev.sympaappliance.builder.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks Kubernetes manifests against the API's schema without a cluster, strictly: each document
 * is read into Kubernetes' own model class for its apiVersion and kind (client-java-api, generated
 * from the API's OpenAPI schema), which refuses unknown fields and missing required ones. Gson
 * would turn "3" into 3 and 3 into "3": the adapters here refuse a value of the wrong JSON type.
 */
final class KubernetesSchema {
  private KubernetesSchema() {}

  private static final Map<String, Class<?>> KINDS =
      Map.of(
          "apps/v1/Deployment", V1Deployment.class,
          "apps/v1/StatefulSet", V1StatefulSet.class,
          "v1/Service", V1Service.class,
          "v1/Secret", V1Secret.class,
          "v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class,
          "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);

  private static final Gson STRICT =
      JSON.getGson()
          .newBuilder()
          .registerTypeAdapter(String.class, strict(JsonToken.STRING, JsonReader::nextString))
          .registerTypeAdapter(
              Integer.class, strict(JsonToken.NUMBER, r -> Integer.parseInt(r.nextString())))
          .registerTypeAdapter(
              Long.class, strict(JsonToken.NUMBER, r -> Long.parseLong(r.nextString())))
          .registerTypeAdapter(Boolean.class, strict(JsonToken.BOOLEAN, JsonReader::nextBoolean))
          .create();

  private interface Read<T> {
    T from(JsonReader in) throws IOException;
  }

  private static <T> TypeAdapter<T> strict(JsonToken expected, Read<T> read) {
    return new TypeAdapter<>() {
      @Override
      public void write(JsonWriter out, T value) throws IOException {
        out.jsonValue(new Gson().toJson(value));
      }

      @Override
      public T read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          return null;
        }
        if (in.peek() != expected) {
          throw new JsonParseException(
              in.getPath() + ": expected " + expected + ", found " + in.peek());
        }
        return read.from(in);
      }
    };
  }

  /** One line per invalid document of {@code yaml} ("KIND NAME: why"); empty when all are valid. */
  static List<String> problems(String yaml) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> problems = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      for (var it = new ObjectMapper(new YAMLFactory()).readValues(parser, JsonNode.class);
          it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc == null || doc.isNull()) {
          continue;
        }
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        String id = key + " " + doc.path("metadata").path("name").asText();
        Class<?> model = KINDS.get(key);
        if (model == null) {
          problems.add(id + ": not a kind this check knows");
          continue;
        }
        try {
          STRICT.fromJson(json.writeValueAsString(doc), model);
        } catch (RuntimeException e) {
          problems.add(
              id + ": " + String.valueOf(e.getMessage()).replaceAll("(\\. JSON: |: )?\\{.*", ""));
        }
      }
    }
    return problems;
  }
}
