package dev.sympaappliance.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.MessageBuilder;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;

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

  /**
   * The text a reader sees: every text part (text/plain, text/html; in multiparts and in quoted
   * messages too), its transfer encoding (base64, quoted-printable) and charset decoded by
   * Apache James mime4j, joined by newlines.
   */
  String decodedText() {
    MessageBuilder builder = new DefaultMessageBuilder();
    try {
      Message message = builder.parseMessage(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
      StringBuilder out = new StringBuilder();
      appendTextParts(message, out);
      return out.toString();
    } catch (IOException | MimeException e) {
      throw new IllegalStateException("the kept message does not parse as MIME: " + e.getMessage(), e);
    }
  }

  private static void appendTextParts(Entity entity, StringBuilder out) throws IOException {
    Body body = entity.getBody();
    if (body instanceof Multipart multipart) {
      for (Entity part : multipart.getBodyParts()) {
        appendTextParts(part, out);
      }
    } else if (body instanceof Message quoted) {
      appendTextParts(quoted, out);
    } else if (body instanceof TextBody textBody && entity.getMimeType().startsWith("text/")) {
      try (Reader reader = textBody.getReader()) {
        StringWriter decoded = new StringWriter();
        reader.transferTo(decoded);
        out.append(decoded);
      }
      out.append('\n');
    }
  }

  /** The first link starting with {@code prefix} in the decoded text of a message to {@code address}. */
  static Optional<String> linkTo(List<KeptMessage> messages, String address, String prefix) {
    java.util.regex.Pattern link = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "[^\\s\"<>]+");
    return messages.stream().filter(m -> m.recipients().contains(address))
        .map(m -> link.matcher(m.decodedText())).filter(java.util.regex.Matcher::find)
        .map(java.util.regex.Matcher::group).findFirst();
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
