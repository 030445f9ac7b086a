package dev.sympaappliance.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.Processes;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import dev.sympaappliance.testcontainers.SympaApplianceContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The first command a new user types, {@code builder image --domain lists.example.org}, through the
 * real CLI: it builds a full list server without --listmaster, says who the listmaster is
 * (postmaster@ the parent domain), and that server starts healthy and forwards mail for its
 * listmaster to that address. The relay host (the sink) is the one option added, so that the mail
 * can be seen leaving.
 */
class FirstCommandIT {
  private static final String IMAGE = "sympa-appliance-e2e-first-command:latest";

  @TempDir Path tmp;

  @Test
  void theDomainAloneBuildsAServerWhoseListmasterIsPostmasterOfTheParentDomain() {
    ApplianceImages.standard(); // the base, in the real cache
    try {
      Processes.Result built =
          BuilderCli.runOk(
              tmp,
              Map.of(),
              List.of(),
              "image",
              "--domain",
              "lists.example.org",
              "--relayhost",
              "sink",
              "--tag",
              IMAGE);
      assertThat(built.stderr())
          .contains(
              "listmaster: postmaster@example.org (the default: postmaster@ the parent domain;");

      try (SmtpSinkContainer sink = new SmtpSinkContainer();
          SympaApplianceContainer server = new SympaApplianceContainer(IMAGE).withSink(sink)) {
        server.start();
        String id =
            server.post(
                "someone@example.net",
                "listmaster@lists.example.org",
                "for the listmaster",
                "Who runs this list server?");
        assertThat(SmtpSinkContainer.recipientsOf(server.awaitCopies(id, 1, Duration.ofMinutes(2))))
            .containsExactly("postmaster@example.org");
      }
    } finally {
      DockerClientFactory.instance().client().removeImageCmd(IMAGE).withForce(true).exec();
    }
  }
}
