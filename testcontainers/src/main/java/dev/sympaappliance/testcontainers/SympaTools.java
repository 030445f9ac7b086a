package dev.sympaappliance.testcontainers;

import static dev.sympaappliance.testcontainers.SympaApplianceContainer.SQLITE_DATABASE;
import static dev.sympaappliance.testcontainers.SympaApplianceContainer.SYMPA_PL;

import java.util.List;
import java.util.UUID;

/**
 * Sympa's own tools inside the appliance, for {@link SympaApplianceContainer}: {@code sympa.pl},
 * its SQLite database, its archives.
 */
final class SympaTools {
  private SympaTools() {}

  static String sympa(ApplianceShellContainer server, String... args) {
    return server.shell(
        SYMPA_PL
            + " "
            + Shell.quoteAll(args)
            + " 2>&1 | grep -v -e '^setlogsock(): ' -e '^Duplicate specification \"' || true");
  }

  static void createList(
      ApplianceShellContainer server,
      String domain,
      String name,
      String type,
      String owner,
      String... editors) {
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><list><listname>")
            .append(name)
            .append("</listname><type>")
            .append(type)
            .append("</type><subject>")
            .append(name)
            .append("</subject><description>")
            .append(name)
            .append("</description><status>open</status>")
            .append("<topics>other</topics><owner multiple=\"1\"><email>")
            .append(owner)
            .append("</email></owner>");
    for (String editor : editors) {
      xml.append("<editor multiple=\"1\"><email>").append(editor).append("</email></editor>");
    }
    xml.append("</list>");
    String file = "/tmp/create-list-" + UUID.randomUUID() + ".xml";
    server.shell("printf '%s' " + Shell.quote(xml.toString()) + " > " + file);
    String out = server.sympa("--create_list", "--robot", domain, "--input_file", file);
    // The first domain's lists are in list_data itself, a virtual host's in list_data/DOMAIN.
    String dir =
        "/var/lib/sympa/list_data/" + (domain.equals(server.getDomain()) ? "" : domain + "/");
    if (server.shellResult("test -f " + Shell.quote(dir + name + "/config")).getExitCode() != 0) {
      throw new IllegalStateException("list " + name + " was not created: " + out);
    }
  }

  static void addMembers(ApplianceShellContainer server, String listAddress, String... addresses) {
    server.shell(
        "printf '%s\\n' "
            + Shell.quoteAll(addresses)
            + " | "
            + SYMPA_PL
            + " add --quiet "
            + Shell.quote(listAddress)
            + " 2>&1");
  }

  static List<String> members(ApplianceShellContainer server, String listAddress) {
    int at = listAddress.lastIndexOf('@');
    return server.databaseRows(
        "select user_subscriber from subscriber_table where list_subscriber = '"
            + listAddress.substring(0, at).replace("'", "''")
            + "' and robot_subscriber = '"
            + listAddress.substring(at + 1).replace("'", "''")
            + "' order by user_subscriber");
  }

  static List<String> databaseRows(ApplianceShellContainer server, String sql) {
    String out =
        server.shell("sqlite3 -cmd '.timeout 10000' " + SQLITE_DATABASE + " " + Shell.quote(sql));
    return out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  static List<String> archivedFilesContaining(
      ApplianceShellContainer server, String list, String token) {
    String archive = "/var/lib/sympa/arc/" + list + "@" + server.getDomain();
    String out =
        server.shell(
            "[ -e "
                + Shell.quote(archive)
                + " ] || exit 0; grep -rlF -e "
                + Shell.quote(token)
                + " "
                + Shell.quote(archive)
                + "; status=$?; [ $status -eq 1 ] && exit 0; exit $status");
    return out.lines().filter(line -> !line.isBlank()).toList();
  }
}
