package dev.sympaappliance.builder.mailman3;

import java.util.ArrayList;
import java.util.List;

/**
 * What a list does with posts, who may join it, its archives and whether it is listed: the terms in
 * which Mailman's policies and Sympa's list templates are compared.
 */
record ListBehaviour(
    Posts members, Posts nonmembers, Joining joining, Archive archive, boolean listed) {

  enum Posts {
    DISTRIBUTED("distributed"),
    HELD("held for the moderators"),
    REFUSED("refused");

    final String words;

    Posts(String words) {
      this.words = words;
    }

    /**
     * Mailman's moderation Action (src/mailman/interfaces/action.py): defer lets the other posting
     * rules decide, so a post is distributed unless another rule holds it.
     */
    static Posts ofMailmanAction(String action) {
      return switch (action) {
        case "accept", "defer" -> DISTRIBUTED;
        case "reject", "discard" -> REFUSED;
        default -> HELD; // hold, or an action this importer does not know: the cautious reading
      };
    }
  }

  enum Joining {
    OPEN("open to anyone"),
    APPROVED("approved by the owners or moderators");

    final String words;

    Joining(String words) {
      this.words = words;
    }

    /** Mailman's SubscriptionPolicy: open, confirm, moderate, confirm_then_moderate. */
    static Joining ofMailmanPolicy(String policy) {
      return policy.equals("open") || policy.equals("confirm") ? OPEN : APPROVED;
    }
  }

  enum Archive {
    PUBLIC("public"),
    PRIVATE("for members only"),
    NONE("not kept");

    final String words;

    Archive(String words) {
      this.words = words;
    }

    /** Mailman's ArchivePolicy: public, private, never. */
    static Archive ofMailmanPolicy(String policy) {
      return switch (policy) {
        case "public" -> PUBLIC;
        case "never" -> NONE;
        default -> PRIVATE;
      };
    }
  }

  /** The Mailman settings that decide a list's behaviour, in the order they are reported. */
  static final List<String> MAILMAN_SETTINGS =
      List.of(
          "default_member_action",
          "default_nonmember_action",
          "subscription_policy",
          "archive_policy",
          "advertised");

  static ListBehaviour ofMailman(MailmanList list) {
    return new ListBehaviour(
        Posts.ofMailmanAction(list.text("default_member_action")),
        Posts.ofMailmanAction(list.text("default_nonmember_action")),
        Joining.ofMailmanPolicy(list.text("subscription_policy")),
        Archive.ofMailmanPolicy(list.text("archive_policy")),
        list.text("advertised").equals("true"));
  }

  /**
   * Where {@code sympa} (a template's behaviour) does otherwise than this (Mailman's), one line
   * each, naming the Mailman setting and its value.
   */
  List<String> differencesFrom(ListBehaviour sympa, String type, MailmanList list) {
    List<String> out = new ArrayList<>();
    Difference found =
        (what, mailman, sympaWords, setting) -> {
          if (!mailman.equals(sympaWords)) {
            out.add(
                what
                    + ": Mailman "
                    + mailman
                    + " ("
                    + setting
                    + " "
                    + list.text(setting)
                    + "), Sympa's "
                    + type
                    + ": "
                    + sympaWords);
          }
        };
    found.compare("members' posts", members.words, sympa.members.words, MAILMAN_SETTINGS.get(0));
    found.compare(
        "non-members' posts", nonmembers.words, sympa.nonmembers.words, MAILMAN_SETTINGS.get(1));
    found.compare("subscription", joining.words, sympa.joining.words, MAILMAN_SETTINGS.get(2));
    found.compare("archives", archive.words, sympa.archive.words, MAILMAN_SETTINGS.get(3));
    found.compare(
        "visibility", visibility(listed), visibility(sympa.listed), MAILMAN_SETTINGS.get(4));
    return out;
  }

  private interface Difference {
    void compare(String what, String mailman, String sympa, String setting);
  }

  private static String visibility(boolean listed) {
    return listed ? "listed for everyone" : "hidden from non-members";
  }
}
