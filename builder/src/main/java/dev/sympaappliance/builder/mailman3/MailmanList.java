package dev.sympaappliance.builder.mailman3;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mailman list as read from the REST API: its {@code /lists/ID/config} resource (every attribute,
 * in Mailman's order) and its owner, moderator and member rosters.
 */
record MailmanList(
    String listId,
    Map<String, JsonNode> config,
    List<MailmanMember> owners,
    List<MailmanMember> moderators,
    List<MailmanMember> members) {

  MailmanList {
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    config.forEach((key, value) -> copy.put(key, value.deepCopy()));
    config = Collections.unmodifiableMap(copy);
    owners = List.copyOf(owners);
    moderators = List.copyOf(moderators);
    members = List.copyOf(members);
  }

  /** A text attribute of the configuration; empty when absent or null. */
  String text(String attribute) {
    JsonNode value = config.get(attribute);
    return value == null || value.isNull() ? "" : value.asText();
  }

  String listName() {
    return text("list_name");
  }
}
