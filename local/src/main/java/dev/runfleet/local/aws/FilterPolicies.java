package dev.runfleet.local.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads the SNS subscription filter policies from the classpath ({@code
 * /filter-policies/<platform>.json}): the same files Terraform reads with {@code file()}, so local
 * routing and AWS routing cannot drift apart.
 */
public final class FilterPolicies {

  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private FilterPolicies() {}

  /** The filter policy JSON of {@code platform}; fails when the platform has no policy file. */
  public static String load(String platform) {
    if (platform == null || !PLATFORM.matcher(platform).matches()) {
      throw new IllegalArgumentException("not a platform name: " + platform);
    }
    String resource = "/filter-policies/" + platform + ".json";
    try (InputStream in = FilterPolicies.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no filter policy for platform " + platform + " on the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
