package dev.runfleet.producer.hookranges;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One CIDR block, IPv4 or IPv6. An address is inside when its first {@code prefix} bits equal the
 * block's: the address bytes are compared whole byte by byte, then the last partial byte under its
 * mask. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is the IPv4 address it maps, in a
 * block and as an address, so a dual-stack front end cannot slip an IPv4 caller past IPv4 ranges.
 * Text is parsed as a literal only: never a DNS lookup.
 */
public final class Cidr {

  private static final Pattern CIDR = Pattern.compile("([0-9A-Fa-f:.]{2,45})/(\\d{1,3})");
  private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * @throws IllegalArgumentException saying why {@code text} is no CIDR block: not {@code
   *     address/prefix}, an address that is no IPv4 or IPv6 literal, a prefix past the address's
   *     bits, or host bits set below the prefix
   */
  public static Cidr parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    Matcher m = CIDR.matcher(trimmed);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + trimmed + "' is not address/prefix");
    }
    byte[] written =
        literal(m.group(1))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'" + m.group(1) + "' is not an IPv4 or IPv6 address"));
    int prefix = Integer.parseInt(m.group(2));
    byte[] network = unmapped(written);
    // InetAddress gives an IPv4-mapped literal as its 4 IPv4 bytes already.
    if (m.group(1).indexOf(':') >= 0 && network.length == 4) {
      // ::ffff:a.b.c.d/P covers the IPv4 block a.b.c.d/(P - 96).
      if (prefix < 96) {
        throw new IllegalArgumentException(
            "'" + trimmed + "' spans more than the IPv4-mapped range ::ffff:0:0/96");
      }
      prefix -= 96;
    }
    if (prefix > network.length * 8) {
      throw new IllegalArgumentException(
          "'" + trimmed + "': prefix " + m.group(2) + " is longer than the address");
    }
    if (!Arrays.equals(network, masked(network, prefix))) {
      throw new IllegalArgumentException("'" + trimmed + "' has host bits set below the prefix");
    }
    return new Cidr(network, prefix, trimmed.toLowerCase(Locale.ROOT));
  }

  /** The address a literal names, or empty when {@code text} is no IPv4 or IPv6 literal. */
  public static Optional<InetAddress> address(String text) {
    return text == null ? Optional.empty() : literal(text.trim()).map(Cidr::inet);
  }

  /**
   * True when {@code address} lies inside this block; an IPv4 address is never in an IPv6 block.
   */
  public boolean contains(InetAddress address) {
    byte[] bytes = unmapped(address.getAddress());
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
  }

  /** The address bytes of an IPv4 or IPv6 literal; IPv6 only through InetAddress's literal path. */
  private static Optional<byte[]> literal(String text) {
    if (text.indexOf(':') < 0) {
      return ipv4(text);
    }
    if (!IPV6_CHARS.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      // A text with a colon is parsed as an IPv6 literal or refused, never looked up.
      return Optional.of(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Four decimal octets without leading zeros (which some parsers read as octal). */
  private static Optional<byte[]> ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!OCTET.matcher(parts[i]).matches()) {
        return Optional.empty();
      }
      out[i] = (byte) Integer.parseInt(parts[i]);
    }
    return Optional.of(out);
  }

  /** IPv4-mapped IPv6 bytes as the IPv4 bytes they map; any other address unchanged. */
  private static byte[] unmapped(byte[] bytes) {
    if (bytes.length != 16 || (bytes[10] & 0xff) != 0xff || (bytes[11] & 0xff) != 0xff) {
      return bytes;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return bytes;
      }
    }
    return Arrays.copyOfRange(bytes, 12, 16);
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = new byte[bytes.length];
    int whole = prefix / 8;
    System.arraycopy(bytes, 0, out, 0, whole);
    int rest = prefix % 8;
    if (rest > 0) {
      out[whole] = (byte) (bytes[whole] & (0xff << (8 - rest)));
    }
    return out;
  }

  private static InetAddress inet(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that
        && prefix == that.prefix
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  /** The block as written (trimmed, lower case). */
  @Override
  public String toString() {
    return text;
  }
}
