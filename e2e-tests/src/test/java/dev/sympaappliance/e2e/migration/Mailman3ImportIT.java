package dev.sympaappliance.e2e.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.Mailman3CoreContainer;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Processes;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * From a real Mailman 3 (Debian's mailman3 package) to a running appliance: two lists set up
 * through Mailman's REST API (owners, moderators, named members, a digest member, a member who
 * takes no mail, settings Sympa has no key for), read by {@code builder import mailman3}, built
 * from the spec it wrote, started; then a post reaches exactly the members who take mail, the
 * moderators moderate, the owners own, and the report lists what did not map.
 */
class Mailman3ImportIT {
  static final String DOMAIN = "lists.example.org";
  static final String IMAGE = "sympa-appliance-e2e-mailman3-import:latest";
  static final Duration MAIL = Duration.ofSeconds(90);

  @TempDir Path tmp;

  @Test
  void listsFromMailman3WorkOnTheApplianceAsTheyDidThere() throws Exception {
    Path out = tmp.resolve("imported");
    try (Mailman3CoreContainer mailman = new Mailman3CoreContainer()) {
      mailman.start();
      mailman.createDomain(DOMAIN);
      String team = mailman.createList("team@" + DOMAIN);
      mailman.configureList(
          team,
          Map.of(
              "display_name", "Team",
              "description", "The team's discussion list",
              "info", "Everything the team talks about.\nSecond line: Grüße.",
              "subject_prefix", "[Team] ",
              "reply_goes_to_list", "point_to_list"));
      mailman.addOwner(team, "owner@example.org", "Olive Owner");
      mailman.addModerator(team, "moderator@example.org", "Moe Moderator");
      mailman.addMember(team, "one@example.net", "Member One");
      mailman.addMember(team, "two@example.net", "Two, Member");
      mailman.setDeliveryMode(
          mailman.addMember(team, "digest@example.net", "Dee Digest"), "mime_digests");
      mailman.setDeliveryStatus(
          mailman.addMember(team, "nomail@example.net", "Noah Nomail"), "by_user");
      // Mailman 3.3.10's announce style only turns List-Post off (allow_list_posts); its members'
      // posts still go out unless held, which is what a site sets for an announce list.
      String announce = mailman.createList("announce@" + DOMAIN, "legacy-announce");
      mailman.configureList(
          announce, Map.of("default_member_action", "hold", "default_nonmember_action", "reject"));
      mailman.addOwner(announce, "owner@example.org", "Olive Owner");
      mailman.addModerator(announce, "moderator@example.org", "Moe Moderator");
      mailman.addMember(announce, "one@example.net", "Member One");
      mailman.addMember(announce, "two@example.net", "Two, Member");

      Path password =
          Files.writeString(tmp.resolve("rest-password"), mailman.adminPassword() + "\n");
      Processes.Result imported =
          BuilderCli.run(
              tmp,
              Map.of(),
              List.of(),
              "import",
              "mailman3",
              "--url",
              mailman.restUrl(),
              "--password-file",
              password.toString(),
              "--out",
              out.toString());
      assertThat(imported.exitCode()).as(imported.output()).isZero();
    }

    String spec = Files.readString(out.resolve("lists.yaml"));
    assertThat(spec).contains("type: \"discussion_list\"").contains("type: \"news-letter\"");
    assertThat(Files.readAllLines(out.resolve("members/team.csv")))
        .contains(
            "one@example.net,Member One,mail",
            "two@example.net,\"Two, Member\",mail",
            "digest@example.net,Dee Digest,digest",
            "nomail@example.net,Noah Nomail,nomail");
    String report = Files.readString(out.resolve("mailman3-report.txt"));
    assertThat(report)
        .contains("reply_goes_to_list")
        .contains("subject_prefix")
        .contains("allow_list_posts");

    ApplianceSpec built =
        ApplianceSpec.fromUserInput(
            SpecFile.read(out.resolve("lists.yaml").toString())
                .overriddenBy(UserInput.builder().set(Settings.RELAYHOST, "sink").build()));
    DockerImageName image = ApplianceImages.build(IMAGE, built);
    try (Network network = Network.newNetwork();
        SmtpSinkContainer sink = Sinks.relayHostOn(network);
        SympaListServerContainer server = SympaListServerContainer.relayingTo(image, sink)) {
      sink.start();
      server.start();

      // A member's post reaches the members who take mail, each once; the digest member's copy
      // waits for the digest, the nomail member gets none.
      String post = server.post("one@example.net", "team@" + DOMAIN, "hello team", "Hi all.");
      sink.awaitRecipients(post, 2, MAIL);
      server.awaitIdle(MAIL);
      assertThat(SmtpSinkContainer.recipientsOf(sink.messagesContaining(post)))
          .containsExactlyInAnyOrder("one@example.net", "two@example.net");
      assertThat(
              server
                  .shell(
                      "sqlite3 /var/lib/sympa/sympa.sqlite \"SELECT user_subscriber || ' '"
                          + " || reception_subscriber FROM subscriber_table"
                          + " WHERE list_subscriber = 'team' ORDER BY 1\"")
                  .lines()
                  .toList())
          .containsExactly(
              "digest@example.net digest",
              "nomail@example.net nomail",
              "one@example.net mail",
              "two@example.net mail");

      // The moderators moderate: a stranger's post to team, a member's to announce, are held and
      // sent to the moderator to decide, not to the members.
      String stranger = server.post("stranger@example.com", "team@" + DOMAIN, "from outside", "?");
      String news = server.post("one@example.net", "announce@" + DOMAIN, "news", "Big news.");
      for (String held : List.of(stranger, news)) {
        Poll.until(
            () -> SmtpSinkContainer.recipientsOf(sink.messagesContaining(held)),
            to -> to.contains("moderator@example.org"),
            MAIL,
            Duration.ofMillis(500));
      }
      server.awaitIdle(MAIL);
      // Besides the moderator, only the sender may hear of a held post (Sympa's notice to them).
      assertThat(SmtpSinkContainer.recipientsOf(sink.messagesContaining(stranger)))
          .contains("moderator@example.org")
          .isSubsetOf("moderator@example.org", "stranger@example.com");
      assertThat(SmtpSinkContainer.recipientsOf(sink.messagesContaining(news)))
          .contains("moderator@example.org")
          .isSubsetOf("moderator@example.org", "one@example.net");

      // The owners own: mail to the list's -request address reaches them.
      String question =
          server.post("two@example.net", "team-request@" + DOMAIN, "q", "A question.");
      assertThat(sink.awaitRecipients(question, 1, MAIL)).containsExactly("owner@example.org");
    } finally {
      DockerClientFactory.instance().client().removeImageCmd(IMAGE).withForce(true).exec();
    }
  }
}
