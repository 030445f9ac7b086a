package dev.sympaappliance.builder.render;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Database;
import dev.sympaappliance.builder.spec.Deliverability;
import dev.sympaappliance.builder.spec.Deployment;
import dev.sympaappliance.builder.spec.Platform;
import dev.sympaappliance.builder.spec.Role;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.UserInput;
import freemarker.template.Configuration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a spec into the files an orchestrator deploys: a Docker stack file, or Kubernetes
 * manifests. One FreeMarker template per output file (image-templates module, under deploy/), made
 * of one template per component (deploy/swarm/, deploy/kubernetes/: relay, core, bulk, web,
 * PostgreSQL) and their shared helpers, as a Helm chart is. Pure: reads templates from the
 * classpath and nothing else.
 */
public final class DeploymentRenderer {
  /** The orchestrators a spec renders for. */
  public enum Format {
    SWARM("swarm", List.of(new Output("deploy/stack.yml.ftl", "/stack.yml"))),
    KUBERNETES(
        "kubernetes",
        List.of(
            new Output("deploy/sympa.yaml.ftl", "/sympa.yaml"),
            new Output("deploy/volumes.yaml.ftl", "/volumes.yaml")));

    private final String cliName;
    private final List<Output> outputs;

    Format(String cliName, List<Output> outputs) {
      this.cliName = cliName;
      this.outputs = outputs;
    }

    public String cliName() {
      return cliName;
    }
  }

  private record Output(String template, String path) {}

  /**
   * Memory each service asks for and may use, in MiB: from what the platform notes measured (about
   * 90 MB per Sympa daemon, 120 MB per WWSympa process, 34 MB for an idle PostgreSQL), rounded up;
   * the limits leave room for a large post (sympa_msg grew to 183 MB on a 7 MB post). The bulk
   * service runs the image's bulk.workers bulk.pl (two by default): 160 MiB was its request with
   * one, and each more adds about 85 MB (not measured in a deployment).
   */
  static final Map<String, Map<String, Integer>> MEMORY_MIB =
      Map.of(
          "relay", Map.of("request", 32, "limit", 256),
          "core", Map.of("request", 384, "limit", 1024),
          "bulk", Map.of("request", 256, "limit", 512),
          "web", Map.of("request", 320, "limit", 768),
          "postgresql", Map.of("request", 64, "limit", 512));

  private final Configuration freemarker;

  public DeploymentRenderer() {
    freemarker = ConfigRenderer.templates();
  }

  /**
   * The files of {@code format} for {@code spec} (its {@code deployment:}, or the defaults). {@code
   * field} names what asked for them in an error (e.g. {@code --format}).
   */
  public RenderedConfig render(ApplianceSpec spec, Format format, String field) {
    Deployment.requireDeployable(spec, field, format.cliName());
    Deployment deployment =
        spec.deployment().orElseGet(() -> Deployment.defaults(spec.web().isPresent()));
    Map<String, Object> model = model(spec, deployment, format);
    List<RenderedFile> files = new ArrayList<>();
    for (Output output : format.outputs) {
      files.add(
          new RenderedFile(
              output.path(),
              ConfigRenderer.renderTemplate(freemarker, output.template(), model),
              0644,
              0,
              0));
    }
    return new RenderedConfig(files, List.of(), List.of());
  }

  /**
   * The spec of the deployment's front relay: the public MX of the list domains (the first and
   * those of domains:), forwarding to the core, on the same Debian and for the same platforms.
   */
  public static ApplianceSpec frontRelay(ApplianceSpec spec) {
    Deployment.requireDeployable(spec, "--front-relay", "true");
    Optional<Deliverability.TlsFiles> tls = spec.deliverability().flatMap(Deliverability::tlsFiles);
    UserInput relay =
        UserInput.builder()
            .set(Settings.ROLE, Role.RELAY.cliName())
            .set(Settings.DOMAIN, spec.domain().value())
            .set(Settings.SYMPA_SERVER, CORE + ":25")
            .set(Settings.TLS_CERT_FILE, tls.map(Deliverability.TlsFiles::certFile).orElse(null))
            .set(Settings.TLS_KEY_FILE, tls.map(Deliverability.TlsFiles::keyFile).orElse(null))
            .set(Settings.DEBIAN, spec.debian().codename())
            .set(Settings.PLATFORMS, spec.platforms().stream().map(Platform::id).toList())
            .domains(
                spec.domains().stream()
                    .map(d -> UserInput.builder().set(Settings.DOMAIN, d.domain().value()).build())
                    .toList())
            .build();
    return ApplianceSpec.fromUserInput(relay);
  }

  /**
   * The core's service name: the relays forward to it, and the Swarm and Kubernetes files name it
   * so.
   */
  public static final String CORE = "core";

  private static Map<String, Object> model(
      ApplianceSpec spec, Deployment deployment, Format format) {
    Database.Postgresql pg = spec.database().flatMap(Database::postgresql).orElseThrow();
    Map<String, Object> model = new HashMap<>();
    model.put("domain", spec.domain().value());
    model.put("image", deployment.image());
    model.put("relayImage", deployment.relayImage());
    deployment.postgresqlImage().ifPresent(image -> model.put("postgresqlImage", image));
    model.put("relays", Integer.toString(deployment.relays()));
    model.put("bulk", Integer.toString(deployment.bulk()));
    model.put("web", Integer.toString(deployment.web()));
    model.put("smtpPort", Integer.toString(deployment.smtpPort()));
    model.put("httpPort", Integer.toString(deployment.httpPort()));
    model.put("core", CORE);
    model.put("dbHost", pg.host());
    model.put("dbName", pg.name());
    model.put("dbUser", pg.user());
    model.put("healthCheck", ImagePaths.HEALTH_CHECK);
    model.put("memory", MEMORY_MIB);
    List<Map<String, String>> secrets = new ArrayList<>();
    List<Map<String, String>> relaySecrets = new ArrayList<>();
    for (Deployment.Secret secret : Deployment.secrets(spec)) {
      Map<String, String> entry =
          Map.of("name", secretName(secret, format), "file", secret.name(), "path", secret.path());
      secrets.add(entry);
      if (secret.relays()) {
        relaySecrets.add(entry);
      }
      if (secret.path().equals(pg.passwordFile())) {
        model.put("dbPasswordSecret", entry.get("name"));
      }
    }
    model.put("secrets", secrets);
    model.put("relaySecrets", relaySecrets);
    return model;
  }

  /** The name of a secret: Docker's is the file's name, Kubernetes' a DNS name made of it. */
  static String secretName(Deployment.Secret secret, Format format) {
    return format == Format.SWARM ? secret.name() : secret.kubernetesName();
  }
}
