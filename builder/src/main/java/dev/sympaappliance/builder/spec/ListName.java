package dev.sympaappliance.builder.spec;

/** The name of a mailing list: the local part of the list's address and of its suffixed addresses. */
public record ListName(String value) {
  public ListName {
    if (!value.equals(Grammar.listName("list", value))) {
      throw new InvalidSpecException("list", value, "must be lower case");
    }
  }

  public static ListName parse(String field, String raw) {
    return new ListName(Grammar.listName(field, raw));
  }

  @Override
  public String toString() {
    return value;
  }
}
