package dev.runfleet.local.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command of this CLI again in a child JVM started with other JVM flags, for what can only
 * be set when a JVM starts (the JIT's tiers): the same {@code java}, class path and arguments, its
 * output copied to this process's, its exit code returned. A shutdown of this JVM stops the child.
 */
final class ChildJvm {

  private ChildJvm() {}

  /** The {@code TieredStopAtLevel} this JVM runs with (4 by default: C2; 1: C1 only). */
  static int tieredStopAtLevel() {
    return Integer.parseInt(
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .getVMOption("TieredStopAtLevel")
            .getValue());
  }

  /** How a report names the JIT of a JVM that stops at {@code tieredStopAtLevel}. */
  static String jit(int tieredStopAtLevel) {
    return tieredStopAtLevel == 1 ? "C1 only as deployed" : "C1 and C2";
  }

  /**
   * Runs {@code mainClass} with {@code args} in a child JVM started with {@code flags}; returns its
   * exit code once it has ended and its output has been copied to {@code out} and {@code err}.
   */
  static int run(
      List<String> flags, String mainClass, List<String> args, PrintStream out, PrintStream err) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Process child;
    try {
      child = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.get(0), e);
    }
    Thread stop = new Thread(child::destroy, "child-jvm-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    Thread copyOut = copy(child.getInputStream(), out, "child-jvm-out");
    Thread copyErr = copy(child.getErrorStream(), err, "child-jvm-err");
    try {
      int code = child.waitFor();
      copyOut.join();
      copyErr.join();
      Runtime.getRuntime().removeShutdownHook(stop);
      return code;
    } catch (InterruptedException e) {
      child.destroy();
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static Thread copy(InputStream from, OutputStream to, String name) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (from) {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                  to.write(buffer, 0, n);
                  to.flush();
                }
              } catch (IOException e) {
                // The child ended or was stopped: nothing more to copy.
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
