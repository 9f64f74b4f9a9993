package dev.runfleet.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * GitHub's official example payloads in {@code shared/fixtures/github/}, read as stored: tests post
 * their exact bytes and never edit them. The folder comes from the {@code runfleet.fixtures.dir}
 * system property that the build sets.
 */
public final class OfficialFixtures {

  public static final String PROPERTY = "runfleet.fixtures.dir";

  public static final String PING = "ping.payload.json";
  public static final String QUEUED = "queued.payload.json";
  public static final String IN_PROGRESS = "in_progress.payload.json";
  public static final String COMPLETED = "completed.success.with-organization.payload.json";
  public static final String WAITING = "waiting.payload.json";

  /** The job of the queued, in_progress and completed examples ({@code ubuntu-latest}). */
  public static final long HOSTED_JOB_ID = 289782451L;

  /** The job of the waiting example ({@code self-hosted, k8s}: no platform serves k8s). */
  public static final long K8S_JOB_ID = 12877621891L;

  private OfficialFixtures() {}

  public static Path dir() {
    String configured = System.getProperty(PROPERTY);
    // Outside Maven (an IDE run from the module folder), the layout of a checkout still finds them.
    Path dir =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("..", "..", "shared", "fixtures", "github");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "GitHub fixtures not found at "
              + dir.toAbsolutePath()
              + " (set -D"
              + PROPERTY
              + " to shared/fixtures/github)");
    }
    return dir;
  }

  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(dir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture " + name, e);
    }
  }

  /** Every payload file of the folder, by name. */
  public static List<String> all() {
    try (Stream<Path> files = Files.list(dir())) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".payload.json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir(), e);
    }
  }

  /** The {@code X-GitHub-Event} GitHub sends with a payload file. */
  public static String eventOf(String name) {
    return name.equals(PING) ? "ping" : "workflow_job";
  }
}
