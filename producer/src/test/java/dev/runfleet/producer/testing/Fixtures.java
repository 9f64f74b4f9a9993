package dev.runfleet.producer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** GitHub's official webhook payloads, read byte for byte from {@code shared/fixtures/github}. */
public final class Fixtures {

  public static final String QUEUED = "queued.payload.json";
  public static final String WAITING = "waiting.payload.json";
  public static final String IN_PROGRESS = "in_progress.payload.json";
  public static final String COMPLETED = "completed.success.with-organization.payload.json";
  public static final String PING = "ping.payload.json";

  private Fixtures() {}

  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(dir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("fixture " + name + " not readable", e);
    }
  }

  /**
   * Surefire passes the directory; run from an IDE, it is found by walking up from the working
   * directory.
   */
  static Path dir() {
    String configured = System.getProperty("runfleet.fixtures");
    if (configured != null && Files.isDirectory(Path.of(configured))) {
      return Path.of(configured);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/fixtures/github");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "fixtures not found: set -Drunfleet.fixtures or run below the workspace");
  }
}
