package dev.runfleet.aws.lambdajar;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A shaded Lambda jar as its module's build made it: its size and classes against the function's
 * budget, and its handlers run in fresh JVMs by {@link LambdaJarMain}.
 */
public final class LambdaJar {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path jar;

  private LambdaJar(Path jar) {
    this.jar = jar;
  }

  /**
   * The jar {@code target/<name>.jar} of the module under test: failsafe runs after the package
   * phase, so it is the jar this build made.
   */
  public static LambdaJar built(String name) {
    Path path = Path.of("target", name + ".jar");
    assertThat(path).as("the shaded jar of this build").exists();
    return new LambdaJar(path);
  }

  public Path path() {
    return jar;
  }

  public long bytes() throws IOException {
    return Files.size(jar);
  }

  /** Every entry's name. */
  public List<String> entries() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().forEach(e -> names.add(e.getName()));
    }
    return names;
  }

  public long classes() throws IOException {
    return entries().stream().filter(n -> n.endsWith(".class")).count();
  }

  /**
   * Fails when the jar weighs more than {@code budgetBytes}, lacks an entry under any of {@code
   * required} or holds one under any of {@code forbidden} (path prefixes such as {@code
   * software/amazon/awssdk/services/ssm/}); the emulators and Jackson databind (the functions read
   * JSON with jackson-core alone, {@code dev.runfleet.common.json.Json}) are always forbidden.
   */
  public LambdaJar assertWithin(long budgetBytes, List<String> required, List<String> forbidden)
      throws IOException {
    assertThat(bytes()).as("size of " + jar).isLessThanOrEqualTo(budgetBytes);
    List<String> entries = entries();
    for (String prefix : required) {
      assertThat(entries).as(jar + " carries " + prefix).anyMatch(n -> n.startsWith(prefix));
    }
    List<String> never = new ArrayList<>(forbidden);
    never.add("dev/runfleet/emulators/");
    never.add("org/elasticmq/");
    never.add("com/fasterxml/jackson/databind/");
    for (String prefix : never) {
      assertThat(entries).as(jar + " carries no " + prefix).noneMatch(n -> n.startsWith(prefix));
    }
    assertThat(entry(LAZY_METADATA_LOADER))
        .as(jar + " carries common-aws's lazy MetadataLoader, not the SDK's")
        .contains("MetadataLoader$Services");
    return this;
  }

  private static final String LAZY_METADATA_LOADER =
      "software/amazon/awssdk/regions/internal/MetadataLoader.class";

  /** An entry's bytes read as ISO-8859-1 text (class files name their nested classes), or "". */
  private String entry(String name) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        return "";
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
    }
  }

  /** The answer of one run of {@code handler} on {@code event}, with what the JVM printed. */
  public record Run(int exitCode, String answer, String output) {

    /** The run's log lines: the JSON objects its logging backend wrote, one a line. */
    public List<JsonNode> logLines() {
      return output
          .lines()
          .filter(line -> line.startsWith("{\"timestamp\""))
          .map(
              line -> {
                try {
                  return JSON.readTree(line);
                } catch (IOException e) {
                  throw new AssertionError("not a JSON log line: " + line, e);
                }
              })
          .toList();
    }
  }

  /**
   * Runs {@code handler} in a new JVM with the flags Lambda deploys ({@code
   * -XX:TieredStopAtLevel=1}, Serial GC), the environment {@code env} on top of a clean one, and
   * one {@code event}; waits at most two minutes for it (a bound on a stuck run, not a speed goal).
   */
  public Run run(String handler, String event, Map<String, String> env)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("lambda-jar-run");
    Path eventFile = Files.writeString(dir.resolve("event.json"), event);
    Path answerFile = dir.resolve("answer.json");
    Path outputFile = dir.resolve("output.txt");
    String classPath =
        String.join(
            File.pathSeparator,
            jar.toAbsolutePath().toString(),
            location(LambdaEventSerializers.class),
            location(LambdaJarMain.class));
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classPath,
                LambdaJarMain.class.getName(),
                handler,
                eventFile.toString(),
                answerFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(outputFile.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("RUNFLEET_") || k.startsWith("AWS_"));
    builder.environment().put("AWS_REGION", "us-east-1");
    builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "lambda-jar-run");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the handler did not finish within two minutes");
    }
    String answer =
        Files.exists(answerFile) ? Files.readString(answerFile, StandardCharsets.UTF_8) : null;
    String output = Files.readString(outputFile);
    // SLF4J and Powertools complain on the console when the jar's logging backend is missing or
    // doubled
    assertThat(output)
        .as("the jar logs through its one backend, JsonLogProvider and JsonLoggingManager")
        .doesNotContain("SLF4J(")
        .doesNotContain("LoggingManager");
    return new Run(process.exitValue(), answer, output);
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
