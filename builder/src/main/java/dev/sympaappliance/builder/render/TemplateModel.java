package dev.sympaappliance.builder.render;

import dev.sympaappliance.builder.render.ImageLayout.Service;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Database;
import dev.sympaappliance.builder.spec.Deliverability;
import dev.sympaappliance.builder.spec.EmailAddress;
import dev.sympaappliance.builder.spec.ListDomain;
import dev.sympaappliance.builder.spec.ListName;
import dev.sympaappliance.builder.spec.MailingList;
import dev.sympaappliance.builder.spec.Subscriber;
import dev.sympaappliance.builder.spec.WebInterface;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the image's templates are given of a spec: the FreeMarker data model. */
final class TemplateModel {
  private TemplateModel() {}

  /**
   * X.509 caps a common name at 64 characters (RFC 5280's ub-common-name); host names run to 253.
   */
  static final int MAX_COMMON_NAME = 64;

  /**
   * The subject of the self-signed certificate made at the first start: CN=HOSTNAME when it fits,
   * else empty, the name then being in the (critical) subjectAltName alone, as RFC 5280 asks.
   */
  static String generatedCertificateSubject(String hostname) {
    return hostname.length() <= MAX_COMMON_NAME ? "/CN=" + hostname : "/";
  }

  static String generatedCertificateAltName(String hostname) {
    return (hostname.length() <= MAX_COMMON_NAME ? "" : "critical,") + "DNS:" + hostname;
  }

  /** The model of a service's run and logger templates: {@code model} with the service. */
  static Map<String, Object> withService(Map<String, Object> model, Service service) {
    Map<String, Object> serviceModel = new HashMap<>(model);
    serviceModel.put("service", service.name());
    serviceModel.put("daemon", service.daemon());
    serviceModel.put("program", service.prefix());
    return serviceModel;
  }

  /**
   * The model of a further domain's templates (robot.conf, its lists): {@code model} with the
   * domain's values in place of the first domain's.
   */
  static Map<String, Object> withDomain(Map<String, Object> model, ListDomain domain) {
    Map<String, Object> domainModel = new HashMap<>(model);
    // Every value the first domain's entry of listDomains holds gives way to this domain's.
    Map<?, ?> first = (Map<?, ?>) ((List<?>) model.get("listDomains")).get(0);
    domainModel.keySet().removeAll(first.keySet());
    domainModel.putAll(domainModel(domain, false));
    return domainModel;
  }

  /** The model of a list's creation templates: {@code model} with the list. */
  static Map<String, Object> withList(Map<String, Object> model, MailingList list) {
    Map<String, Object> listModel = new HashMap<>(model);
    listModel.put("list", listModel(list));
    return listModel;
  }

  /**
   * A list for the creation templates: its values as strings (the XML template escapes them); its
   * subscribers as the CSV lines sympa-appliance-members reads (ADDRESS[,"NAME"[,MODE]]).
   */
  private static Map<String, Object> listModel(MailingList list) {
    Map<String, Object> model = new HashMap<>();
    model.put("name", list.name().value());
    model.put("subject", list.subject());
    model.put("type", list.type());
    model.put("description", list.description().orElse(list.subject()));
    model.put("owners", list.owners().stream().map(EmailAddress::toString).toList());
    model.put("editors", list.editors().stream().map(EmailAddress::toString).toList());
    model.put("subscribers", list.subscribers().stream().map(TemplateModel::memberLine).toList());
    return model;
  }

  private static String memberLine(Subscriber s) {
    String name = s.name().map(n -> "\"" + n.replace("\"", "\"\"") + "\"").orElse("");
    return s.address()
        + s.mode().map(mode -> "," + name + "," + mode).orElse(name.isEmpty() ? "" : "," + name);
  }

  /** Only strings and lists of strings reach the templates; table-specific quoting is done here. */
  static Map<String, Object> model(ApplianceSpec spec) {
    Map<String, Object> model = new HashMap<>();
    model.put("role", spec.role().cliName());
    model.put("flavour", spec.flavour().cliName());
    model.put("sympaOverrideNames", List.copyOf(spec.sympaOverrides().keySet()));
    model.put("sympaOverrideList", settings(spec.sympaOverrides()));
    model.put("listRecipients", ImagePaths.LIST_RECIPIENTS);
    model.put("listsBeingCreated", ImagePaths.LISTS_BEING_CREATED);
    model.put("services", ImagePaths.SERVICES);
    model.put("runServices", ImagePaths.RUN_SERVICES);
    model.put("listDefinitions", ImagePaths.LIST_DEFINITIONS);
    model.put("members", ImagePaths.MEMBERS);
    model.put("preload", ImagePaths.PRELOAD);
    model.put("daemonClient", ImagePaths.DAEMON_CLIENT);
    model.put("preloadSocket", ImagePaths.PRELOAD_SOCKET);
    model.put("supervised", ImageLayout.supervised(spec));
    model.put("coreServices", ImageLayout.coreServices(spec));
    model.put("bulkServices", ImageLayout.bulkServices(spec));
    model.put("webServices", ImageLayout.webServices());
    spec.web()
        .ifPresent(
            web -> {
              putWeb(model, web);
              model.put("wwsympaSocket", ImagePaths.WWSYMPA_SOCKET);
              model.put("wwsympaProcesses", Integer.toString(web.workers()));
            });
    spec.deliverability()
        .ifPresent(
            d -> {
              d.dkim()
                  .ifPresent(
                      dkim -> {
                        model.put("dkimSelector", dkim.selector());
                        model.put("dkimKeyPath", dkim.keyPath());
                        model.put("dkimKeyGenerated", Boolean.toString(dkim.keyFile().isEmpty()));
                        model.put("dkimKeyDirectory", Deliverability.GENERATED_KEY_DIRECTORY);
                      });
              if (d.oneClickUnsubscribe()) {
                model.put("oneClickUnsubscribe", "true");
              }
              if (!d.dmarcModes().isEmpty()) {
                model.put("dmarcModes", String.join(",", d.dmarcModes()));
              }
              model.put("tlsCertPath", d.tlsCertPath());
              model.put("tlsKeyPath", d.tlsKeyPath());
              model.put("tlsGenerated", Boolean.toString(d.tlsFiles().isEmpty()));
              model.put("tlsDirectory", d.generatedTlsDirectory());
              model.put("tlsSubject", generatedCertificateSubject(spec.hostname().value()));
              model.put("tlsSubjectAltName", generatedCertificateAltName(spec.hostname().value()));
              model.put("smtpTls", d.smtpTls());
              d.relayhostPasswordFile()
                  .ifPresent(
                      file -> {
                        model.put("relayhostPasswordFile", file);
                        model.put(
                            "relayhostPasswordTable", Deliverability.RELAYHOST_PASSWORD_TABLE);
                      });
            });
    spec.database()
        .flatMap(Database::postgresql)
        .ifPresent(
            pg -> {
              model.put("dbHost", pg.host());
              model.put("dbPort", Integer.toString(pg.port()));
              model.put("dbName", pg.name());
              model.put("dbUser", pg.user());
              model.put("dbPasswordFile", pg.passwordFile());
            });
    model.put("sqliteFile", Database.SQLITE_FILE);
    model.put("domain", spec.domain().value());
    model.put("sympaDomain", spec.sympaDomain().value());
    model.put("sympaDomainRegexp", PostfixQuoting.regexpLiteral(spec.sympaDomain().value()));
    spec.relayhost().ifPresent(relay -> model.put("relayhost", relay.postfixNexthop()));
    spec.sympaServer().ifPresent(server -> model.put("sympaServer", server.postfixNexthop()));
    model.put("postconfOverrides", settings(spec.postconfOverrides()));
    model.put(
        "listsRegexp",
        spec.listNames().stream().map(list -> PostfixQuoting.regexpLiteral(list.value())).toList());
    model.put("domainRegexp", PostfixQuoting.regexpLiteral(spec.domain().value()));
    model.put("hostname", spec.hostname().value());
    model.put("listmaster", spec.listmaster().toString());
    model.put("lists", spec.listNames().stream().map(ListName::value).toList());
    model.put("queue", ImagePaths.QUEUE);
    model.put("bouncequeue", ImagePaths.BOUNCEQUEUE);
    model.put("msgSpool", ImagePaths.MSG_SPOOL);
    model.put("bounceSpool", ImagePaths.BOUNCE_SPOOL);
    model.put("sympaConf", ImagePaths.SYMPA_CONF);
    model.put("upgrade", ImagePaths.UPGRADE);
    model.put("restore", ImagePaths.RESTORE);
    model.put("spoolGuard", ImagePaths.SPOOL_GUARD);
    model.put("bulkSubmission", ImagePaths.BULK_SUBMISSION);
    model.put("sympaUid", Integer.toString(ImagePaths.SYMPA_UID));
    model.put("minFreeKb", Integer.toString(ImagePaths.SPOOL_MIN_FREE_KB));
    List<Map<String, Object>> domains = new ArrayList<>();
    domains.add(domainModel(spec.firstDomain(), true));
    spec.domains().forEach(d -> domains.add(domainModel(d, false)));
    model.put("listDomains", domains);
    model.put("furtherDomains", domains.subList(1, domains.size()));
    if (spec.firstDomain().oneClickUnsubscribe()
        || spec.domains().stream().anyMatch(ListDomain::oneClickUnsubscribe)) {
      model.put("perMemberCopies", "true");
    }
    return model;
  }

  /**
   * One list domain as the templates loop over them ({@code listDomains}, the first one first;
   * {@code furtherDomains}, the spec's {@code domains:}): its name (plain and as a regexp literal),
   * listmaster, lists, web address, DKIM and DMARC settings, and where its spec lists are defined
   * in the image.
   */
  private static Map<String, Object> domainModel(ListDomain d, boolean first) {
    Map<String, Object> model = new HashMap<>();
    model.put("domain", d.domain().value());
    model.put("domainRegexp", PostfixQuoting.regexpLiteral(d.domain().value()));
    model.put("listmaster", d.listmaster().toString());
    model.put("lists", d.listNames().stream().map(ListName::value).toList());
    model.put(
        "listsRegexp",
        d.listNames().stream().map(list -> PostfixQuoting.regexpLiteral(list.value())).toList());
    model.put("listDefinitions", ImagePaths.listDefinitions(d.domain(), first));
    model.put("listData", ImagePaths.listData(d.domain(), first));
    d.web()
        .ifPresent(
            web -> {
              putWeb(model, web);
              model.put("fastcgiConf", ImagePaths.fastcgiConf(d.domain(), first));
            });
    d.dkim()
        .ifPresent(
            dkim -> {
              model.put("dkimSelector", dkim.selector());
              String keyPath = d.dkimKeyPath().orElseThrow();
              model.put("dkimKeyPath", keyPath);
              model.put("dkimKeyDirectory", keyPath.substring(0, keyPath.lastIndexOf('/')));
              model.put("dkimKeyGenerated", Boolean.toString(dkim.keyFile().isEmpty()));
            });
    if (!d.dmarcModes().isEmpty()) {
      model.put("dmarcModes", String.join(",", d.dmarcModes()));
    }
    if (d.oneClickUnsubscribe()) {
      model.put("oneClickUnsubscribe", "true");
    }
    return model;
  }

  /** The web interface's public address, as the templates take it apart. */
  private static void putWeb(Map<String, Object> model, WebInterface web) {
    model.put("webUrl", web.url());
    model.put("webScheme", web.scheme());
    model.put("webHost", web.host());
    model.put("webPort", Integer.toString(web.effectivePort()));
    model.put("webAuthority", web.authority());
    model.put("webPath", web.path());
  }

  /** Configuration overrides as the templates list them: {name, value} in the order given. */
  private static List<Map<String, String>> settings(Map<String, String> overrides) {
    return overrides.entrySet().stream()
        .map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
        .toList();
  }
}
