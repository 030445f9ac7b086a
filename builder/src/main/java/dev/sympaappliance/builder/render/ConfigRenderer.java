package dev.sympaappliance.builder.render;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.ListName;
import dev.sympaappliance.builder.spec.Role;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a spec into the files of the image, one FreeMarker template per file (image-templates
 * module). Pure: reads templates from the classpath and nothing else.
 */
public final class ConfigRenderer {
  static final String TEMPLATE_PACKAGE = "/dev/sympaappliance/templates";

  private record Output(String template, String path, int mode, int uid, int gid) {}

  private static final Output MAIN_CF = new Output("main.cf.ftl", "/etc/postfix/main.cf", 0644, 0, 0);
  private static final Output MASTER_CF = new Output("master.cf.ftl", "/etc/postfix/master.cf", 0644, 0, 0);
  private static final Output TRANSPORT = new Output("transport_regexp.ftl", "/etc/postfix/transport_regexp", 0644, 0, 0);
  private static final Output ENTRYPOINT =
      new Output("sympa-appliance-entrypoint.ftl", ImagePaths.ENTRYPOINT, 0755, 0, 0);

  /** The files of each role, in the order they are written. */
  private static final Map<Role, List<Output>> OUTPUTS = Map.of(
      Role.APPLIANCE, List.of(MAIN_CF, MASTER_CF, TRANSPORT,
          new Output("sympa_aliases.ftl", ImagePaths.SYMPA_ALIASES, 0644, 0, 0),
          new Output("relay_recipients.ftl", "/etc/postfix/relay_recipients", 0644, 0, 0),
          new Output("sympa.conf.ftl", ImagePaths.SYMPA_CONF, 0640, ImagePaths.SYMPA_UID, ImagePaths.SYMPA_GID),
          ENTRYPOINT),
      Role.RELAY, List.of(MAIN_CF, MASTER_CF, TRANSPORT,
          new Output("virtual.regexp.ftl", "/etc/postfix/virtual.regexp", 0644, 0, 0),
          ENTRYPOINT),
      Role.SINK, List.of(
          new Output("sympa-appliance-sink-entrypoint.ftl", ImagePaths.ENTRYPOINT, 0755, 0, 0)));

  /** Postfix's queue and Sympa's spools: mail in them must survive a new container. */
  private static final Map<Role, List<String>> VOLUMES = Map.of(
      Role.APPLIANCE, List.of("/var/spool/postfix", "/var/spool/sympa"),
      Role.RELAY, List.of("/var/spool/postfix"),
      Role.SINK, List.of("/sink"));

  private final Configuration freemarker;

  public ConfigRenderer() {
    freemarker = new Configuration(Configuration.VERSION_2_3_34);
    freemarker.setClassForTemplateLoading(ConfigRenderer.class, TEMPLATE_PACKAGE);
    freemarker.setDefaultEncoding("UTF-8");
    freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    freemarker.setLogTemplateExceptions(false);
    freemarker.setWrapUncheckedExceptions(true);
    freemarker.setFallbackOnNullLoopVariable(false);
  }

  public RenderedConfig render(ApplianceSpec spec) {
    Map<String, Object> model = model(spec);
    List<RenderedFile> files = new ArrayList<>();
    for (Output output : OUTPUTS.get(spec.role())) {
      files.add(new RenderedFile(output.path(), renderTemplate(output.template(), model),
          output.mode(), output.uid(), output.gid()));
    }
    return new RenderedConfig(files, VOLUMES.get(spec.role()));
  }

  /** Only strings and lists of strings reach the templates; table-specific quoting is done here. */
  private static Map<String, Object> model(ApplianceSpec spec) {
    Map<String, Object> model = new HashMap<>();
    model.put("role", spec.role().cliName());
    model.put("domain", spec.domain().value());
    model.put("sympaDomain", spec.sympaDomain().value());
    model.put("sympaDomainRegexp", PostfixQuoting.regexpLiteral(spec.sympaDomain().value()));
    spec.relayhost().ifPresent(relay -> model.put("relayhost", relay.postfixNexthop()));
    spec.sympaServer().ifPresent(server -> model.put("sympaServer", server.postfixNexthop()));
    model.put("postconfOverrides", spec.postconfOverrides().entrySet().stream()
        .map(e -> Map.of("name", e.getKey(), "value", e.getValue())).toList());
    model.put("listsRegexp", spec.listNames().stream().map(list -> PostfixQuoting.regexpLiteral(list.value())).toList());
    model.put("domainRegexp", PostfixQuoting.regexpLiteral(spec.domain().value()));
    model.put("hostname", spec.hostname().value());
    model.put("listmaster", spec.listmaster().toString());
    model.put("lists", spec.listNames().stream().map(ListName::value).toList());
    model.put("queue", ImagePaths.QUEUE);
    model.put("bouncequeue", ImagePaths.BOUNCEQUEUE);
    model.put("msgSpool", ImagePaths.MSG_SPOOL);
    model.put("bounceSpool", ImagePaths.BOUNCE_SPOOL);
    model.put("sympaConf", ImagePaths.SYMPA_CONF);
    model.put("spoolGuard", ImagePaths.SPOOL_GUARD);
    model.put("minFreeKb", Integer.toString(ImagePaths.SPOOL_MIN_FREE_KB));
    return model;
  }

  private byte[] renderTemplate(String name, Map<String, Object> model) {
    try {
      Template template = freemarker.getTemplate(name);
      StringWriter out = new StringWriter();
      template.process(model, out);
      return out.toString().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + name, e);
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + name + " failed: " + e.getMessage(), e);
    }
  }
}
