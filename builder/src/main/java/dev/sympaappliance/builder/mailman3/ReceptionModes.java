package dev.sympaappliance.builder.mailman3;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A member's Sympa reception mode from Mailman's DeliveryMode and DeliveryStatus
 * (src/mailman/interfaces/member.py): delivery disabled for any reason is nomail.
 */
final class ReceptionModes {
  private ReceptionModes() {}

  static final String NOMAIL = "nomail";

  /** Mailman's delivery_mode → Sympa's reception mode, in Mailman's order. */
  static final Map<String, String> BY_DELIVERY_MODE;

  static {
    Map<String, String> modes = new LinkedHashMap<>();
    modes.put("regular", "mail");
    modes.put("plaintext_digests", "digestplain");
    modes.put("mime_digests", "digest");
    modes.put("summary_digests", "summary");
    BY_DELIVERY_MODE = Collections.unmodifiableMap(modes);
  }

  /** The reception mode, or null for a delivery mode this importer does not know. */
  static String of(MailmanMember member) {
    if (!member.deliveryStatus().equals("enabled")) {
      return NOMAIL;
    }
    return BY_DELIVERY_MODE.get(member.deliveryMode());
  }
}
