package dev.sympaappliance.builder.mailman3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attributes of a list's {@code /lists/ID/config} resource, sorted for the report: those the
 * spec carries, those that chose the list's type, state that is no setting, and the other settings,
 * which have no equivalent in the spec, each compared with Mailman 3.3's default (the
 * legacy-default style, src/mailman/styles/base.py; the values listconf.rst shows for a new list).
 */
final class MailmanSettings {
  private MailmanSettings() {}

  /**
   * Always carried into the spec: the name, the domain and the description; the subject is
   * Mailman's description or display_name, whichever the list's comes from.
   */
  static final List<String> CARRIED = List.of("list_name", "mail_host", "info");

  /** Counters, dates and the list's own addresses, which follow from its name: no settings. */
  static final List<String> STATE =
      List.of(
          "bounces_address",
          "created_at",
          "digest_last_sent_at",
          "fqdn_listname",
          "join_address",
          "last_post_at",
          "leave_address",
          "list_id",
          "next_digest_number",
          "no_reply_address",
          "owner_address",
          "post_id",
          "posting_address",
          "request_address",
          "usenet_watermark",
          "volume");

  /** Shown as set or not, never by value. */
  static final List<String> SECRET = List.of("moderator_password");

  /**
   * Mailman 3.3's defaults, as JSON; subject_prefix's, "[display_name] ", is worked out per list.
   * The *_uri ones are API 3.0's only.
   */
  private static final Map<String, JsonNode> DEFAULTS =
      defaults(
          """
          accept_these_nonmembers []
          acceptable_aliases []
          admin_immed_notify true
          admin_notify_mchanges false
          administrivia true
          allow_list_posts true
          anonymous_list false
          archive_rendering_mode "text"
          autorespond_owner "none"
          autorespond_postings "none"
          autorespond_requests "none"
          autoresponse_grace_period "90d"
          autoresponse_owner_text ""
          autoresponse_postings_text ""
          autoresponse_request_text ""
          bounce_info_stale_after "7d"
          bounce_notify_owner_on_disable true
          bounce_notify_owner_on_removal true
          bounce_score_threshold 5
          bounce_you_are_disabled_warnings 3
          bounce_you_are_disabled_warnings_interval "7d"
          collapse_alternatives true
          convert_html_to_plaintext false
          digest_footer_uri ""
          digest_header_uri ""
          digest_send_periodic true
          digest_size_threshold 30
          digest_volume_frequency "monthly"
          digests_enabled true
          discard_these_nonmembers []
          dmarc_mitigate_action "no_mitigation"
          dmarc_mitigate_unconditionally false
          dmarc_moderation_notice ""
          dmarc_wrapped_message_text ""
          emergency false
          filter_action "discard"
          filter_content false
          filter_extensions []
          filter_types []
          first_strip_reply_to false
          footer_uri ""
          forward_unrecognized_bounces_to "administrators"
          gateway_to_mail false
          gateway_to_news false
          goodbye_message_uri ""
          header_uri ""
          hold_these_nonmembers []
          include_rfc2369_headers true
          linked_newsgroup ""
          max_days_to_hold 0
          max_message_size 40
          max_num_recipients 10
          member_roster_visibility "moderators"
          moderator_password null
          newsgroup_moderation "none"
          nntp_prefix_subject_too true
          pass_extensions []
          pass_types []
          personalize "none"
          posting_pipeline "default-posting-pipeline"
          preferred_language "en"
          process_bounces true
          reject_these_nonmembers []
          reply_goes_to_list "no_munging"
          reply_to_address ""
          require_explicit_destination true
          respond_to_post_requests true
          send_goodbye_message true
          send_welcome_message true
          unsubscription_policy "confirm"
          welcome_message_uri ""
          """);

  private static Map<String, JsonNode> defaults(String table) {
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String line : table.strip().split("\n")) {
      String[] nameAndValue = line.split(" ", 2);
      try {
        out.put(nameAndValue[0], json.readTree(nameAndValue[1]));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(line, e);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The settings of a list that the spec does not carry, sorted by how the report shows them. */
  record Unmapped(Map<String, String> changed, List<String> atDefault, List<String> state) {}

  static Unmapped unmapped(MailmanList list, List<String> carried) {
    Map<String, String> changed = new LinkedHashMap<>();
    List<String> atDefault = new ArrayList<>();
    List<String> state = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : list.config().entrySet()) {
      String name = e.getKey();
      if (carried.contains(name) || ListBehaviour.MAILMAN_SETTINGS.contains(name)) {
        continue;
      }
      if (STATE.contains(name)) {
        state.add(name);
      } else if (isDefault(name, e.getValue(), list)) {
        atDefault.add(name);
      } else {
        changed.put(name, shown(name, e.getValue()));
      }
    }
    return new Unmapped(changed, atDefault, state);
  }

  /** A value as the report shows it: JSON, on one line. */
  static String shown(String name, JsonNode value) {
    if (SECRET.contains(name)) {
      return value.isNull() ? "not set" : "set (not shown)";
    }
    return value.toString();
  }

  private static boolean isDefault(String name, JsonNode value, MailmanList list) {
    if (name.equals("display_name")) {
      // Python's str.capitalize(), as the Identity style sets it
      String listName = list.listName();
      String capitalized =
          listName.isEmpty()
              ? ""
              : listName.substring(0, 1).toUpperCase(Locale.ROOT)
                  + listName.substring(1).toLowerCase(Locale.ROOT);
      return value.isTextual() && value.asText().equals(capitalized);
    }
    if (name.equals("description")) {
      return value.isTextual() && value.asText().isEmpty();
    }
    if (name.equals("subject_prefix")) {
      return value.isTextual() && value.asText().equals("[" + list.text("display_name") + "] ");
    }
    JsonNode expected = DEFAULTS.get(name);
    if (expected == null) {
      return false; // a setting this importer does not know: listed with its value
    }
    if (expected.isNumber()) {
      return value.isNumber() && value.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return expected.equals(value);
  }
}
