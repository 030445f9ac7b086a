package dev.sympaappliance.builder.render;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Database;
import dev.sympaappliance.builder.spec.Deployment;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import dev.sympaappliance.builder.spec.Role;
import freemarker.template.Configuration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a spec into the files an orchestrator deploys: a Docker stack file, or Kubernetes
 * manifests. One FreeMarker template per file (image-templates module, under deploy/), like the
 * image's files. Pure: reads templates from the classpath and nothing else.
 */
public final class DeploymentRenderer {
  /** The orchestrators a spec renders for. */
  public enum Format {
    SWARM("swarm", List.of(new Output("deploy/stack.yml.ftl", "/stack.yml"))),
    KUBERNETES("kubernetes", List.of(new Output("deploy/sympa.yaml.ftl", "/sympa.yaml"),
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
   * Memory each service asks for, in MiB: what it used here, idle and through a distribution
   * (docker stats, platform notes and the swarm test), rounded up; the limits leave room for a
   * large post (sympa_msg grew to 183 MB on a 7 MB post).
   */
  static final Map<String, int[]> MEMORY_MIB = Map.of(
      "relay", new int[] {32, 256},
      "core", new int[] {384, 1024},
      "bulk", new int[] {160, 512},
      "web", new int[] {320, 768},
      "postgresql", new int[] {64, 512});

  private final Configuration freemarker;

  public DeploymentRenderer() {
    freemarker = ConfigRenderer.templates();
  }

  /**
   * The files of {@code format} for {@code spec} (its {@code deployment:}, or the defaults).
   * {@code field} names what asked for them in an error (e.g. {@code --format}).
   */
  public RenderedConfig render(ApplianceSpec spec, Format format, String field) {
    Deployment.requireDeployable(spec, field, format.cliName());
    Deployment deployment = spec.deployment().orElseGet(() -> Deployment.defaults(spec));
    Map<String, Object> model = model(spec, deployment, format, field);
    List<RenderedFile> files = new ArrayList<>();
    for (Output output : format.outputs) {
      files.add(new RenderedFile(output.path(), ConfigRenderer.renderTemplate(freemarker, output.template(), model), 0644, 0, 0));
    }
    return new RenderedConfig(files, List.of(), List.of());
  }

  /** The spec of the deployment's front relay: the list domain's public MX, forwarding to the core. */
  public static ApplianceSpec frontRelay(ApplianceSpec spec) {
    Deployment.requireDeployable(spec, "--front-relay", "true");
    ApplianceSpec.UserInput relay = new ApplianceSpec.UserInput(Role.RELAY.cliName(), spec.domain().value(),
        spec.listNames().stream().map(name -> name.value()).toList(), null, null, null, CORE + ":25", null)
        .withDeliverability(new dev.sympaappliance.builder.spec.Deliverability.Input(null, null, null, null,
            spec.deliverability().flatMap(d -> d.tlsFiles()).map(t -> t.certFile()).orElse(null),
            spec.deliverability().flatMap(d -> d.tlsFiles()).map(t -> t.keyFile()).orElse(null), null));
    return ApplianceSpec.fromUserInput(relay);
  }

  /** The core's service name: the relays forward to it, and the Swarm and Kubernetes files name it so. */
  public static final String CORE = "core";

  private static Map<String, Object> model(ApplianceSpec spec, Deployment deployment, Format format, String field) {
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
    spec.web().ifPresent(web -> {
      model.put("webPath", web.path());
      model.put("webAuthority", web.authority());
    });
    model.put("core", CORE);
    model.put("dbHost", pg.host());
    model.put("dbName", pg.name());
    model.put("dbUser", pg.user());
    model.put("dbPasswordSecret", secretName(pg.passwordFile(), format));
    model.put("healthCheck", ImagePaths.HEALTH_CHECK);
    model.put("relayHostname", "relay." + spec.domain().value());
    Map<String, Map<String, String>> memory = new LinkedHashMap<>();
    MEMORY_MIB.forEach((service, mib) -> memory.put(service, Map.of("request", mib[0] + "Mi", "limit", mib[1] + "Mi",
        "swarmRequest", mib[0] + "M", "swarmLimit", mib[1] + "M")));
    model.put("memory", memory);
    List<Map<String, String>> secrets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Deployment.Secret secret : Deployment.secrets(spec)) {
      String name = secretName(secret.path(), format);
      if (!names.add(name)) {
        throw new InvalidSpecException(field, format.cliName(), "two mounted files make the same "
            + format.cliName() + " secret name " + name + ": give them names that differ in more than case, '.' and '_'");
      }
      secrets.add(Map.of("name", name, "file", secret.name(), "path", secret.path(),
          "relays", Boolean.toString(secret.relays())));
    }
    model.put("secrets", secrets);
    model.put("relaySecrets", secrets.stream().filter(s -> s.get("relays").equals("true")).toList());
    return model;
  }

  /**
   * The secret that holds the file at {@code path}: Docker's secret names take the file's name as
   * it is; Kubernetes' must be DNS labels ({@code sympa-} and the name in lower case, '.' and '_' as '-').
   */
  static String secretName(String path, Format format) {
    String file = path.substring(path.lastIndexOf('/') + 1);
    return format == Format.SWARM ? file
        : ("sympa-" + file.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-')).replaceAll("-+$", "");
  }
}
