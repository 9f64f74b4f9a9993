package dev.runfleet.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runfleet-runner.sh and the image's entrypoint, as the container runs them. */
class RunfleetRunnerScriptTest {

  private static final String SECRET = "runfleet/dev/jit/linux-x64/runfleet-dev-42-1";

  @TempDir Path dir;
  private ScriptSandbox sandbox;
  private Path script;

  @BeforeEach
  void setUp() {
    assumeTrue(Files.isExecutable(ScriptSandbox.BASH), "needs /bin/bash");
    sandbox = new ScriptSandbox(dir);
    script = sandbox.install(ScriptSandbox.RUNNER_SCRIPT);
  }

  @Test
  void run_readsThenDeletesTheSecret_thenRunsTheRunnerWithTheConfig() {
    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).as(result.output()).isZero();
    int read = result.indexOf("aws secretsmanager get-secret-value --secret-id " + SECRET);
    int delete =
        result.indexOf(
            "aws secretsmanager delete-secret --secret-id "
                + SECRET
                + " --force-delete-without-recovery");
    int run = result.indexOf("run.sh");
    assertThat(read).as(result.calls().toString()).isNotNegative();
    assertThat(delete).isGreaterThan(read);
    assertThat(run).isGreaterThan(delete);
    assertThat(sandbox.runShArguments()).containsExactly("--jitconfig", sandbox.jitConfig);
    assertThat(result.output())
        .contains("runfleet-runner: level=info event=runner_start secret=" + SECRET);
  }

  @Test
  void run_keepsTheConfigOutOfEveryLogAndFile() {
    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).isZero();
    sandbox.assertConfigOnlyInRunShArguments(result);
  }

  @Test
  void run_whenTheCallerExportedXtrace_stillPrintsNoConfig() {
    sandbox.env.put("SHELLOPTS", "xtrace");

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).as(result.output()).isZero();
    sandbox.assertConfigOnlyInRunShArguments(result);
  }

  @Test
  void run_dropsTheHostCredentialsFromTheRunnersEnvironment() {
    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).isZero();
    assertThat(sandbox.runShEnvironment())
        .doesNotContainKeys(ScriptSandbox.HOST_CREDENTIALS.keySet().toArray(String[]::new))
        .containsKey("PATH");
  }

  @Test
  void run_exitsWithTheRunnersExitCode() {
    sandbox.env.put("STUB_RUN_EXIT", "3");

    assertThat(sandbox.run(script, SECRET).exitCode()).isEqualTo(3);
  }

  @Test
  void run_whenTheSecretAppearsLate_retriesAndRuns() {
    sandbox.env.put("STUB_GET_FAILURES", "2");

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.count("aws secretsmanager get-secret-value")).isEqualTo(3);
    assertThat(result.output())
        .contains("event=secret_read_retry secret=" + SECRET + " attempt=1/8");
    assertThat(result.indexOf("run.sh")).isPositive();
  }

  @Test
  void run_whenTheSecretNeverAppears_failsNamingItWithoutRunning() {
    sandbox.env.put("STUB_GET_ALWAYS_FAIL", "1");
    sandbox.env.put("RUNFLEET_SECRET_ATTEMPTS", "3");

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).isEqualTo(66);
    assertThat(result.output())
        .contains(
            "runfleet-runner: level=error event=secret_unreadable secret="
                + SECRET
                + " attempts=3");
    assertThat(result.count("aws secretsmanager get-secret-value")).isEqualTo(3);
    assertThat(result.count("aws secretsmanager delete-secret")).isZero();
    assertThat(result.indexOf("run.sh")).isNegative();
  }

  @Test
  void run_whenTheDeleteFails_warnsAndStillRuns() {
    sandbox.env.put("STUB_DELETE_FAIL", "1");

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("runfleet-runner: level=warn event=secret_delete_failed secret=" + SECRET);
    assertThat(sandbox.runShArguments()).containsExactly("--jitconfig", sandbox.jitConfig);
  }

  @Test
  void run_whenTheSecretHoldsNoConfig_refusesAfterDeletingIt() {
    sandbox.env.put("STUB_SECRET_VALUE", "None");

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).isEqualTo(65);
    assertThat(result.output()).contains("event=bad_secret_value secret=" + SECRET);
    assertThat(result.count("aws secretsmanager delete-secret")).isEqualTo(1);
    assertThat(result.indexOf("run.sh")).isNegative();
  }

  @Test
  void run_whenTheRunnerIsMissing_failsBeforeTakingTheSecret() throws Exception {
    Files.delete(sandbox.runnerHome.resolve("run.sh"));

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).isEqualTo(72);
    assertThat(result.output()).contains("event=no_runner runner_home=" + sandbox.runnerHome);
    assertThat(result.count("aws")).isZero();
  }

  @Test
  void run_refusesANameThatCouldReadAsAnOption() {
    var result = sandbox.run(script, "--secret-id=other");

    assertThat(result.exitCode()).isEqualTo(64);
    assertThat(result.count("aws")).isZero();
  }

  @Test
  void run_asAnotherUser_runsTheRunnerThroughRunuser() {
    sandbox.env.put("RUNFLEET_RUN_AS", "runner");

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.calls())
        .containsSubsequence(
            "aws secretsmanager delete-secret --secret-id "
                + SECRET
                + " --force-delete-without-recovery",
            "runuser -u runner -- ./run.sh",
            "run.sh");
    assertThat(sandbox.runShArguments()).containsExactly("--jitconfig", sandbox.jitConfig);
    sandbox.assertConfigOnlyInRunShArguments(result);
  }

  @Test
  void entrypoint_takesTheSecretNamedInTheEnvironment() {
    sandbox.install(ScriptSandbox.ENTRYPOINT);
    sandbox.env.put("RUNFLEET_JIT_SECRET", SECRET);
    sandbox.env.put("RUNFLEET_RUNNER_NAME", "runfleet-dev-42-1");

    var result = sandbox.run(dir.resolve("scripts/entrypoint.sh"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("event=container_start runner=runfleet-dev-42-1");
    assertThat(sandbox.runShArguments()).containsExactly("--jitconfig", sandbox.jitConfig);
    assertThat(sandbox.runShEnvironment()).doesNotContainKey("RUNFLEET_JIT_SECRET");
    sandbox.assertConfigOnlyInRunShArguments(result);
  }

  /**
   * The container's PID 1 is the entrypoint; it execs down to run.sh, so PID 1 ends up being run.sh
   * itself. Its /proc/1/environ, which the job can read, holds no credential variable, and no
   * process that was started with them is left alive.
   */
  @Test
  void entrypoint_execsDownToRunSh_soPid1sEnvironHoldsNoAwsCredentials() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/environ")), "needs /proc");
    sandbox.install(ScriptSandbox.ENTRYPOINT);
    sandbox.env.put("RUNFLEET_JIT_SECRET", SECRET);

    var result = sandbox.run(dir.resolve("scripts/entrypoint.sh"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    // The process the container started (PID 1 there) is the one that ran the job.
    assertThat(sandbox.runShPid()).isEqualTo(sandbox.lastPid);
    assertThat(sandbox.runShProcEnviron())
        .isNotEmpty()
        .noneMatch(line -> line.startsWith("AWS_"))
        .noneMatch(line -> line.startsWith("RUNFLEET_JIT_SECRET="))
        .contains("RUNNER_MANUALLY_TRAP_SIG=1");
    for (String value : ScriptSandbox.HOST_CREDENTIALS.values()) {
      assertThat(sandbox.runShProcEnviron()).noneMatch(line -> line.contains(value));
    }
  }

  @Test
  void run_retriesLongEnoughForTheOrchestratorToBindTheSecret() {
    sandbox.env.put("STUB_GET_ALWAYS_FAIL", "1");

    var result = sandbox.run(script, SECRET);

    assertThat(result.exitCode()).isEqualTo(66);
    assertThat(result.count("aws secretsmanager get-secret-value")).isEqualTo(8);
  }

  @Test
  void entrypoint_withoutASecretName_failsWithUsage() {
    sandbox.install(ScriptSandbox.ENTRYPOINT);

    var result = sandbox.run(dir.resolve("scripts/entrypoint.sh"));

    assertThat(result.exitCode()).isEqualTo(64);
    assertThat(result.output()).contains("RUNFLEET_JIT_SECRET is not set");
    assertThat(result.count("aws")).isZero();
  }
}
