package dev.runfleet.local.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for one build's {@code runfleet bench NAME ARGS}, run as a child process: {@code
 * FakeBench DIR NAME ARGS...}. It writes a line to stderr, then prints {@code DIR/stdout.txt} with
 * {@code $ARGS} replaced by {@code NAME ARGS} and {@code $PATH} by its own {@code PATH}, and exits
 * with the number in {@code DIR/exit-code} (0 without one). With {@code DIR/hang} present it waits
 * forever instead.
 */
public final class FakeBench {

  private FakeBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String benchArgs = String.join(" ", Arrays.copyOfRange(args, 1, args.length));
    System.err.println("fake bench stderr: " + benchArgs);
    if (Files.exists(dir.resolve("hang"))) {
      new CountDownLatch(1).await();
    }
    String stdout =
        Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8)
            .replace("$ARGS", benchArgs)
            .replace("$PATH", System.getenv("PATH"));
    System.out.print(stdout);
    System.out.flush();
    Path exit = dir.resolve("exit-code");
    System.exit(Files.exists(exit) ? Integer.parseInt(Files.readString(exit).strip()) : 0);
  }
}
