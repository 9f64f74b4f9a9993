package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.WebhookSender;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against a running local runtime: a scripted burst of
 * jobs, and what the page shows as it happens, read through explicit waits on the page's text.
 * Skipped only where Debian's {@code chromium} and {@code chromium-driver} are not installed
 * ({@code .ci/run} installs them).
 */
@Timeout(300)
class DashboardBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String SECRET = "test-secret";
  private static final int FARGATE_CAP = 2;
  private static final int BURST = 5;

  private LocalRuntime runtime;
  private WebDriver browser;
  private Path profile;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
    RuntimeOptions defaults = RuntimeOptions.defaults(SECRET).withPort(0);
    runtime =
        LocalRuntime.start(
            defaults.withPlatforms(
                PlatformCatalog.defaults().withCaps(Map.of("fargate", FARGATE_CAP)),
                defaults.globalCap()));
    profile = Files.createTempDirectory("runfleet-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private WebDriverWait waitUpTo(Duration timeout) {
    return new WebDriverWait(browser, timeout, Duration.ofMillis(200));
  }

  /**
   * The rendered text of the first match, or null: read in one script call, since the page replaces
   * its rows as events arrive and an element found first may be gone when read.
   */
  private String text(String css) {
    Object found =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const e = document.querySelector(arguments[0]);"
                    + " return e ? e.innerText.trim() : null;",
                css);
    return (String) found;
  }

  private int count(String css) {
    return ((Number)
            ((JavascriptExecutor) browser)
                .executeScript("return document.querySelectorAll(arguments[0]).length;", css))
        .intValue();
  }

  private void waitForText(String css, String expected) {
    waitUpTo(Duration.ofSeconds(60))
        .withMessage(() -> css + " should read '" + expected + "' but reads '" + text(css) + "'")
        .until(d -> expected.equals(text(css)));
  }

  @Test
  void dashboard_followsABurstOfJobsLive() throws Exception {
    browser.get(runtime.baseUri().resolve("/").toString());
    waitForText("#connection", "Live");
    waitForText("#platform-fargate .cap", Integer.toString(FARGATE_CAP));
    waitForText("#platform-fargate .in-flight", "0");
    assertThat(text("#jobs tbody")).contains("No jobs yet");

    Instant now = Instant.now();
    for (int i = 1; i <= BURST; i++) {
      runtime
          .gitHub()
          .queue(
              new SimJob(
                  9100 + i,
                  91,
                  1,
                  List.of("self-hosted", "fargate", "x64"),
                  "octo/repo",
                  "octo",
                  1,
                  Duration.ofSeconds(6),
                  now));
    }

    // The cap holds: two run while the other three wait, and the page says so.
    waitUpTo(Duration.ofSeconds(60))
        .withMessage(
            () ->
                "fargate should show 2 in flight and jobs queued, shows "
                    + text("#platform-fargate"))
        .until(
            d ->
                "2".equals(text("#platform-fargate .in-flight"))
                    && Integer.parseInt(text("#platform-fargate .queued")) > 0
                    && !"–".equals(text("#platform-fargate .oldest")));
    waitForText("#jobs tr[data-job='9101:1'] .status", "in progress");
    assertThat(text("#jobs tr[data-job='9101:1'] .platform")).isEqualTo("fargate");
    assertThat(text("#jobs tr[data-job='9101:1'] .runner")).startsWith("rf-fargate-");
    assertThat(count("#runners tr[data-runner^='rf-fargate-9101-1']")).isPositive();

    // Every job of the burst ends, the slots come back, and the chart counts the launches.
    for (int i = 1; i <= BURST; i++) {
      waitForText("#jobs tr[data-job='" + (9100 + i) + ":1'] .status", "completed");
    }
    waitForText("#platform-fargate .in-flight", "0");
    waitForText("#platform-fargate .queued", "0");
    waitUpTo(Duration.ofSeconds(30))
        .withMessage(() -> "launch summary reads " + text("#sum-launches"))
        .until(d -> text("#sum-launches").startsWith(BURST + " launches in the last 5 minutes"));
    assertThat(count("#chart-launches rect")).isPositive();

    // GitHub's own example payload, signed as GitHub signs it: a job no platform serves.
    String queued =
        Files.readString(
            Path.of(System.getProperty("runfleet.fixtures.dir", "../../shared/fixtures/github"))
                .resolve("queued.payload.json"));
    assertThat(
            new WebhookSender(runtime.baseUri().resolve("/webhook"), SECRET)
                .send("workflow_job", queued))
        .isEqualTo(200);
    waitForText("#jobs tr[data-job='289782451:1'] .status", "ignored");
    assertThat(text("#jobs tr[data-job='289782451:1'] .labels")).isEqualTo("ubuntu-latest");
    assertThat(count("#jobs tr[data-job='289782451:1'] td.why")).isEqualTo(1);

    // An operator raises the cap at runtime: the page shows the cap in force, marked as set.
    runtime.parameters().put(RuntimeParameters.cap(LocalRuntime.STAGE, "fargate"), "3");
    waitForText("#platform-fargate .cap", "3 *");
  }
}
