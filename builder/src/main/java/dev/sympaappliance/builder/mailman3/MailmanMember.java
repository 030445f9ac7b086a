package dev.sympaappliance.builder.mailman3;

/**
 * One membership of a Mailman list, as its roster and its combined preferences give it: {@code
 * email} and {@code display_name} (possibly empty) and {@code moderation_action} (null when the
 * default applies) from the member resource, {@code delivery_mode} and {@code delivery_status} from
 * {@code /members/ID/all/preferences}.
 */
record MailmanMember(
    String email,
    String displayName,
    String deliveryMode,
    String deliveryStatus,
    String moderationAction) {

  /** An owner or moderator: only the address and name matter. */
  static MailmanMember role(String email, String displayName) {
    return new MailmanMember(email, displayName, "regular", "enabled", null);
  }
}
