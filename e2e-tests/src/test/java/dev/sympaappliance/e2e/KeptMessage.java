package dev.sympaappliance.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A message as the sink keeps it: smtp-sink's envelope lines, then the message as received. */
record KeptMessage(String text) {
  /** The envelope recipients (X-Rcpt-Args): one copy each. */
  List<String> recipients() {
    List<String> recipients = new ArrayList<>();
    for (String line : headerLines()) {
      recipient(line).ifPresent(recipients::add);
    }
    return recipients;
  }

  /** The address of an smtp-sink envelope line {@code X-Rcpt-Args: <ADDRESS> ...}; empty for other lines. */
  static Optional<String> recipient(String line) {
    return line.startsWith("X-Rcpt-Args: <")
        ? Optional.of(line.substring("X-Rcpt-Args: <".length(), line.indexOf('>'))) : Optional.empty();
  }

  /** The first top-level header named {@code name} (unfolded), if any. */
  Optional<String> header(String name) {
    List<String> lines = headerLines();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        StringBuilder value = new StringBuilder(lines.get(i).substring(name.length() + 1).strip());
        for (int j = i + 1; j < lines.size() && (lines.get(j).startsWith(" ") || lines.get(j).startsWith("\t")); j++) {
          value.append(' ').append(lines.get(j).strip());
        }
        return Optional.of(value.toString());
      }
    }
    return Optional.empty();
  }

  String body() {
    String normalised = text.replace("\r\n", "\n");
    int end = normalised.indexOf("\n\n");
    return end < 0 ? "" : normalised.substring(end + 2);
  }

  /**
   * The first link starting with {@code prefix} in a message to {@code address}. Sympa's notices
   * (password links, confirmations) are single 7-bit text parts, so the body is read as it is.
   */
  static Optional<String> linkTo(List<KeptMessage> messages, String address, String prefix) {
    java.util.regex.Pattern link = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "[^\\s\"<>]+");
    return messages.stream().filter(m -> m.recipients().contains(address))
        .map(m -> link.matcher(m.body())).filter(java.util.regex.Matcher::find).map(java.util.regex.Matcher::group)
        .findFirst();
  }

  private List<String> headerLines() {
    String normalised = text.replace("\r\n", "\n");
    int end = normalised.indexOf("\n\n");
    return List.of((end < 0 ? normalised : normalised.substring(0, end)).split("\n"));
  }

  static List<KeptMessage> of(List<String> texts) {
    return texts.stream().map(KeptMessage::new).toList();
  }
}
