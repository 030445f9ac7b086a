package dev.sympaappliance.builder.mailman3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paging, credentials and errors against {@link FakeMailmanCore}. */
class MailmanRestClientTest {
  private FakeMailmanCore mailman;

  @BeforeEach
  void start() throws IOException {
    mailman = new FakeMailmanCore();
  }

  @AfterEach
  void stop() {
    mailman.close();
  }

  private MailmanRestClient client(String password, int pageSize) {
    return new MailmanRestClient(URI.create(mailman.url()), "restadmin", password, pageSize);
  }

  @Test
  void readsACollectionPageByPageUntilItsTotalSize() throws IOException {
    for (String host :
        List.of(
            "a.example.org", "b.example.org", "c.example.org", "d.example.org", "e.example.org")) {
      mailman.domain(host);
    }

    List<JsonNode> domains = client(FakeMailmanCore.PASSWORD, 2).collection("domains");

    assertThat(domains)
        .extracting(d -> d.path("mail_host").asText())
        .containsExactly(
            "a.example.org", "b.example.org", "c.example.org", "d.example.org", "e.example.org");
    assertThat(mailman.requests())
        .containsExactly(
            "/3.1/domains?count=2&page=1",
            "/3.1/domains?count=2&page=2",
            "/3.1/domains?count=2&page=3");
  }

  @Test
  void anEmptyCollectionHasNoEntriesAndIsOnePage() throws IOException {
    assertThat(client(FakeMailmanCore.PASSWORD, 2).collection("domains")).isEmpty();
    assertThat(mailman.requests()).containsExactly("/3.1/domains?count=2&page=1");
  }

  @Test
  void manySingleResourcesComeBackInTheirOrder() throws IOException {
    mailman.domain("lists.example.org");
    List<JsonNode> answers =
        client(FakeMailmanCore.PASSWORD, 2)
            .getAll(List.of("domains", "system/configuration/mailman", "domains"));
    assertThat(answers.get(0).path("total_size").asInt()).isEqualTo(1);
    assertThat(answers.get(1).path("site_owner").asText()).isEqualTo("changeme@example.com");
    assertThat(answers.get(2).path("total_size").asInt()).isEqualTo(1);
  }

  @Test
  void refusedCredentialsAreBadInputAndAMissingResourceAFailure() {
    assertThatThrownBy(() -> client("wrong", 2).get("domains"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("refused the credentials of restadmin (HTTP 401)");
    assertThatThrownBy(
            () -> client(FakeMailmanCore.PASSWORD, 2).get("lists/none.example.org/config"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Mailman core answered HTTP 404 to GET "
                + mailman.url()
                + "/lists/none.example.org/config");
  }

  @Test
  void aPathSegmentIsEscaped() {
    assertThat(MailmanRestClient.segment("team.lists.example.org"))
        .isEqualTo("team.lists.example.org");
    assertThat(MailmanRestClient.segment("a b/c?d#é")).isEqualTo("a%20b%2Fc%3Fd%23%C3%A9");
  }
}
