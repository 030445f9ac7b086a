package dev.sympaappliance.e2e.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sympaappliance.e2e.support.Mailman3CoreContainer;
import dev.sympaappliance.e2e.support.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Mailman 3 helper an import test reads from: Debian's Mailman 3 core starts, its REST API
 * answers, and lists set up through that API (a domain, two lists with owners, moderators and named
 * members, one digest member and one that takes no mail) read back as they were set. Every GET's
 * body is printed and written under target/mailman3-rest-samples/, the shapes the importer's unit
 * tests are written against (copied to src/test/resources/mailman3/rest-samples/).
 */
class Mailman3CoreIT {
  static final String DOMAIN = "lists.example.org";
  static final Path SAMPLES = Path.of("target", "mailman3-rest-samples");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void listsSetUpThroughTheRestApiReadBackAsTheyWereSet() throws Exception {
    try (Mailman3CoreContainer mailman = new Mailman3CoreContainer()) {
      long created = System.nanoTime();
      mailman.start();
      System.out.printf(
          "Mailman 3 core (REST runner only): REST API ready %.1f s after start()%n",
          (System.nanoTime() - created) / 1e9);
      Files.createDirectories(SAMPLES);

      JsonNode versions = sample(mailman, "/system/versions", "system-versions.json");
      assertThat(versions.path("mailman_version").asText()).startsWith("GNU Mailman 3.3.10");
      assertThat(versions.path("api_version").asText()).isEqualTo("3.1");

      long setupStarted = System.nanoTime();
      mailman.createDomain(DOMAIN);
      String team = mailman.createList("team@" + DOMAIN);
      String announce = mailman.createList("announce@" + DOMAIN, "legacy-announce");
      assertThat(team).isEqualTo("team.lists.example.org");
      assertThat(announce).isEqualTo("announce.lists.example.org");

      Map<String, String> teamConfig = new LinkedHashMap<>();
      teamConfig.put("display_name", "Team");
      teamConfig.put("description", "The team's discussion list");
      teamConfig.put("info", "Everything the team talks about.\nSecond line: Grüße.");
      teamConfig.put("subject_prefix", "[Team] ");
      teamConfig.put("default_member_action", "accept");
      teamConfig.put("default_nonmember_action", "hold");
      teamConfig.put("subscription_policy", "confirm_then_moderate");
      teamConfig.put("archive_policy", "private");
      teamConfig.put("advertised", "false");
      teamConfig.put("reply_goes_to_list", "point_to_list");
      teamConfig.put("send_welcome_message", "false");
      mailman.configureList(team, teamConfig);

      Map<String, String> announceConfig = new LinkedHashMap<>();
      announceConfig.put("display_name", "Announcements");
      announceConfig.put("description", "Announcements, moderated");
      announceConfig.put("info", "Only moderators post here.");
      announceConfig.put("subject_prefix", "[Announce] ");
      announceConfig.put("default_member_action", "hold");
      announceConfig.put("default_nonmember_action", "reject");
      announceConfig.put("subscription_policy", "open");
      announceConfig.put("archive_policy", "public");
      announceConfig.put("advertised", "true");
      announceConfig.put("reply_goes_to_list", "no_munging");
      announceConfig.put("send_welcome_message", "false");
      mailman.configureList(announce, announceConfig);

      mailman.addOwner(team, "owner@example.org", "Olivia Owner");
      mailman.addModerator(team, "mod@example.org", "Moe Moderator");
      String alice = mailman.addMember(team, "alice@example.org", "Alice Ämmälä");
      String bob = mailman.addMember(team, "bob@example.net", "Bob Digest");
      String carol = mailman.addMember(team, "carol@example.net", "Carol Nomail");
      String dave = mailman.addMember(team, "dave@example.com", null);
      mailman.setDeliveryMode(bob, "mime_digests");
      mailman.setDeliveryStatus(carol, "by_user");

      mailman.addOwner(announce, "owner@example.org", "Olivia Owner");
      mailman.addModerator(announce, "editor@example.org", "Eddie Editor");
      // alice again, on a second list: one address, one user, two memberships.
      String aliceOnAnnounce = mailman.addMember(announce, "alice@example.org", "Alice Ämmälä");
      String erin = mailman.addMember(announce, "erin@example.org", "Erin Plain");
      mailman.setDeliveryMode(erin, "plaintext_digests");
      System.out.printf(
          "Mailman 3 core: domain, 2 lists, 4 owners/moderators, 6 members set up in %.1f s%n",
          (System.nanoTime() - setupStarted) / 1e9);

      // ---- read back ----
      JsonNode lists = sample(mailman, "/lists", "lists.json");
      assertThat(lists.path("total_size").asInt()).isEqualTo(2);
      assertThat(texts(lists.path("entries"), "list_id")).containsExactly(announce, team);
      sample(mailman, "/domains", "domains.json");
      sample(mailman, "/lists/" + team, "list-team.json");

      JsonNode config = sample(mailman, "/lists/" + team + "/config", "list-team-config.json");
      teamConfig.forEach(
          (key, value) -> {
            String actual = config.path(key).asText();
            assertThat(actual).as(key).isEqualTo(value);
          });
      JsonNode announceRead =
          sample(mailman, "/lists/" + announce + "/config", "list-announce-config.json");
      assertThat(announceRead.path("default_member_action").asText()).isEqualTo("hold");
      assertThat(announceRead.path("advertised").asBoolean()).isTrue();

      JsonNode roster =
          sample(mailman, "/lists/" + team + "/roster/member", "list-team-roster-member.json");
      assertThat(texts(roster.path("entries"), "email"))
          .containsExactlyInAnyOrder(
              "alice@example.org", "bob@example.net", "carol@example.net", "dave@example.com");
      JsonNode owners =
          sample(mailman, "/lists/" + team + "/roster/owner", "list-team-roster-owner.json");
      assertThat(texts(owners.path("entries"), "email")).containsExactly("owner@example.org");
      JsonNode moderators =
          sample(
              mailman, "/lists/" + team + "/roster/moderator", "list-team-roster-moderator.json");
      assertThat(texts(moderators.path("entries"), "email")).containsExactly("mod@example.org");
      sample(mailman, "/lists/" + announce + "/roster/member", "list-announce-roster-member.json");

      JsonNode aliceMember = sample(mailman, "/members/" + alice, "member-alice.json");
      assertThat(aliceMember.path("display_name").asText()).isEqualTo("Alice Ämmälä");
      assertThat(aliceMember.path("role").asText()).isEqualTo("member");
      assertThat(aliceMember.path("delivery_mode").asText()).isEqualTo("regular");
      JsonNode bobMember = sample(mailman, "/members/" + bob, "member-bob-digest.json");
      assertThat(bobMember.path("delivery_mode").asText()).isEqualTo("mime_digests");
      JsonNode daveMember = sample(mailman, "/members/" + dave, "member-dave-no-name.json");
      assertThat(daveMember.path("email").asText()).isEqualTo("dave@example.com");

      JsonNode bobPrefs =
          sample(mailman, "/members/" + bob + "/preferences", "member-bob-preferences.json");
      assertThat(bobPrefs.path("delivery_mode").asText()).isEqualTo("mime_digests");
      JsonNode carolPrefs =
          sample(mailman, "/members/" + carol + "/preferences", "member-carol-preferences.json");
      assertThat(carolPrefs.path("delivery_status").asText()).isEqualTo("by_user");
      sample(mailman, "/members/" + alice + "/preferences", "member-alice-preferences.json");
      // A membership's own preferences hold only what was set on it; all/preferences combines
      // them with the address's, the user's and the system's, and so is never empty.
      JsonNode carolAll =
          sample(
              mailman,
              "/members/" + carol + "/all/preferences",
              "member-carol-all-preferences.json");
      assertThat(carolAll.path("delivery_status").asText()).isEqualTo("by_user");
      assertThat(carolAll.path("delivery_mode").asText()).isEqualTo("regular");
      JsonNode aliceAll =
          sample(
              mailman,
              "/members/" + alice + "/all/preferences",
              "member-alice-all-preferences.json");
      assertThat(aliceAll.path("delivery_status").asText()).isEqualTo("enabled");
      // The membership resource shows the delivery mode, not the delivery status.
      JsonNode carolMember = sample(mailman, "/members/" + carol, "member-carol-nomail.json");
      assertThat(carolMember.has("delivery_mode")).isTrue();
      assertThat(carolMember.has("delivery_status")).isFalse();
      JsonNode erinPrefs =
          sample(mailman, "/members/" + erin + "/preferences", "member-erin-preferences.json");
      assertThat(erinPrefs.path("delivery_mode").asText()).isEqualTo("plaintext_digests");

      // Where the display name lives besides the membership: the address and the user.
      JsonNode address = sample(mailman, "/addresses/alice@example.org", "address-alice.json");
      assertThat(address.path("display_name").asText()).isEqualTo("Alice Ämmälä");
      sample(mailman, "/addresses/carol@example.net/preferences", "address-carol-preferences.json");
      sample(mailman, "/addresses/dave@example.com", "address-dave-no-name.json");
      JsonNode users = sample(mailman, "/users", "users.json");
      assertThat(users.path("total_size").asInt()).isGreaterThanOrEqualTo(1);
      JsonNode aliceUser = sample(mailman, "/addresses/alice@example.org/user", "user-alice.json");
      assertThat(aliceUser.path("user_id").asText()).isNotEmpty();
      sample(mailman, "/members/" + aliceOnAnnounce, "member-alice-announce.json");

      // Every membership in one call, and a search by list and role.
      sample(mailman, "/members", "members.json");
      JsonNode found =
          writeSample(
              "members-find-team-by_user.json",
              "POST /3.1/members/find list_id=" + team + "&delivery_status=by_user",
              mailman
                  .post("/members/find", Map.of("list_id", team, "delivery_status", "by_user"))
                  .body());
      assertThat(texts(found.path("entries"), "email")).containsExactly("carol@example.net");

      // No mail was made (no welcome message, no notice to the owners): every queue is empty.
      JsonNode queues = mailman.getJson("/queues");
      queues
          .path("entries")
          .forEach(
              queue ->
                  assertThat(queue.path("count").asInt()).as(queue.path("name").asText()).isZero());
      System.out.println(
          "Mailman 3 core: `mailman members team@lists.example.org`:\n"
              + mailman.cli("members", "team@" + DOMAIN));
      assertThat(mailman.cli("lists")).contains("team@lists.example.org");
      System.out.printf(
          "Mailman 3 core: test done %.1f s after start()%n", (System.nanoTime() - created) / 1e9);
    }
  }

  /**
   * With every runner started, outgoing mail goes to 127.0.0.1:25, where nothing listens: the
   * welcome message of a member subscribed without send_welcome_message=false fails there and is
   * kept for a retry, the one subscribed with it gets none, and the REST calls do not wait for
   * either.
   */
  @Test
  void withEveryRunnerRestCallsDoNotWaitForMailThatCannotBeDelivered() throws Exception {
    try (Mailman3CoreContainer mailman = new Mailman3CoreContainer().withAllRunners()) {
      long created = System.nanoTime();
      mailman.start();
      System.out.printf(
          "Mailman 3 core (all runners): REST API ready %.1f s after start()%n",
          (System.nanoTime() - created) / 1e9);
      long started = System.nanoTime();
      mailman.createDomain(DOMAIN);
      String list = mailman.createList("welcome@" + DOMAIN);
      mailman.addOwner(list, "owner@example.org", "Olivia Owner");
      mailman.addMember(list, "quiet@example.org", "No Welcome");
      // Mailman's own default for this one: the list's send_welcome_message (true by default).
      Map<String, String> form = new LinkedHashMap<>();
      form.put("list_id", list);
      form.put("subscriber", "welcomed@example.org");
      form.put("display_name", "Welcomed");
      form.put("pre_verified", "true");
      form.put("pre_confirmed", "true");
      form.put("pre_approved", "true");
      assertThat(mailman.post("/members", form).status()).isEqualTo(201);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("Mailman 3 core (all runners): set up in %.1f s%n", seconds);
      assertThat(
              mailman
                  .getJson("/lists/" + list + "/config")
                  .path("send_welcome_message")
                  .asBoolean())
          .isTrue();
      // The one welcome message is made and tried at 127.0.0.1:25: a temporary failure for its
      // one recipient, kept in the retry queue.
      String smtpLog =
          Poll.until(
              () -> mailman.execOk("cat /var/log/mailman3/smtp.log"),
              log -> log.contains("delivery to welcomed@example.org"),
              Duration.ofSeconds(60),
              Duration.ofMillis(500));
      System.out.println("Mailman 3 core (all runners): smtp.log\n" + smtpLog);
      System.out.println(
          "Mailman 3 core (all runners): retry queue " + mailman.get("/queues/retry").body());
      assertThat(smtpLog)
          .contains(
              "delivery to welcomed@example.org failed with code 444, [Errno 111] Connection refused")
          .doesNotContain("quiet@example.org")
          .doesNotContain("owner@example.org");
      assertThat(mailman.getJson("/lists/" + list + "/roster/member").path("total_size").asInt())
          .isEqualTo(2);
    }
  }

  /**
   * GETs PATH, prints its body and saves it as NAME, byte for byte as Mailman sent it; its JSON.
   */
  private static JsonNode sample(Mailman3CoreContainer mailman, String path, String name)
      throws IOException {
    return writeSample(name, "GET /3.1" + path, mailman.get(path).body());
  }

  private static JsonNode writeSample(String name, String request, String body) throws IOException {
    System.out.println("==== " + request + " -> " + name + "\n" + body);
    Files.writeString(SAMPLES.resolve(name), body);
    return JSON.readTree(body);
  }

  private static List<String> texts(JsonNode entries, String field) {
    List<String> values = new ArrayList<>();
    entries.forEach(entry -> values.add(entry.path(field).asText()));
    return values;
  }
}
