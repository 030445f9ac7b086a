package dev.sympaappliance.builder.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The files a user names (the spec file, a list's members file), read as the grammar reads them.
 */
final class UserFiles {
  private UserFiles() {}

  /**
   * The UTF-8 text of {@code path}, read no further than {@code maxBytes}. Every failure is one
   * error of {@code field} (given as {@code raw}) that calls the file {@code what}; a file larger
   * than {@code maxBytes} gets {@code tooLarge} as its rule.
   */
  static String readUtf8(
      Path path, String field, String raw, String what, int maxBytes, String tooLarge) {
    byte[] bytes;
    try {
      if (Files.isDirectory(path)) {
        throw new InvalidSpecException(field, raw, "cannot read " + what + ": it is a directory");
      }
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes(maxBytes + 1);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidSpecException(field, raw, "cannot read " + what + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InvalidSpecException(field, raw, "cannot read " + what + ": permission denied");
    } catch (IOException e) {
      throw new InvalidSpecException(
          field, raw, "cannot read " + what + ": " + e.getClass().getSimpleName());
    }
    if (bytes.length > maxBytes) {
      throw new InvalidSpecException(field, raw, tooLarge);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidSpecException(field, raw, what + " is not UTF-8 text");
    }
  }
}
