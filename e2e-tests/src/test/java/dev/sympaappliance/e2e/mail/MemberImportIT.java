package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.MailCommands;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@code sympa-appliance-members add}: many members into a running list at once, through Sympa's
 * own add_list_member, which Sympa then treats as its own (its dump, distribution, signoff by
 * mail). The example's list team starts with alice, bob and carol.
 */
@Testcontainers
@TestMethodOrder(OrderAnnotation.class)
class MemberImportIT {
  static final int IMPORTED = 5_000;
  static final String TEAM = "team@" + DOMAIN;

  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.example(), sink);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  private static ExecResult importFile(String csv) throws Exception {
    server.copyFileToContainer(
        Transferable.of(csv.getBytes(StandardCharsets.UTF_8)), "/tmp/members.csv");
    return server.execInContainer("sympa-appliance-members", "add", TEAM, "/tmp/members.csv");
  }

  @Test
  @Order(1)
  void aFileWithABadLineIsRefusedByLineAndNothingIsAdded() throws Exception {
    ExecResult result =
        importFile(
            "first@example.net,First\n"
                + "not an address,Nobody\n"
                + "second@example.net,Second,fortnightly\n"
                + "first@EXAMPLE.net,Again\n");

    assertThat(result.getExitCode()).isEqualTo(2);
    assertThat(result.getStderr())
        .contains("/tmp/members.csv:2: 'not an address' is not an e-mail address")
        .contains("/tmp/members.csv:3: 'fortnightly' is not a reception mode of " + TEAM)
        .contains("/tmp/members.csv:4: first@example.net is given twice (first on line 1)")
        .contains("nothing added to " + TEAM);
    assertThat(server.members("team"))
        .containsExactly("alice@example.org", "bob@example.org", "carol@example.net");
  }

  @Test
  @Order(2)
  void fiveThousandMembersGoInAtOnceAndAllGetTheNextPostOnce() throws Exception {
    StringBuilder csv = new StringBuilder("# address,name,mode\n");
    List<String> expected =
        new ArrayList<>(List.of("alice@example.org", "bob@example.org", "carol@example.net"));
    for (int i = 1; i <= IMPORTED; i++) {
      String address = "member" + i + "@import.example.net";
      String name = i == 42 ? "Zoë Ünïcode" : "Member " + i;
      csv.append(address).append(",\"").append(name).append(", Imported\"\n");
      expected.add(address);
    }
    csv.append("Bob@example.org,Bob Again\n");

    ExecResult result = importFile(csv.toString());

    assertThat(result.getExitCode()).as(result.getStderr()).isZero();
    assertThat(result.getStdout()).contains("added " + IMPORTED + " members to " + TEAM);
    // Nobody was welcomed (no --welcome): nothing for them once the server is idle.
    server.awaitIdle(Duration.ofMinutes(2));
    assertThat(sink.messagesContaining("member1@import.example.net")).isEmpty();
    assertThat(result.getStderr()).contains("bob@example.org is a member already, left as it is");
    assertThat(server.members("team")).hasSize(IMPORTED + 3);
    assertThat(
            server
                .shell(
                    "sqlite3 /var/lib/sympa/sympa.sqlite \"SELECT comment_subscriber"
                        + " FROM subscriber_table WHERE user_subscriber = 'member42@import.example.net'\"")
                .strip())
        .isEqualTo("Zoë Ünïcode, Imported");

    String id = server.post("alice@example.org", TEAM, "after the import", "Hello, all of you.");
    sink.awaitRecipients(id, IMPORTED + 3, Duration.ofMinutes(5));
    server.awaitIdle(Duration.ofMinutes(2));
    List<String> recipients = SmtpSinkContainer.recipientsOf(sink.messagesContaining(id));

    assertThat(recipients).hasSize(IMPORTED + 3);
    Set<String> distinct = new HashSet<>(recipients);
    assertThat(distinct).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  @Order(3)
  void anImportedMemberIsSympasOwnToItsCommandLineAndSignsOffByMail() throws Exception {
    String leaving = "member7@import.example.net";
    // Sympa's own dump of the list's members, with the name and mode the file gave.
    ExecResult dump =
        server.execInContainer(
            "sh",
            "-c",
            SympaListServerContainer.SYMPA_PL
                + " --dump_users --list="
                + TEAM
                + " --role=member >/dev/null 2>&1 && cat /var/lib/sympa/list_data/team/member.dump");
    assertThat(dump.getStdout())
        .contains("email " + leaving + "\ngecos Member 7, Imported\n")
        .contains("email member42@import.example.net\ngecos Zoë Ünïcode, Imported\n");

    MailCommands.command(server, leaving, "signoff team");
    assertThat(
            Poll.until(
                () -> server.members("team"),
                members -> !members.contains(leaving),
                Duration.ofSeconds(60),
                Duration.ofMillis(250)))
        .hasSize(IMPORTED + 2);

    String id = server.post("alice@example.org", TEAM, "after the signoff", "One less.");
    sink.awaitRecipients(id, IMPORTED + 2, Duration.ofMinutes(5));
    server.awaitIdle(Duration.ofMinutes(2));
    List<String> recipients = SmtpSinkContainer.recipientsOf(sink.messagesContaining(id));
    assertThat(recipients).hasSize(IMPORTED + 2).doesNotContain(leaving);
  }

  @Test
  @Order(4)
  void withWelcomeEachNewMemberGetsTheListsWelcomeMessage() throws Exception {
    server.copyFileToContainer(
        Transferable.of(
            "welcomed@import.example.net,Welcome Me\n".getBytes(StandardCharsets.UTF_8)),
        "/tmp/welcome.csv");
    ExecResult result =
        server.execInContainer(
            "sympa-appliance-members", "add", "--welcome", TEAM, "/tmp/welcome.csv");
    assertThat(result.getExitCode()).as(result.getStderr()).isZero();

    List<ReceivedMessage> welcome =
        sink.awaitMessagesContaining("welcomed@import.example.net", 1, Duration.ofSeconds(60));
    assertThat(welcome).hasSize(1);
    assertThat(welcome.get(0).recipients()).containsExactly("welcomed@import.example.net");
    assertThat(welcome.get(0).subject()).contains("team");
  }
}
