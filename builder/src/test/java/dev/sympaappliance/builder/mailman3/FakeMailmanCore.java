package dev.sympaappliance.builder.mailman3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Mailman core 3.3's REST API (API 3.1), as far as the importer reads it, on 127.0.0.1. Every
 * answer has the shape Mailman core's REST documentation shows (src/mailman/rest/docs/ of Mailman
 * 3.3.3): domains.rst (a domain), lists.rst (a list, a domain's lists), listconf.rst (a list's
 * config: the attributes and defaults of a new list, less API 3.0's *_uri ones), membership.rst
 * (rosters, member resources, the fields left out when None), preferences.rst ("Combined member
 * preferences": /members/ID/all/preferences), systemconf.rst (site_owner), and collections.rst with
 * the pagination of src/mailman/rest/helpers.py (count and page; start and total_size; entries left
 * out of an empty page). Basic authentication as basic.rst shows it.
 */
final class FakeMailmanCore implements AutoCloseable {
  static final String USER = "restadmin";
  static final String PASSWORD = "restpass";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A membership: the roster's fields and the member's combined preferences. */
  record Member(
      String email,
      String displayName,
      String deliveryMode,
      String deliveryStatus,
      String moderationAction) {
    static Member of(String email, String displayName) {
      return new Member(email, displayName, "regular", "enabled", null);
    }
  }

  /** A list: its config (listconf.rst's new list, with {@code changes}) and its rosters. */
  static final class MailingList {
    final String listName;
    final String mailHost;
    final ObjectNode config;
    final List<Member> owners = new ArrayList<>();
    final List<Member> moderators = new ArrayList<>();
    final List<Member> members = new ArrayList<>();

    MailingList(String listName, String mailHost) {
      this.listName = listName;
      this.mailHost = mailHost;
      this.config = newListConfig(listName, mailHost);
    }

    String listId() {
      return listName + "." + mailHost;
    }

    MailingList set(String attribute, Object value) {
      config.set(attribute, JSON.valueToTree(value));
      return this;
    }

    MailingList owner(String email) {
      owners.add(Member.of(email, ""));
      return this;
    }

    MailingList moderator(String email) {
      moderators.add(Member.of(email, ""));
      return this;
    }

    MailingList member(Member member) {
      members.add(member);
      return this;
    }
  }

  private final HttpServer server;
  private final List<String> domains = new ArrayList<>();
  private final List<MailingList> lists = new ArrayList<>();
  private final Map<String, Member> membersById = new LinkedHashMap<>();
  private final Map<Member, String> idsOfMembers = new LinkedHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private String siteOwner = "changeme@example.com";

  FakeMailmanCore() throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/3.1";
  }

  FakeMailmanCore domain(String mailHost) {
    domains.add(mailHost);
    return this;
  }

  FakeMailmanCore siteOwner(String address) {
    siteOwner = address;
    return this;
  }

  MailingList list(String listName, String mailHost) {
    MailingList list = new MailingList(listName, mailHost);
    lists.add(list);
    return list;
  }

  /** Every request's path and query, in order of arrival. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** Every request's Authorization header (null where it had none). */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    requests.add(path + (query == null ? "" : "?" + query));
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth);
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(auth)) {
      ObjectNode error = JSON.createObjectNode();
      error.put("title", "401 Unauthorized");
      error.put("description", "REST API authorization failed");
      send(exchange, 401, error);
      return;
    }
    JsonNode answer = answer(path.substring("/3.1/".length()), query);
    if (answer == null) {
      ObjectNode error = JSON.createObjectNode();
      error.put("title", "404 Not Found");
      send(exchange, 404, error);
    } else {
      send(exchange, 200, answer);
    }
  }

  private synchronized JsonNode answer(String path, String query) {
    String[] s = path.split("/");
    if (path.equals("domains")) {
      return collection(domains.stream().map(this::domainResource).toList(), query);
    }
    if (s.length == 3 && s[0].equals("domains") && s[2].equals("lists")) {
      // listmanager.py's find(): ordered by list_id
      return collection(
          lists.stream()
              .filter(l -> l.mailHost.equals(s[1]))
              .sorted(java.util.Comparator.comparing(MailingList::listId))
              .map(this::listResource)
              .toList(),
          query);
    }
    if (path.equals("system/configuration/mailman")) {
      ObjectNode mailman = JSON.createObjectNode();
      mailman.put("site_owner", siteOwner);
      mailman.put("default_language", "en");
      mailman.put("self_link", url() + "/system/configuration/mailman");
      return withEtag(mailman);
    }
    if (s.length >= 3 && s[0].equals("lists")) {
      MailingList list =
          lists.stream().filter(l -> l.listId().equals(s[1])).findFirst().orElse(null);
      if (list == null) {
        return null;
      }
      if (s.length == 3 && s[2].equals("config")) {
        return withEtag(list.config.deepCopy());
      }
      if (s.length == 4 && s[2].equals("roster")) {
        List<Member> roster =
            switch (s[3]) {
              case "owner" -> list.owners;
              case "moderator" -> list.moderators;
              case "member" -> list.members;
              default -> null;
            };
        // subscriptions.py's find_members(): ordered by list, then address
        return roster == null
            ? null
            : collection(
                roster.stream()
                    .sorted(java.util.Comparator.comparing(Member::email))
                    .map(m -> memberResource(list, s[3], m))
                    .toList(),
                query);
      }
    }
    if (s.length == 4
        && s[0].equals("members")
        && s[2].equals("all")
        && s[3].equals("preferences")) {
      Member member = membersById.get(s[1]);
      return member == null ? null : preferences(s[1], member);
    }
    return null;
  }

  /** helpers.py's CollectionMixin._make_collection, with _paginate. */
  private static JsonNode collection(List<ObjectNode> all, String query) {
    Map<String, Integer> params = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(kv[0], Integer.parseInt(kv[1]));
      }
    }
    int start = 0;
    List<ObjectNode> page = all;
    if (params.containsKey("count") || params.containsKey("page")) {
      int count = params.get("count");
      int number = params.get("page");
      start = (number - 1) * count;
      page = all.subList(Math.min(start, all.size()), Math.min(number * count, all.size()));
    }
    ObjectNode result = JSON.createObjectNode();
    result.put("start", start);
    result.put("total_size", all.size());
    if (!page.isEmpty()) {
      ArrayNode entries = result.putArray("entries");
      page.forEach(entry -> entries.add(withEtag(entry.deepCopy())));
    }
    return withEtag(result);
  }

  private ObjectNode domainResource(String mailHost) {
    ObjectNode domain = JSON.createObjectNode();
    domain.putNull("alias_domain");
    domain.putNull("description");
    domain.put("mail_host", mailHost);
    domain.put("self_link", url() + "/domains/" + mailHost);
    return domain;
  }

  /** lists.py's _ListBase._resource_as_dict. */
  private ObjectNode listResource(MailingList list) {
    ObjectNode resource = JSON.createObjectNode();
    resource.set("advertised", list.config.get("advertised"));
    resource.set("display_name", list.config.get("display_name"));
    resource.put("fqdn_listname", list.listName + "@" + list.mailHost);
    resource.put("list_id", list.listId());
    resource.put("list_name", list.listName);
    resource.put("mail_host", list.mailHost);
    resource.put("member_count", list.members.size());
    resource.put("volume", 1);
    resource.set("description", list.config.get("description"));
    resource.put("self_link", url() + "/lists/" + list.listId());
    return resource;
  }

  /** members.py's _MemberBase._resource_as_dict: fields whose value is None are left out. */
  private ObjectNode memberResource(MailingList list, String role, Member member) {
    String id =
        idsOfMembers.computeIfAbsent(member, m -> UUID.randomUUID().toString().replace("-", ""));
    membersById.put(id, member);
    ObjectNode resource = JSON.createObjectNode();
    resource.put("address", url() + "/addresses/" + member.email());
    resource.put("delivery_mode", member.deliveryMode());
    resource.put("display_name", member.displayName());
    resource.put("email", member.email());
    resource.put("list_id", list.listId());
    resource.put("member_id", id);
    if (member.moderationAction() != null) {
      resource.put("moderation_action", member.moderationAction());
    }
    resource.put("role", role);
    resource.put("self_link", url() + "/members/" + id);
    resource.put("subscription_mode", "as_address");
    resource.put("user", url() + "/users/" + id);
    return resource;
  }

  /** preferences.rst, "Combined member preferences". */
  private JsonNode preferences(String id, Member member) {
    ObjectNode prefs = JSON.createObjectNode();
    prefs.put("acknowledge_posts", false);
    prefs.put("delivery_mode", member.deliveryMode());
    prefs.put("delivery_status", member.deliveryStatus());
    prefs.put("preferred_language", "en");
    prefs.put("receive_list_copy", true);
    prefs.put("receive_own_postings", true);
    prefs.put("self_link", url() + "/members/" + id + "/all/preferences");
    return withEtag(prefs);
  }

  private static ObjectNode withEtag(ObjectNode node) {
    node.put("http_etag", "\"" + Integer.toHexString(node.hashCode()) + "\"");
    return node;
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * listconf.rst's "Reading a configuration": a new list's every attribute (API 3.1, so without the
   * *_uri ones), as JSON; LIST, HOST and DISPLAY stand for the list's name, mail host and display
   * name.
   */
  private static final String NEW_LIST_CONFIG =
      """
      {"accept_these_nonmembers": [], "acceptable_aliases": [], "admin_immed_notify": true,
       "admin_notify_mchanges": false, "administrivia": true, "advertised": true,
       "allow_list_posts": true, "anonymous_list": false, "archive_policy": "public",
       "archive_rendering_mode": "text", "autorespond_owner": "none",
       "autorespond_postings": "none", "autorespond_requests": "none",
       "autoresponse_grace_period": "90d", "autoresponse_owner_text": "",
       "autoresponse_postings_text": "", "autoresponse_request_text": "",
       "bounce_info_stale_after": "7d", "bounce_notify_owner_on_disable": true,
       "bounce_notify_owner_on_removal": true, "bounce_score_threshold": 5,
       "bounce_you_are_disabled_warnings": 3, "bounce_you_are_disabled_warnings_interval": "7d",
       "bounces_address": "LIST-bounces@HOST", "collapse_alternatives": true,
       "convert_html_to_plaintext": false, "created_at": "2021-02-04T22:31:56.123456",
       "default_member_action": "defer", "default_nonmember_action": "hold", "description": "",
       "digest_last_sent_at": null, "digest_send_periodic": true, "digest_size_threshold": 30.0,
       "digest_volume_frequency": "monthly", "digests_enabled": true,
       "discard_these_nonmembers": [], "display_name": "DISPLAY",
       "dmarc_mitigate_action": "no_mitigation", "dmarc_mitigate_unconditionally": false,
       "dmarc_moderation_notice": "", "dmarc_wrapped_message_text": "", "emergency": false,
       "filter_action": "discard", "filter_content": false, "filter_extensions": [],
       "filter_types": [], "first_strip_reply_to": false,
       "forward_unrecognized_bounces_to": "administrators", "fqdn_listname": "LIST@HOST",
       "gateway_to_mail": false, "gateway_to_news": false, "hold_these_nonmembers": [],
       "include_rfc2369_headers": true, "info": "", "join_address": "LIST-join@HOST",
       "last_post_at": null, "leave_address": "LIST-leave@HOST", "linked_newsgroup": "",
       "list_name": "LIST", "mail_host": "HOST", "max_days_to_hold": 0, "max_message_size": 40,
       "max_num_recipients": 10, "member_roster_visibility": "moderators",
       "moderator_password": null, "newsgroup_moderation": "none", "next_digest_number": 1,
       "nntp_prefix_subject_too": true, "no_reply_address": "noreply@HOST",
       "owner_address": "LIST-owner@HOST", "pass_extensions": [], "pass_types": [],
       "personalize": "none", "post_id": 1, "posting_address": "LIST@HOST",
       "posting_pipeline": "default-posting-pipeline", "preferred_language": "en",
       "process_bounces": true, "reject_these_nonmembers": [],
       "reply_goes_to_list": "no_munging", "reply_to_address": "",
       "request_address": "LIST-request@HOST", "require_explicit_destination": true,
       "respond_to_post_requests": true, "send_goodbye_message": true,
       "send_welcome_message": true, "subject_prefix": "[DISPLAY] ",
       "subscription_policy": "confirm", "unsubscription_policy": "confirm",
       "usenet_watermark": null, "volume": 1}
      """;

  private static ObjectNode newListConfig(String listName, String mailHost) {
    String display = Character.toUpperCase(listName.charAt(0)) + listName.substring(1);
    try {
      return (ObjectNode)
          JSON.readTree(
              NEW_LIST_CONFIG
                  .replace("LIST", listName)
                  .replace("HOST", mailHost)
                  .replace("DISPLAY", display));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
