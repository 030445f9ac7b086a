package dev.sympaappliance.builder.spec;

import dev.sympaappliance.builder.spec.UserInput.SubscriberInput;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A list's {@code members_file}: one member a line, {@code ADDRESS[,NAME[,MODE]]} in CSV (RFC
 * 4180), the format {@code sympa-appliance-members} reads on a running server. Blank lines and
 * lines starting with {@code #} are skipped; a byte-order mark is allowed. Each member keeps its
 * place, {@code FILE:LINE}, so that the grammar's errors name the line. Read line by line, so that
 * a member never spans lines (names are one line).
 */
final class MemberFile {
  private MemberFile() {}

  /** Larger files are refused before they are read (100,000 members take about 5 MB). */
  static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

  /** A member with the place of each of its values, as {@link UserInput#sources()} keeps them. */
  record Member(SubscriberInput input, String place) {}

  /**
   * The members of the file {@code raw} names, relative to the directory of the spec file {@code
   * specName}; {@code field} names the {@code members_file} key for errors about the file itself.
   */
  static List<Member> read(String specName, String raw, String field) {
    Text.requirePrintableOrSpace(field, raw, "a file path");
    Path path;
    try {
      path = Path.of(specName).resolveSibling(raw);
    } catch (InvalidPathException e) {
      throw new InvalidSpecException(field, raw, "not a file path");
    }
    String shown = path.toString();
    List<Member> members = new ArrayList<>();
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setCommentMarker('#')
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .build();
    String text = text(path, raw, field);
    int[] lineStarts = lineStarts(text);
    try (CSVParser parser = format.parse(new StringReader(text))) {
      Iterator<CSVRecord> records = parser.iterator();
      while (true) {
        CSVRecord record;
        try {
          if (!records.hasNext()) {
            break;
          }
          record = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          long line = Math.max(1, Math.min(parser.getCurrentLineNumber(), lineStarts.length));
          throw new InvalidSpecException(
              shown + ":" + line,
              "not CSV (ADDRESS[,NAME[,MODE]]; quote a name that holds a comma or a quote)");
        }
        String place = shown + ":" + lineOf(text, lineStarts, record.getCharacterPosition());
        if (record.size() > 3) {
          throw new InvalidSpecException(
              place, "more than three fields; a member is ADDRESS[,NAME[,MODE]]");
        }
        String name = record.size() > 1 && !record.get(1).isEmpty() ? record.get(1) : null;
        String mode = record.size() > 2 && !record.get(2).isEmpty() ? record.get(2) : null;
        members.add(new Member(new SubscriberInput(record.get(0), name, mode), place));
      }
    } catch (IOException e) {
      throw new InvalidSpecException(field, raw, "cannot read the members file " + path);
    }
    return members;
  }

  /** Where each line starts in {@code text}. */
  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = text.indexOf('\n');
        i >= 0 && i + 1 < text.length();
        i = text.indexOf('\n', i + 1)) {
      starts.add(i + 1);
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The line (from 1) of a record that starts at {@code position}: a record's position is where the
   * previous one ended, before the blank and comment lines it skips.
   */
  private static int lineOf(String text, int[] lineStarts, long position) {
    int found = Arrays.binarySearch(lineStarts, (int) position);
    int line = found >= 0 ? found + 1 : -found - 1;
    while (line < lineStarts.length) {
      int end = text.indexOf('\n', lineStarts[line - 1]);
      String content = text.substring(lineStarts[line - 1], end < 0 ? text.length() : end);
      if (!content.isBlank() && !content.strip().startsWith("#")) {
        break;
      }
      line++;
    }
    return line;
  }

  private static String text(Path path, String raw, String field) {
    String text =
        UserFiles.readUtf8(
            path,
            field,
            raw,
            "the members file " + path,
            MAX_FILE_BYTES,
            "the members file is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MB");
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
