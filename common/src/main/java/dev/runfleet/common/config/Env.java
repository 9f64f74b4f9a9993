package dev.runfleet.common.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads configuration keys from an environment map and collects every problem, so a config record
 * can fail once with the whole list instead of one key at a time. Only the handlers' edges hand it
 * {@code System.getenv()}.
 */
public final class Env {

  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  public Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public String required(String key) {
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      problems.add(key + " is missing");
      return "";
    }
    return value.trim();
  }

  public Optional<String> optional(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String optional(String key, String fallback) {
    return optional(key).orElse(fallback);
  }

  public int integer(String key, int fallback, int min, int max) {
    Optional<String> raw = optional(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        problems.add(key + " must be between " + min + " and " + max + ", was " + value);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(key + " is not a whole number");
      return fallback;
    }
  }

  /**
   * An https URL, or {@code fallback} when the key is unset. Plain http is accepted only for
   * localhost and 127.0.0.1, where tests run their fakes: what travels to the URL (a token, ranges
   * the front door trusts) must not cross a network in clear.
   */
  public URI httpsUrl(String key, String fallback) {
    URI url = URI.create(fallback);
    try {
      url = URI.create(optional(key, fallback));
    } catch (IllegalArgumentException e) {
      problems.add(key + " is not a URL");
      return url;
    }
    boolean loopback = "localhost".equals(url.getHost()) || "127.0.0.1".equals(url.getHost());
    if (!"https".equals(url.getScheme()) && !("http".equals(url.getScheme()) && loopback)) {
      problems.add(key + " must be an https URL (http only for localhost or 127.0.0.1)");
    }
    return url;
  }

  /**
   * Records a problem found while interpreting a value (for example a list that does not parse).
   */
  public void problem(String message) {
    problems.add(message);
  }

  /** Throws one exception naming every problem seen so far, if any. */
  public void validate(String what) {
    if (!problems.isEmpty()) {
      throw new ConfigException(what + " configuration is invalid: " + String.join("; ", problems));
    }
  }

  /** Thrown once, at start-up, with every configuration problem. */
  public static final class ConfigException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }
}
