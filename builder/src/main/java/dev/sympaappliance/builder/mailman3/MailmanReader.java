package dev.sympaappliance.builder.mailman3;

import static dev.sympaappliance.builder.mailman3.MailmanRestClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads one mail host's lists from Mailman core's REST API (Mailman 3.3's resources, as its REST
 * documentation shows them: src/mailman/rest/docs/domains.rst, lists.rst, listconf.rst,
 * membership.rst and preferences.rst): {@code /domains}, {@code /domains/HOST/lists}, each list's
 * {@code /lists/ID/config} and {@code /lists/ID/roster/owner|moderator|member}, and each member's
 * {@code /members/ID/all/preferences}, where the delivery status lives (the member resource has
 * none; "all" stacks the member's, address's, user's and system's preferences, so that a value is
 * always there).
 */
final class MailmanReader {
  private final MailmanRestClient client;
  private final Consumer<String> progress;

  MailmanReader(MailmanRestClient client, Consumer<String> progress) {
    this.client = client;
    this.progress = progress;
  }

  /**
   * The mail host whose lists are read: {@code given}, which must be a domain of Mailman's; without
   * it, the only one that has lists (or the only domain).
   */
  String mailHost(String given) throws IOException {
    List<String> hosts = new ArrayList<>();
    for (JsonNode domain : client.collection("domains")) {
      hosts.add(domain.path("mail_host").asText());
    }
    if (given != null) {
      String host = given.toLowerCase(Locale.ROOT);
      if (!hosts.contains(host)) {
        throw new InvalidSpecException(
            "--mail-host",
            given,
            "not a domain of Mailman core at "
                + client.root()
                + "; its domains: "
                + (hosts.isEmpty() ? "none" : String.join(", ", hosts)));
      }
      return host;
    }
    Map<String, Long> withLists = new LinkedHashMap<>();
    for (String host : hosts) {
      long lists = client.size("domains/" + segment(host) + "/lists");
      if (lists > 0) {
        withLists.put(host, lists);
      }
    }
    if (withLists.size() == 1) {
      return withLists.keySet().iterator().next();
    }
    if (withLists.isEmpty() && hosts.size() == 1) {
      return hosts.get(0);
    }
    if (withLists.isEmpty()) {
      throw new InvalidSpecException(
          "--url",
          client.root(),
          "Mailman core there has no lists"
              + (hosts.isEmpty()
                  ? " and no domains"
                  : " in its domains " + String.join(", ", hosts)));
    }
    List<String> named = new ArrayList<>();
    withLists.forEach((host, n) -> named.add(host + " (" + n + (n == 1 ? " list)" : " lists)")));
    throw new InvalidSpecException(
        "--mail-host",
        "required: Mailman core at "
            + client.root()
            + " has lists in several mail hosts: "
            + String.join(", ", named));
  }

  /** Every list of {@code mailHost}, with its configuration and rosters. */
  List<MailmanList> lists(String mailHost) throws IOException {
    List<MailmanList> lists = new ArrayList<>();
    for (JsonNode entry : client.collection("domains/" + segment(mailHost) + "/lists")) {
      String listId = entry.path("list_id").asText();
      String base = "lists/" + segment(listId);
      Map<String, JsonNode> config = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = client.get(base + "/config").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getKey().equals("http_etag")) {
          config.put(field.getKey(), field.getValue());
        }
      }
      List<MailmanMember> owners = roles(base + "/roster/owner");
      List<MailmanMember> moderators = roles(base + "/roster/moderator");
      List<MailmanMember> members = members(base + "/roster/member");
      progress.accept(
          listId
              + ": "
              + owners.size()
              + " owners, "
              + moderators.size()
              + " moderators, "
              + members.size()
              + " members");
      lists.add(new MailmanList(listId, config, owners, moderators, members));
    }
    return lists;
  }

  private List<MailmanMember> roles(String roster) throws IOException {
    List<MailmanMember> out = new ArrayList<>();
    for (JsonNode entry : client.collection(roster)) {
      out.add(MailmanMember.role(entry.path("email").asText(), displayName(entry)));
    }
    return out;
  }

  private List<MailmanMember> members(String roster) throws IOException {
    List<JsonNode> entries = client.collection(roster);
    List<String> preferencePaths = new ArrayList<>();
    for (JsonNode entry : entries) {
      preferencePaths.add(
          "members/" + segment(entry.path("member_id").asText()) + "/all/preferences");
    }
    List<JsonNode> preferences = client.getAll(preferencePaths);
    List<MailmanMember> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      JsonNode prefs = preferences.get(i);
      out.add(
          new MailmanMember(
              entry.path("email").asText(),
              displayName(entry),
              prefs.path("delivery_mode").asText(entry.path("delivery_mode").asText("regular")),
              prefs.path("delivery_status").asText("enabled"),
              entry.path("moderation_action").isTextual()
                  ? entry.path("moderation_action").asText()
                  : null));
    }
    return out;
  }

  /** Mailman leaves display_name out, or empty, when it has none. */
  private static String displayName(JsonNode entry) {
    JsonNode name = entry.path("display_name");
    return name.isTextual() ? name.asText() : "";
  }
}
