package dev.runfleet.producer.hookranges;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * GitHub's hook source ranges (the {@code hooks} list of its {@code meta} API) and the SSM
 * parameter value that carries them: the CIDR blocks comma-separated, in GitHub's order, e.g.
 * {@code 192.30.252.0/22,2a0a:a440::/29}. Never empty: an empty list would refuse every delivery.
 *
 * @param ranges the blocks, at least one
 */
public record HookRanges(List<Cidr> ranges) {

  /** A String parameter of SSM's standard tier holds at most this many characters. */
  public static final int MAX_VALUE_LENGTH = 4096;

  public HookRanges {
    ranges = List.copyOf(ranges);
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("the list of ranges is empty");
    }
    if (value(ranges).length() > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "the list of ranges is longer than an SSM parameter holds (" + MAX_VALUE_LENGTH + ")");
    }
  }

  /**
   * The ranges a parameter value holds.
   *
   * @param value the parameter's text; null when the parameter does not exist
   * @throws IllegalArgumentException saying why the value is no list of ranges
   */
  public static HookRanges parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("the parameter does not exist");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException("the list of ranges is empty");
    }
    return of(Arrays.asList(value.split(",", -1)));
  }

  /**
   * @throws IllegalArgumentException naming the first entry that is no CIDR block
   */
  public static HookRanges of(List<String> entries) {
    List<Cidr> ranges = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      try {
        ranges.add(Cidr.parse(entries.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("entry " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return new HookRanges(ranges);
  }

  /** True when {@code sourceIp} is an address literal inside one of the ranges. */
  public boolean admits(String sourceIp) {
    Optional<InetAddress> address = Cidr.address(sourceIp);
    return address.isPresent() && ranges.stream().anyMatch(r -> r.contains(address.get()));
  }

  /** The parameter value that holds these ranges. */
  public String value() {
    return value(ranges);
  }

  private static String value(List<Cidr> ranges) {
    return ranges.stream().map(Cidr::toString).collect(Collectors.joining(","));
  }

  /** For log lines: the count and the ranges. */
  public String describe() {
    return ranges.size() + " ranges [" + value() + "]";
  }
}
