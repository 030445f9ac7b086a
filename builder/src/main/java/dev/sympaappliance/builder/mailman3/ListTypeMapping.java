package dev.sympaappliance.builder.mailman3;

import static dev.sympaappliance.builder.mailman3.ListBehaviour.Archive.PRIVATE;
import static dev.sympaappliance.builder.mailman3.ListBehaviour.Archive.PUBLIC;
import static dev.sympaappliance.builder.mailman3.ListBehaviour.Joining.APPROVED;
import static dev.sympaappliance.builder.mailman3.ListBehaviour.Joining.OPEN;
import static dev.sympaappliance.builder.mailman3.ListBehaviour.Posts.DISTRIBUTED;
import static dev.sympaappliance.builder.mailman3.ListBehaviour.Posts.HELD;

import java.util.function.Predicate;

/**
 * The one place where a Mailman list's policies choose its Sympa list template: the first rule that
 * matches wins. Each template's behaviour is read from its config.tt2 in Sympa's
 * default/create_list_templates: {@code send} (privateoreditorkey: members post, others are held;
 * editorkeyonly: every post is held; public: anyone posts), {@code subscribe} (open, open_notify;
 * owner: the owners approve), {@code archive.web_access} and {@code visibility} (conceal: hidden
 * from non-members). Not chosen: confidential (subscription closed, which Mailman cannot be),
 * public_web_forum and html-news-letter (a web forum's and HTML mail's defaults, which no Mailman
 * policy says).
 */
enum ListTypeMapping {
  NEWS_LETTER(
      "news-letter",
      new ListBehaviour(HELD, HELD, OPEN, PUBLIC, true),
      "members' posts are not distributed as sent: an announce list, where the moderators approve"
          + " every post",
      mailman -> mailman.members() != DISTRIBUTED),
  HOTLINE(
      "hotline",
      new ListBehaviour(DISTRIBUTED, DISTRIBUTED, APPROVED, PRIVATE, true),
      "non-members' posts are distributed: anyone may post",
      mailman -> mailman.nonmembers() == DISTRIBUTED),
  PRIVATE_WORKING_GROUP(
      "private_working_group",
      new ListBehaviour(DISTRIBUTED, HELD, APPROVED, PRIVATE, false),
      "members post, non-members do not, the owners or moderators approve subscriptions, and the"
          + " archives are not public or the list is not advertised: a private group",
      mailman ->
          mailman.joining() == APPROVED && (mailman.archive() != PUBLIC || !mailman.listed())),
  DISCUSSION_LIST(
      "discussion_list",
      new ListBehaviour(DISTRIBUTED, HELD, OPEN, PUBLIC, true),
      "members post, non-members do not, and it is not a private group (approved subscription"
          + " with private archives or not advertised)",
      mailman -> true);

  /** The Sympa list template (a spec's {@code type}). */
  final String type;

  /** What the template does, from its config.tt2. */
  final ListBehaviour sympa;

  /** Why a list whose policies match this rule gets this template. */
  final String reason;

  private final Predicate<ListBehaviour> matches;

  ListTypeMapping(
      String type, ListBehaviour sympa, String reason, Predicate<ListBehaviour> matches) {
    this.type = type;
    this.sympa = sympa;
    this.reason = reason;
    this.matches = matches;
  }

  /** The first rule that matches Mailman's behaviour. */
  static ListTypeMapping of(ListBehaviour mailman) {
    for (ListTypeMapping rule : values()) {
      if (rule.matches.test(mailman)) {
        return rule;
      }
    }
    throw new AssertionError("the last rule matches every list");
  }
}
