package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.Processes;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import dev.sympaappliance.testcontainers.SympaApplianceImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.net.smtp.SMTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * A spec whose list names a members file of 10,000 lines: the builder reads it (a bad line stops
 * the build with its file and line); at the first start Postfix answers while the list is made,
 * with 450 for the list's address until it and its members are in, then 250; and a post reaches
 * every member who takes mail.
 */
class FirstStartMembersIT {
  static final int MEMBERS = 10_000;
  static final int NOMAIL = 10;
  static final String TEAM = "team@" + DOMAIN;
  static final String IMAGE = "sympa-appliance-e2e-members-file:latest";

  @TempDir Path tmp;

  private Path spec(String members) throws IOException {
    Files.createDirectories(tmp.resolve("members"));
    Files.writeString(tmp.resolve("members/team.csv"), members);
    return Files.writeString(
        tmp.resolve("lists.yaml"),
        "domain: "
            + DOMAIN
            + "\n"
            + "listmaster: listmaster@example.org\n"
            + "relayhost: sink\n"
            + "lists:\n"
            + "  - name: team\n"
            + "    owners: [owner@example.org]\n"
            + "    members_file: members/team.csv\n");
  }

  @Test
  void aBadLineInTheMembersFileStopsTheBuildWithItsFileAndLine() throws IOException {
    Path spec = spec("# address,name,mode\na@example.net,A\nb@example.net,B,weekly\n");
    Processes.Result run =
        BuilderCli.run(
            tmp, Map.of(), List.of(), "image", "--spec", spec.toString(), "--tag", IMAGE);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("members/team.csv:3: mode 'weekly': expected a Sympa reception mode");
  }

  @Test
  void listMailGets450UntilTheListAndItsMembersAreInThen250AndAPostReachesThemAll()
      throws Exception {
    StringBuilder csv = new StringBuilder("# address,name,mode\n");
    List<String> takingMail = new ArrayList<>();
    for (int i = 0; i < MEMBERS + NOMAIL; i++) {
      String address = "member" + i + "@file.example.net";
      boolean nomail = i >= MEMBERS;
      csv.append(address).append(",\"Member ").append(i).append(nomail ? "\",nomail\n" : "\"\n");
      if (!nomail) {
        takingMail.add(address);
      }
    }
    ApplianceImages.standard(); // the base, in the real cache
    DockerImageName image = SympaApplianceImages.fromSpec(spec(csv.toString()), IMAGE);
    try (Network network = Network.newNetwork();
        SmtpSinkContainer sink = Sinks.relayHostOn(network);
        SympaListServerContainer server = SympaListServerContainer.relayingTo(image, sink)) {
      sink.start();
      CompletableFuture<Void> started = CompletableFuture.runAsync(server::start);
      List<Integer> replies = new ArrayList<>();
      while (!started.isDone()) {
        Integer reply = rcptReply(server, TEAM);
        if (reply != null
            && (replies.isEmpty() || !replies.get(replies.size() - 1).equals(reply))) {
          replies.add(reply);
        }
        try {
          started.get(200, TimeUnit.MILLISECONDS); // the next probe, unless the start is over
        } catch (TimeoutException stillStarting) {
          // probe again
        }
      }
      started.get();

      // Once port 25 answered, the list's address got 450 (never 550) until the list was in.
      assertThat(replies).as("replies to RCPT TO:<%s> while starting", TEAM).contains(450);
      assertThat(replies).allMatch(code -> code == 450 || code == 250);
      assertThat(rcptReply(server, TEAM)).isEqualTo(250);
      assertThat(rcptReply(server, "nobody@" + DOMAIN)).isEqualTo(550);

      String id = server.post("member0@file.example.net", TEAM, "to all", "Hello, 10,000 of you.");
      sink.awaitRecipients(id, MEMBERS, Duration.ofMinutes(5));
      server.awaitIdle(Duration.ofMinutes(2));
      List<String> recipients = SmtpSinkContainer.recipientsOf(sink.messagesContaining(id));
      assertThat(recipients).hasSize(MEMBERS);
      assertThat(new HashSet<>(recipients)).containsExactlyInAnyOrderElementsOf(takingMail);
    } finally {
      DockerClientFactory.instance().client().removeImageCmd(IMAGE).withForce(true).exec();
    }
  }

  /** The reply to RCPT TO:{@code to} on the published port; null while nothing answers there. */
  private static Integer rcptReply(SympaListServerContainer server, String to) {
    int port;
    try {
      port = server.getMappedPort(SympaListServerContainer.SMTP_PORT);
    } catch (RuntimeException notYetRunning) {
      return null;
    }
    SMTPClient smtp = new SMTPClient();
    smtp.setDefaultTimeout(5_000);
    try {
      smtp.connect(server.getHost(), port);
      if (smtp.getReplyCode() != 220) {
        return null;
      }
      smtp.helo("probe.example.net");
      smtp.setSender("probe@example.net");
      smtp.addRecipient(to);
      int reply = smtp.getReplyCode();
      smtp.logout();
      return reply;
    } catch (IOException nothingAnswersYet) {
      return null;
    } finally {
      try {
        smtp.disconnect();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }
}
