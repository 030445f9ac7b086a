package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The error contract every user value shares, for the tests of each value's rule. */
public final class Rejections {
  private Rejections() {}

  /**
   * Asserts that {@code parse} refuses {@code raw} with one exception, one line, starting with
   * "invalid FIELD " and followed by the value as {@code quoted} shows it.
   */
  public static InvalidSpecException assertRejected(
      ThrowingCallable parse, String field, String raw, String quoted) {
    InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, parse);
    assertThat(e).as("InvalidSpecException for %s", quoted).isNotNull();
    assertThat(e.getMessage())
        .doesNotContain("\n")
        .doesNotContain("\r")
        .startsWith("invalid " + field + " " + quoted + ": ");
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.value()).isEqualTo(raw);
    return e;
  }
}
