package dev.sympaappliance.testcontainers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * A message as the sink kept it: Postfix's smtp-sink writes the envelope (one {@code X-Rcpt-Args}
 * line per recipient of this copy) above the message as received. Parsed by Apache James mime4j:
 * headers unfolded and decoded, text parts decoded from their transfer encoding and charset,
 * attachments as bytes.
 */
public final class ReceivedMessage {
  private static final Pattern RECIPIENT = Pattern.compile("^<([^>]*)>");

  private final byte[] raw;
  private final Message message;

  private ReceivedMessage(byte[] raw) {
    this.raw = raw.clone();
    DefaultMessageBuilder builder = new DefaultMessageBuilder();
    builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
    try {
      this.message = builder.parseMessage(new ByteArrayInputStream(this.raw));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the kept message does not parse as MIME: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a kept message.
   *
   * @param raw the file the sink kept, byte for byte
   * @return the parsed message
   * @throws IllegalArgumentException when the bytes do not parse as a message
   */
  public static ReceivedMessage parse(byte[] raw) {
    return new ReceivedMessage(raw);
  }

  /**
   * Parses a kept message given as text (UTF-8).
   *
   * @param raw the file the sink kept
   * @return the parsed message
   */
  public static ReceivedMessage parse(String raw) {
    return new ReceivedMessage(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The envelope recipients of this copy (smtp-sink's {@code X-Rcpt-Args} lines): a member who got
   * two copies appears in two messages.
   *
   * @return the addresses, in the order of the envelope
   */
  public List<String> recipients() {
    List<String> recipients = new ArrayList<>();
    for (String value : headers("X-Rcpt-Args")) {
      Matcher address = RECIPIENT.matcher(value);
      if (address.find()) {
        recipients.add(address.group(1));
      }
    }
    return recipients;
  }

  /**
   * The address of the client that handed the sink this copy (smtp-sink's {@code X-Client-Addr}):
   * which server the copy left from.
   *
   * @return the IP address, or empty when the sink did not record one
   */
  public Optional<String> clientAddress() {
    return header("X-Client-Addr");
  }

  /**
   * The first top-level header named {@code name} (case-insensitive), unfolded, with RFC 2047
   * encoded words decoded.
   *
   * @param name a header field name, such as {@code List-Id}
   * @return its value, or empty when the message has no such header
   */
  public Optional<String> header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Every top-level header named {@code name} (case-insensitive), in order, unfolded and decoded.
   *
   * @param name a header field name, such as {@code Received}
   * @return the values; empty when there is none
   */
  public List<String> headers(String name) {
    List<String> values = new ArrayList<>();
    for (Field field : message.getHeader().getFields(name)) {
      values.add(
          DecoderUtil.decodeEncodedWords(unfold(field.getBody()), DecodeMonitor.SILENT).strip());
    }
    return values;
  }

  private static String unfold(String value) {
    return value.replaceAll("\r?\n[ \t]+", " ");
  }

  /**
   * The Message-ID, without its angle brackets.
   *
   * @return the Message-ID, or empty when the message has none
   */
  public Optional<String> messageId() {
    return header("Message-ID").map(id -> id.replaceAll("^<|>$", ""));
  }

  /**
   * The decoded Subject.
   *
   * @return the subject, or an empty string when there is none
   */
  public String subject() {
    return header("Subject").orElse("");
  }

  /**
   * The text a reader sees: every text part ({@code text/plain}, {@code text/html}, in multiparts
   * and in attached messages too) decoded from base64 or quoted-printable and from its charset,
   * joined by newlines. Attachments with a file name are not included.
   *
   * @return the decoded text
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    try {
      appendText(message, out);
    } catch (IOException e) {
      throw new IllegalStateException(
          "a text part of the kept message cannot be read: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void appendText(Entity entity, StringBuilder out) throws IOException {
    Body body = entity.getBody();
    if (body instanceof Multipart multipart) {
      for (Entity part : multipart.getBodyParts()) {
        appendText(part, out);
      }
    } else if (body instanceof Message attached) {
      appendText(attached, out);
    } else if (body instanceof TextBody textBody
        && entity.getMimeType().startsWith("text/")
        && entity.getFilename() == null) {
      try (Reader reader = textBody.getReader()) {
        StringWriter decoded = new StringWriter();
        reader.transferTo(decoded);
        out.append(decoded).append('\n');
      }
    }
  }

  /**
   * The parts that carry a file name (an attachment or a named inline part), decoded.
   *
   * @return the attachments, in the order of the message
   */
  public List<Attachment> attachments() {
    List<Attachment> attachments = new ArrayList<>();
    try {
      collectAttachments(message, attachments);
    } catch (IOException e) {
      throw new IllegalStateException(
          "an attachment of the kept message cannot be read: " + e.getMessage(), e);
    }
    return attachments;
  }

  private static void collectAttachments(Entity entity, List<Attachment> out) throws IOException {
    Body body = entity.getBody();
    if (body instanceof Multipart multipart) {
      for (Entity part : multipart.getBodyParts()) {
        collectAttachments(part, out);
      }
    } else if (entity.getFilename() != null
        && (body instanceof BinaryBody || body instanceof TextBody)) {
      try (InputStream in = ((SingleBody) body).getInputStream()) {
        out.add(new Attachment(entity.getFilename(), entity.getMimeType(), in.readAllBytes()));
      }
    } else if (body instanceof Message attached) {
      collectAttachments(attached, out);
    }
  }

  /**
   * The links in the decoded text that start with {@code prefix}, such as the confirmation link of
   * a subscription ({@code https://lists.example.org/sympa/ticket/}).
   *
   * @param prefix the start of the link
   * @return every such link, in the order of the text
   */
  public List<String> links(String prefix) {
    Matcher link = Pattern.compile(Pattern.quote(prefix) + "[^\\s\"<>]+").matcher(text());
    List<String> links = new ArrayList<>();
    while (link.find()) {
      links.add(link.group());
    }
    return links;
  }

  /**
   * The message as the sink kept it (envelope lines first), read as UTF-8.
   *
   * @return the raw text
   */
  public String raw() {
    return new String(raw, StandardCharsets.UTF_8);
  }

  /**
   * The message as the sink kept it, byte for byte: what a DKIM verifier needs.
   *
   * @return a copy of the bytes
   */
  public byte[] rawBytes() {
    return raw.clone();
  }

  @Override
  public String toString() {
    return "ReceivedMessage[to "
        + recipients()
        + ", Subject: "
        + subject()
        + ", Message-ID: "
        + messageId().orElse("none")
        + "]";
  }

  /**
   * A part of a message that carries a file name.
   *
   * @param fileName the part's file name (Content-Disposition or Content-Type name)
   * @param mimeType the part's MIME type, such as {@code application/pdf}
   * @param content the part's bytes, decoded from its transfer encoding
   */
  public record Attachment(String fileName, String mimeType, byte[] content) {}
}
