package dev.sympaappliance.builder.render;

import dev.sympaappliance.builder.render.ImageLayout.Output;
import dev.sympaappliance.builder.render.ImageLayout.Service;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Flavour;
import dev.sympaappliance.builder.spec.ListDomain;
import dev.sympaappliance.builder.spec.MailingList;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a spec into the files of the image, one FreeMarker template per file (image-templates
 * module). Pure: reads templates from the classpath and nothing else.
 */
public final class ConfigRenderer {
  static final String TEMPLATE_PACKAGE = "/dev/sympaappliance/templates";

  private final Configuration freemarker;

  public ConfigRenderer() {
    freemarker = templates();
  }

  /**
   * FreeMarker reading the image-templates module's templates, failing on any error in them. Its
   * interpolations are {@code [=name]}, so that the shell's and Postfix's own {@code ${…}} stand in
   * the templates as they are in the files, without escaping.
   */
  static Configuration templates() {
    Configuration freemarker = new Configuration(Configuration.VERSION_2_3_34);
    freemarker.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
    freemarker.setClassForTemplateLoading(ConfigRenderer.class, TEMPLATE_PACKAGE);
    freemarker.setDefaultEncoding("UTF-8");
    freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    freemarker.setLogTemplateExceptions(false);
    freemarker.setWrapUncheckedExceptions(true);
    freemarker.setFallbackOnNullLoopVariable(false);
    return freemarker;
  }

  public RenderedConfig render(ApplianceSpec spec) {
    Map<String, Object> model = TemplateModel.model(spec);
    List<RenderedFile> files = new ArrayList<>();
    for (Output output : ImageLayout.outputs(spec)) {
      files.add(render(output, model));
    }
    if (spec.flavour() == Flavour.FULL) {
      for (Output script : ImageLayout.FULL_SCRIPTS) {
        files.add(
            new RenderedFile(
                script.path(),
                resource(script.template()),
                script.mode(),
                script.uid(),
                script.gid()));
      }
      for (Service service : ImageLayout.services(spec)) {
        Map<String, Object> serviceModel = TemplateModel.withService(model, service);
        String dir = ImagePaths.SERVICES + "/" + service.name();
        files.add(
            render(new Output(service.runTemplate(), dir + "/run", 0755, 0, 0), serviceModel));
        files.add(
            render(new Output(service.logTemplate(), dir + "/log/run", 0755, 0, 0), serviceModel));
      }
      if (spec.web().isPresent()) {
        files.add(render(new Output("nginx.conf.ftl", "/etc/nginx/nginx.conf", 0644, 0, 0), model));
        files.add(
            render(
                new Output("sympa-fastcgi.conf.ftl", "/etc/nginx/sympa-fastcgi.conf", 0644, 0, 0),
                model));
      }
      addLists(files, model, spec.firstDomain(), true);
      for (ListDomain domain : spec.domains()) {
        Map<String, Object> domainModel = TemplateModel.withDomain(model, domain);
        files.add(
            render(
                new Output(
                    "robot.conf.ftl",
                    ImagePaths.robotConf(domain.domain()),
                    0640,
                    ImagePaths.SYMPA_UID,
                    ImagePaths.SYMPA_GID),
                domainModel));
        if (domain.web().isPresent()) {
          files.add(
              render(
                  new Output(
                      "sympa-fastcgi.conf.ftl",
                      ImagePaths.fastcgiConf(domain.domain(), false),
                      0644,
                      0,
                      0),
                  domainModel));
        }
        addLists(files, domainModel, domain, false);
      }
    }
    return new RenderedConfig(files, ImageLayout.volumes(spec), ImageLayout.ports(spec));
  }

  /** The definitions of a list domain's spec lists, read by the entrypoint's list creation. */
  private void addLists(
      List<RenderedFile> files, Map<String, Object> model, ListDomain domain, boolean first) {
    for (MailingList list : domain.lists()) {
      Map<String, Object> listModel = TemplateModel.withList(model, list);
      String base = ImagePaths.listDefinitions(domain.domain(), first) + "/" + list.name().value();
      files.add(render(new Output("list.xml.ftl", base + ".xml", 0644, 0, 0), listModel));
      files.add(
          render(new Output("list.subscribers.ftl", base + ".subscribers", 0644, 0, 0), listModel));
    }
  }

  private RenderedFile render(Output output, Map<String, Object> model) {
    return new RenderedFile(
        output.path(),
        renderTemplate(output.template(), model),
        output.mode(),
        output.uid(),
        output.gid());
  }

  private static byte[] resource(String name) {
    try (var in = ConfigRenderer.class.getResourceAsStream(TEMPLATE_PACKAGE + "/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + TEMPLATE_PACKAGE + "/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  private byte[] renderTemplate(String name, Map<String, Object> model) {
    return renderTemplate(freemarker, name, model);
  }

  static byte[] renderTemplate(Configuration freemarker, String name, Map<String, Object> model) {
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
