package dev.runfleet.local.cli;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The checks options share, each failing as a usage error that names the option and the value, so a
 * command checks every option before it starts anything.
 */
final class OptionChecks {

  static final int MAX_CAP = 100_000;

  private OptionChecks() {}

  /** A port to listen on: 0 (any free port) to 65535. */
  static int port(CommandLine command, String option, int port) {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          command, option + " must be 0 (any free port) to 65535, was " + port);
    }
    return port;
  }

  static int atLeast(CommandLine command, String option, int value, int min) {
    if (value < min) {
      throw new ParameterException(command, option + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  static int between(CommandLine command, String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(
          command, option + " must be from " + min + " to " + max + ", was " + value);
    }
    return value;
  }

  static int cap(CommandLine command, String option, int cap) {
    if (cap < 0 || cap > MAX_CAP) {
      throw new ParameterException(
          command, option + " must be from 0 to " + MAX_CAP + ", was " + cap);
    }
    return cap;
  }

  /** {@code --cap NAME=N} entries: known platforms only, caps in range. */
  static Map<String, Integer> caps(
      CommandLine command, PlatformCatalog known, Map<String, Integer> caps) {
    Map<String, Integer> checked = new TreeMap<>();
    caps.forEach(
        (name, cap) -> {
          platform(command, "--cap", known, name);
          checked.put(name, cap(command, "--cap " + name, cap));
        });
    return checked;
  }

  static Platform platform(CommandLine command, String option, PlatformCatalog known, String name) {
    return known
        .find(name)
        .orElseThrow(
            () ->
                new ParameterException(
                    command,
                    option
                        + ": unknown platform '"
                        + name
                        + "'; known platforms: "
                        + String.join(", ", known.names())));
  }

  /** The launch-rate parameter's syntax, {@code R} or {@code R/B}; returns it as given. */
  static String launchRate(CommandLine command, String option, String rate) {
    if (RuntimeParameters.parseLaunchRate(rate).isEmpty()) {
      throw new ParameterException(
          command,
          option
              + " must be R or R/B (spin-ups per second R in (0, 1000], burst B in [1, 10000]),"
              + " e.g. 3/10; was '"
              + rate
              + "'");
    }
    return rate.trim();
  }

  /** An absolute {@code http(s)://HOST[:PORT]...} URL, for {@code --endpoint} and {@code --url}. */
  static final class HttpUrl implements CommandLine.ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      URI uri;
      try {
        uri = new URI(value.trim());
      } catch (URISyntaxException e) {
        uri = null;
      }
      if (uri == null
          || uri.getHost() == null
          || !("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not an http(s) URL such as http://127.0.0.1:8080");
      }
      return uri;
    }
  }
}
