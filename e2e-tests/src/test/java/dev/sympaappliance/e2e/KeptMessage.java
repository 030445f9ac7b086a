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
   * The body as a reader sees it: undone from quoted-printable or base64 when the message (a
   * single part, as Sympa's notices are) declares one.
   */
  String decodedBody() {
    String encoding = header("Content-Transfer-Encoding").orElse("").strip().toLowerCase(java.util.Locale.ROOT);
    String body = body();
    if (encoding.equals("base64")) {
      return new String(java.util.Base64.getMimeDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (encoding.equals("quoted-printable")) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      String joined = body.replaceAll("=\\r?\\n", "");
      for (int i = 0; i < joined.length(); i++) {
        char c = joined.charAt(i);
        if (c == '=' && i + 2 < joined.length() && joined.substring(i + 1, i + 3).matches("[0-9A-Fa-f]{2}")) {
          out.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
          i += 2;
        } else {
          out.write(c);
        }
      }
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
    return body;
  }

  /** The first link in the decoded body that starts with {@code prefix}, if any. */
  Optional<String> link(String prefix) {
    java.util.regex.Matcher link = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix)
        + "[^\\s\"<>]+").matcher(decodedBody());
    return link.find() ? Optional.of(link.group()) : Optional.empty();
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
