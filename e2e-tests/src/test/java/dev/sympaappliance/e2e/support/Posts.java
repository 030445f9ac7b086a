package dev.sympaappliance.e2e.support;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;

import java.util.UUID;

/** Posts to the example's lists as members write them: a unique token as subject, a Message-ID. */
public final class Posts {
  private Posts() {}

  /** {@code what} and a random suffix: what a test looks for at the sink and in the spools. */
  public static String token(String what) {
    return what + "-" + UUID.randomUUID();
  }

  /** The lines of a post from {@code from} to LIST@DOMAIN whose Subject is {@code subject}. */
  public static String[] post(String from, String list, String subject) {
    return postTo(from, list + "@" + DOMAIN, subject);
  }

  /**
   * The lines of a post from {@code from} to {@code listAddress} whose Subject is {@code subject}.
   */
  public static String[] postTo(String from, String listAddress, String subject) {
    return new String[] {
      "From: " + from,
      "To: " + listAddress,
      "Subject: " + subject,
      "Message-ID: <" + UUID.randomUUID() + "@example.test>",
      "",
      "A post about " + subject + "."
    };
  }
}
