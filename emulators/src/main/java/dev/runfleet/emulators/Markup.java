package dev.runfleet.emulators;

/** Escaping for the XML and HTML the local tools write. */
public final class Markup {

  private Markup() {}

  /** {@code value} made safe as element text or as a quoted attribute value, in XML and HTML. */
  public static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
