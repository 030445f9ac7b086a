package dev.sympaappliance.builder.mailman3;

import dev.sympaappliance.builder.spec.DomainName;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code builder import mailman3}: reads one mail host's lists from a running Mailman 3 core's REST
 * API and writes, into a directory, an appliance spec ({@value #SPEC}), one members file per list
 * ({@code members/LIST.csv}) and a report ({@value #REPORT}) of what was chosen, changed, skipped
 * and left behind. Everything is read before anything is written.
 */
public final class Mailman3Import {
  public static final String SPEC = "lists.yaml";
  public static final String REPORT = "mailman3-report.txt";

  /**
   * What to import: Mailman core's REST root (e.g. {@code http://127.0.0.1:8001/3.1}), its admin
   * user and password, the mail host (null: the only one with lists), where to write, and whether a
   * directory that is not empty may be written into.
   */
  public record Options(
      URI url, String user, String password, String mailHost, Path out, boolean force) {}

  /** What was written. */
  public record Summary(
      String mailHost, int lists, int skipped, int members, Path spec, Path report) {}

  private Mailman3Import() {}

  public static Summary run(Options options, Clock clock, Consumer<String> progress)
      throws IOException {
    checkOut(options.out(), options.force());
    MailmanRestClient client =
        new MailmanRestClient(options.url(), options.user(), options.password());
    MailmanReader reader = new MailmanReader(client, progress);
    String mailHost = reader.mailHost(options.mailHost());
    String domain = DomainName.parse("Mailman's mail host", mailHost).value();
    List<MailmanList> lists = reader.lists(mailHost);
    List<ImportedList> imported = new ArrayList<>();
    List<ListConversion.Skipped> skipped = new ArrayList<>();
    for (MailmanList list : lists) {
      ListConversion.Result result = ListConversion.convert(list);
      if (result.imported() != null) {
        imported.add(result.imported());
      } else {
        skipped.add(result.skipped());
      }
    }
    ListmasterChoice listmaster = ListmasterChoice.choose(domain, client);
    String date = LocalDate.now(clock).toString();
    String url = client.root();

    Path out = options.out();
    Files.createDirectories(out);
    for (ImportedList list : imported) {
      if (list.membersFile() != null) {
        Path file = out.resolve(list.membersFile());
        Files.createDirectories(file.getParent());
        write(file, MembersCsv.csv(list.source().listId(), list.members()));
      }
    }
    String header =
        "# Imported from Mailman 3 at "
            + url
            + " on "
            + date
            + "; review before building. See "
            + REPORT
            + ".\n";
    Path spec = out.resolve(SPEC);
    write(spec, SpecYamlWriter.yaml(header, domain, listmaster.address(), imported));
    Path report = out.resolve(REPORT);
    write(
        report,
        ReportWriter.report(
            new ReportWriter.Import(url, date, domain, listmaster, imported, skipped)));
    int members = imported.stream().mapToInt(list -> list.members().size()).sum();
    return new Summary(domain, imported.size(), skipped.size(), members, spec, report);
  }

  /**
   * Mailman core's REST root as given to {@code --url}: http or https, a host, a path (the API
   * version, e.g. /3.1), no user or password (those come from --user and --password-file), no query
   * or fragment.
   */
  public static URI restRoot(String raw) {
    String rule =
        "the root of Mailman core's REST API, http(s)://HOST:PORT/VERSION such as"
            + " http://127.0.0.1:8001/3.1, without user, password, query or fragment";
    URI url;
    try {
      url = new URI(raw == null ? "" : raw);
    } catch (URISyntaxException e) {
      throw new InvalidSpecException("--url", raw, rule);
    }
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null
        || url.getRawUserInfo() != null
        || url.getRawQuery() != null
        || url.getRawFragment() != null
        || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidSpecException("--url", raw, rule);
    }
    return url;
  }

  /** An existing directory must be empty, unless {@code force}. */
  private static void checkOut(Path out, boolean force) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new InvalidSpecException("--out", out.toString(), "a directory, not an existing file");
    }
    if (force || !Files.isDirectory(out)) {
      return;
    }
    try (Stream<Path> entries = Files.list(out)) {
      if (entries.findAny().isPresent()) {
        throw new InvalidSpecException(
            "--out",
            out.toString(),
            "the directory is not empty; --force writes into it anyway, replacing "
                + SPEC
                + ", "
                + REPORT
                + " and the members files of the lists imported");
      }
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
