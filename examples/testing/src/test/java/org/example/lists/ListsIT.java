package org.example.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import dev.sympaappliance.testcontainers.SympaApplianceContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our list server, built from our spec file, tested with real mail. */
class ListsIT {
  static final Duration MAIL = Duration.ofMinutes(2);
  static final SmtpSinkContainer sink = new SmtpSinkContainer();
  static final SympaApplianceContainer lists =
      SympaApplianceContainer.fromSpec(Path.of("../lists.yaml")).withSink(sink);

  @BeforeAll
  static void start() {
    lists.start();
  }

  @AfterAll
  static void stop() {
    lists.stop();
    sink.stop();
  }

  @Test
  void aPostToTeamReachesEachMemberOnceAndNobodyElse() {
    String id = lists.post("alice@example.org", "team@lists.example.org", "Agenda", "Monday at ten.");

    List<ReceivedMessage> copies = lists.awaitCopies(id, 3, MAIL);

    assertThat(SmtpSinkContainer.recipientsOf(copies))
        .containsExactlyInAnyOrder("alice@example.org", "bob@example.org", "carol@example.net");
    assertThat(copies).allSatisfy(copy -> {
      assertThat(copy.header("List-Id")).hasValueSatisfying(id2 -> assertThat(id2).contains("team.lists.example.org"));
      assertThat(copy.text()).contains("Monday at ten.");
    });
  }

  @Test
  void aStrangersPostToTheNewsletterIsNotDistributed() {
    String id = lists.post("stranger@example.com", "announce@lists.example.org", "Buy now", "Cheap.");

    assertThat(lists.copiesOnceIdle(id, MAIL)).noneMatch(copy -> copy.header("List-Id").isPresent());
  }

  @Test
  void theMembersAreThoseOfTheSpec() {
    assertThat(lists.members("team")).containsExactly("alice@example.org", "bob@example.org", "carol@example.net");
  }

  @Test
  void theWebInterfaceServesTheLists() {
    var page = lists.get("/sympa/lists");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("team", "announce");
  }

  @Test
  void aNewcomerWhoAsksByMailIsSentAConfirmationLinkAndIsNotYetAMember() {
    lists.post("dora@example.com", "sympa@lists.example.org", "subscribe team Dora", "");
    String link = sink.awaitLink("dora@example.com", "http://lists.example.org/sympa/auth/", MAIL);

    assertThat(lists.members("team")).doesNotContain("dora@example.com");
    assertThat(lists.get(link).statusCode()).isEqualTo(200);
  }
}
