package dev.sympaappliance.e2e.support;

import java.util.regex.Pattern;

/** RFC 8058 one-click unsubscribe as the copies carry it. */
public final class OneClick {
  private OneClick() {}

  /** The https:// URL in a List-Unsubscribe header. */
  public static final Pattern HTTPS_URL = Pattern.compile("<(https://[^>]+)>");

  /** The body of a one-click POST, and the value of List-Unsubscribe-Post. */
  public static final String ONE_CLICK = "List-Unsubscribe=One-Click";
}
