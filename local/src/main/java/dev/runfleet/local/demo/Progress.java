package dev.runfleet.local.demo;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.local.runtime.LocalRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's view while it runs: per platform, jobs done and queued and runners in flight against
 * the cap. On a terminal a small table redrawn in place; elsewhere (a pipe, a CI log) one line
 * every few seconds, so the output stays short.
 */
public final class Progress implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  /** How the view is shown. */
  public enum Mode {
    /** A table redrawn in place with ANSI cursor moves, twice a second. */
    LIVE,
    /**
     * One line every {@link #LINE_INTERVAL_SECONDS} seconds, half as often after every {@link
     * #LINES_PER_STEP} lines, so even a run to the timeout stays within a screen or two.
     */
    LINES,
    /** Nothing. */
    OFF
  }

  public static final int LINE_INTERVAL_SECONDS = 5;

  static final int LINES_PER_STEP = 10;

  /** Where the platforms stand at one moment. */
  record Row(String platform, int done, int queued, int inFlight, int cap) {}

  record Snapshot(double seconds, int jobs, int done, List<Row> rows) {}

  private final Mode mode;
  private final LocalRuntime runtime;
  private final int jobs;
  private final PrintWriter out;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService timer;
  private int linesDrawn;
  private int linesPrinted;

  private Progress(Mode mode, LocalRuntime runtime, int jobs, PrintWriter out) {
    this.mode = mode;
    this.runtime = runtime;
    this.jobs = jobs;
    this.out = out;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "demo-progress");
              t.setDaemon(true);
              return t;
            });
    // On close, a frame being drawn finishes (no interrupt inside a table read); none starts.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    this.timer = executor;
  }

  static Progress start(Mode mode, LocalRuntime runtime, int jobs, PrintWriter out) {
    Progress progress = new Progress(mode, runtime, jobs, out);
    switch (mode) {
      case LIVE ->
          progress.timer.scheduleWithFixedDelay(progress::draw, 0, 500, TimeUnit.MILLISECONDS);
      case LINES -> progress.scheduleNextLine();
      case OFF -> {}
    }
    return progress;
  }

  private synchronized void scheduleNextLine() {
    if (timer.isShutdown()) {
      return;
    }
    long seconds = (long) LINE_INTERVAL_SECONDS << Math.min(4, linesPrinted / LINES_PER_STEP);
    timer.schedule(
        () -> {
          draw();
          scheduleNextLine();
        },
        seconds,
        TimeUnit.SECONDS);
  }

  /** Stops the view; the live table is drawn a last time, as the fleet ended. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (mode == Mode.LIVE) {
      draw();
    }
  }

  private synchronized void draw() {
    Snapshot snapshot;
    try {
      snapshot = snapshot();
    } catch (RuntimeException e) {
      // The view is a courtesy: a failed read skips one frame, the next tries again.
      LOG.warn("progress display could not read the runtime; skipping a frame", e);
      return;
    }
    if (mode == Mode.LIVE) {
      List<String> lines = table(snapshot);
      StringBuilder frame = new StringBuilder();
      if (linesDrawn > 0) {
        // Back to the first line of the previous frame, then overwrite each line.
        frame.append("\033[").append(linesDrawn).append('F');
      }
      lines.forEach(line -> frame.append("\033[2K").append(line).append('\n'));
      out.print(frame);
      linesDrawn = lines.size();
    } else {
      out.println(line(snapshot));
      linesPrinted++;
    }
    out.flush();
  }

  Snapshot snapshot() {
    List<Job> all = runtime.jobs();
    List<Row> rows = new ArrayList<>();
    for (Platform platform : runtime.options().platforms().all()) {
      int done = 0;
      int queued = 0;
      for (Job job : all) {
        if (platform.name().equals(job.platform())) {
          if (job.status() == JobStatus.COMPLETED) {
            done++;
          } else if (job.status() == JobStatus.QUEUED || job.status() == JobStatus.WAITING) {
            queued++;
          }
        }
      }
      rows.add(
          new Row(
              platform.name(), done, queued, runtime.inFlight(platform.name()), platform.cap()));
    }
    rows.add(
        new Row(
            RuntimeParameters.GLOBAL,
            rows.stream().mapToInt(Row::done).sum(),
            rows.stream().mapToInt(Row::queued).sum(),
            runtime.inFlight(RuntimeParameters.GLOBAL),
            runtime.options().globalCap()));
    int done = (int) all.stream().filter(j -> j.status().isTerminal()).count();
    return new Snapshot((System.nanoTime() - started) / 1e9, jobs, done, rows);
  }

  static List<String> table(Snapshot s) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "%6.1f s  %d of %d jobs settled (completed or ignored)",
            s.seconds(), s.done(), s.jobs()));
    lines.add(String.format("  %-18s %6s %7s %10s", "platform", "done", "queued", "in flight"));
    for (Row row : s.rows()) {
      lines.add(
          String.format(
              "  %-18s %6d %7d %10s",
              row.platform(), row.done(), row.queued(), row.inFlight() + " / " + row.cap()));
    }
    return lines;
  }

  static String line(Snapshot s) {
    StringBuilder line =
        new StringBuilder(
            String.format("%6.1f s  %d/%d jobs settled", s.seconds(), s.done(), s.jobs()));
    for (Row row : s.rows()) {
      line.append(
          String.format(
              " | %s %d done, %d queued, %d/%d in flight",
              row.platform(), row.done(), row.queued(), row.inFlight(), row.cap()));
    }
    return line.toString();
  }
}
