package dev.sympaappliance.builder.mailman3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sympaappliance.builder.spec.Grammar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mailman's policies → Sympa's list template. Mailman's values are its enumerations'
 * (src/mailman/interfaces/action.py, mailinglist.py, archiver.py).
 */
class ListTypeMappingTest {
  static MailmanList list(
      String memberAction,
      String nonmemberAction,
      String subscription,
      String archive,
      boolean advertised) {
    Map<String, JsonNode> config = new LinkedHashMap<>();
    config.put("list_name", TextNode.valueOf("team"));
    config.put("default_member_action", TextNode.valueOf(memberAction));
    config.put("default_nonmember_action", TextNode.valueOf(nonmemberAction));
    config.put("subscription_policy", TextNode.valueOf(subscription));
    config.put("archive_policy", TextNode.valueOf(archive));
    config.put("advertised", BooleanNode.valueOf(advertised));
    return new MailmanList("team.lists.example.org", config, List.of(), List.of(), List.of());
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} advertised {4} → {5}")
  @CsvSource({
    // Mailman's defaults (legacy-default style): a discussion list
    "defer,   hold,    confirm,               public,  true,  discussion_list",
    "accept,  reject,  open,                  public,  true,  discussion_list",
    "defer,   discard, moderate,              public,  true,  discussion_list",
    // members' posts held or refused: an announce list, whatever else
    "hold,    hold,    confirm,               public,  true,  news-letter",
    "reject,  accept,  moderate,              private, false, news-letter",
    "discard, hold,    confirm,               never,   true,  news-letter",
    // non-members' posts distributed: anyone may post
    "defer,   accept,  confirm,               public,  true,  hotline",
    "accept,  defer,   moderate,              private, false, hotline",
    // approved subscription and private archives or not advertised: a private group
    "defer,   hold,    moderate,              private, true,  private_working_group",
    "defer,   hold,    confirm_then_moderate, public,  false, private_working_group",
    "defer,   reject,  moderate,              never,   true,  private_working_group",
    // private archives alone, or unadvertised alone, with open subscription: still a discussion
    "defer,   hold,    confirm,               private, false, discussion_list",
  })
  void theFirstMatchingRuleChoosesTheType(
      String member,
      String nonmember,
      String subscription,
      String archive,
      boolean advertised,
      String type) {
    MailmanList list = list(member, nonmember, subscription, archive, advertised);
    assertThat(ListTypeMapping.of(ListBehaviour.ofMailman(list)).type).isEqualTo(type);
  }

  @Test
  void everyTypeChosenIsASympaTemplateTheApplianceOffers() {
    for (ListTypeMapping rule : ListTypeMapping.values()) {
      assertThat(Grammar.LIST_TYPES).contains(rule.type);
    }
  }

  @Test
  void theDifferencesNameMailmansSettingAndValue() {
    MailmanList list = list("defer", "reject", "confirm", "private", false);
    ListTypeMapping rule = ListTypeMapping.of(ListBehaviour.ofMailman(list));
    assertThat(rule).isEqualTo(ListTypeMapping.DISCUSSION_LIST);
    assertThat(ListBehaviour.ofMailman(list).differencesFrom(rule.sympa, rule.type, list))
        .containsExactly(
            "non-members' posts: Mailman refused (default_nonmember_action reject), Sympa's"
                + " discussion_list: held for the moderators",
            "archives: Mailman for members only (archive_policy private), Sympa's discussion_list:"
                + " public",
            "visibility: Mailman hidden from non-members (advertised false), Sympa's"
                + " discussion_list: listed for everyone");
  }

  @Test
  void anActionThisImporterDoesNotKnowIsReadAsHeld() {
    MailmanList list = list("quarantine", "hold", "confirm", "public", true);
    assertThat(ListTypeMapping.of(ListBehaviour.ofMailman(list)))
        .isEqualTo(ListTypeMapping.NEWS_LETTER);
  }
}
