package dev.runfleet.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EC2 user data template, rendered as Terraform's templatefile would, run on a stubbed host.
 */
class Ec2BootScriptTest {

  private static final String PREFIX = "runfleet/dev/jit/linux-arm64";
  private static final String SECRET = PREFIX + "/runfleet-dev-7-1";
  private static final String IMDS_BLOCK =
      "iptables -I OUTPUT 1 -m owner --uid-owner runner -d 169.254.169.254 -j REJECT";

  /** What user data may weigh before base64: 16 KiB. */
  private static final int USER_DATA_LIMIT = 16 * 1024;

  /** Every Terraform construct the template may use: escapes, and a plain variable reference. */
  private static final Pattern TERRAFORM_SYNTAX =
      Pattern.compile("\\$\\$\\{|%%\\{|\\$\\{([^}]*)}|%\\{");

  @TempDir Path dir;
  private ScriptSandbox sandbox;
  private Path boot;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Files.isExecutable(ScriptSandbox.BASH), "needs /bin/bash");
    sandbox = new ScriptSandbox(dir);
    // A host's own environment carries no credentials: the instance role lives behind the metadata
    // service.
    ScriptSandbox.HOST_CREDENTIALS.keySet().forEach(sandbox.env::remove);
    sandbox.env.remove("RUNNER_HOME");
    sandbox.env.put("STUB_SECRET_NAME", SECRET);
    boot = sandbox.write("boot.sh", render());
  }

  /**
   * Renders the template as templatefile does: ${name} from the variables (runner_script inserted
   * verbatim, never re-rendered), $${ and %%{ unescaped. Any other Terraform construct fails the
   * test, so this rendering stays faithful.
   */
  static String render() throws IOException {
    Map<String, String> variables =
        Map.of(
            "stage", "dev",
            "platform", "linux-arm64",
            "region", "eu-west-1",
            "jit_secret_prefix", PREFIX,
            "log_group", "/runfleet-dev/runners/ec2",
            "runner_script", Files.readString(ScriptSandbox.RUNNER_SCRIPT, StandardCharsets.UTF_8));
    String template = Files.readString(ScriptSandbox.BOOT_TEMPLATE, StandardCharsets.UTF_8);
    Matcher matcher = TERRAFORM_SYNTAX.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String match = matcher.group();
      String replacement;
      if (match.equals("$${")) {
        replacement = "${";
      } else if (match.equals("%%{")) {
        replacement = "%{";
      } else if (match.startsWith("${") && variables.containsKey(matcher.group(1))) {
        replacement = variables.get(matcher.group(1));
      } else {
        throw new AssertionError(
            "template uses Terraform syntax this test cannot render: " + match);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  @Test
  void template_usesExactlyTheVariablesTerraformPasses_andFitsInUserData() throws IOException {
    String template = Files.readString(ScriptSandbox.BOOT_TEMPLATE, StandardCharsets.UTF_8);
    var used = new java.util.TreeSet<String>();
    Matcher matcher = TERRAFORM_SYNTAX.matcher(template);
    while (matcher.find()) {
      if (matcher.group(1) != null) {
        used.add(matcher.group(1));
      }
    }
    assertThat(used)
        .containsExactly(
            "jit_secret_prefix", "log_group", "platform", "region", "runner_script", "stage");
    assertThat(template).doesNotContain("%{");
    assertThat(Files.readString(ScriptSandbox.RUNNER_SCRIPT)).doesNotContain("RUNFLEET_RUNNER_SH");
    assertThat(render().getBytes(StandardCharsets.UTF_8).length).isLessThan(USER_DATA_LIMIT);
    assertThat(template)
        .containsPattern("RUNNER_SHA256_X64=[0-9a-f]{64}\n")
        .containsPattern("RUNNER_SHA256_ARM64=[0-9a-f]{64}\n");
  }

  @Test
  void template_isWiredToTheSharedRunnerScriptInTerraform() throws IOException {
    String mainTf =
        Files.readString(
            ScriptSandbox.BOOT_TEMPLATE.getParent().getParent().resolve("main.tf"),
            StandardCharsets.UTF_8);

    assertThat(mainTf)
        .contains(
            "runner_script     = file(\"${path.module}/../../../runner/runfleet-runner.sh\")");
    assertThat(
            ScriptSandbox.BOOT_TEMPLATE
                .getParent()
                .getParent()
                .resolve("../../../runner/runfleet-runner.sh")
                .normalize())
        .isEqualTo(ScriptSandbox.RUNNER_SCRIPT.normalize());
  }

  @Test
  void boot_blocksMetadataForTheRunnerUser_takesTheConfigAsRoot_runsTheJobAsRunner_thenShutsDown() {
    var result = sandbox.run(boot);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.calls())
        .as(result.output())
        .containsSubsequence(
            "curl -fsS --retry 5 --retry-connrefused --max-time 5 -X PUT http://169.254.169.254/latest/api/token"
                + " -H X-aws-ec2-metadata-token-ttl-seconds: 300",
            "curl -fsS --retry 5 --retry-connrefused --max-time 5 -H X-aws-ec2-metadata-token: stub-imds-token"
                + " http://169.254.169.254/latest/meta-data/tags/instance/runfleet:jit-secret",
            "useradd --create-home --user-group --shell /bin/bash runner",
            "chown -R runner:runner " + sandbox.runnerHome,
            IMDS_BLOCK,
            "aws secretsmanager get-secret-value --secret-id "
                + SECRET
                + " --query SecretString --output text",
            "aws secretsmanager delete-secret --secret-id "
                + SECRET
                + " --force-delete-without-recovery",
            "runuser -u runner -- ./run.sh",
            "run.sh",
            "shutdown -h now");
    assertThat(result.sequence()).last().isEqualTo("shutdown -h now");
    assertThat(sandbox.runShArguments()).containsExactly("--jitconfig", sandbox.jitConfig);
    assertThat(result.output())
        .contains("event=host_boot stage=dev platform=linux-arm64 region=eu-west-1")
        .contains("event=runner_exit runner=runner-1 exit_code=0");
    assertThat(result.calls()).anyMatch(call -> call.startsWith("systemd-cat -t runfleet-runner"));
  }

  @Test
  void boot_keepsTheConfigOutOfEveryLogAndFile() {
    var result = sandbox.run(boot);

    assertThat(result.exitCode()).as(result.output()).isZero();
    sandbox.assertConfigOnlyInRunShArguments(result);
    assertThat(sandbox.runShEnvironment())
        .doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN");
  }

  @Test
  void boot_whenTheRunnerFails_stillShutsDownWithItsExitCode() {
    sandbox.env.put("STUB_RUN_EXIT", "2");

    var result = sandbox.run(boot);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.indexOf("shutdown -h now")).isGreaterThan(result.indexOf("run.sh"));
  }

  @Test
  void boot_whenTheSecretNeverAppears_failsNamingIt_andShutsDownWithoutRunning() {
    sandbox.env.put("STUB_GET_ALWAYS_FAIL", "1");
    sandbox.env.put("RUNFLEET_SECRET_ATTEMPTS", "2");

    var result = sandbox.run(boot);

    assertThat(result.exitCode()).isEqualTo(66);
    assertThat(result.output()).contains("event=secret_unreadable secret=" + SECRET);
    assertThat(result.indexOf("run.sh")).isNegative();
    assertThat(result.indexOf("runuser")).isNegative();
    assertThat(result.sequence()).last().isEqualTo("shutdown -h now");
  }

  @Test
  void boot_whenTheDeleteFails_warnsAndStillRunsTheJob() {
    sandbox.env.put("STUB_DELETE_FAIL", "1");

    var result = sandbox.run(boot);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("level=warn event=secret_delete_failed secret=" + SECRET);
    assertThat(result.calls()).containsSubsequence("run.sh", "shutdown -h now");
  }

  @Test
  void boot_refusesASecretOutsideItsPlatformsPrefix() {
    String foreign = "runfleet/dev/jit/linux-x64/runfleet-dev-7-1";
    sandbox.env.put("STUB_SECRET_NAME", foreign);

    var result = sandbox.run(boot);

    assertThat(result.exitCode()).isEqualTo(65);
    assertThat(result.output())
        .contains("event=secret_outside_prefix secret=" + foreign + " prefix=" + PREFIX + "/");
    assertThat(result.count("aws")).isZero();
    assertThat(result.indexOf("run.sh")).isNegative();
    assertThat(result.sequence()).last().isEqualTo("shutdown -h now");
  }

  @Test
  void boot_refusesAPrefixLookalike() {
    sandbox.env.put("STUB_SECRET_NAME", PREFIX + "-evil/runfleet-dev-7-1");

    var result = sandbox.run(boot);

    assertThat(result.exitCode()).isEqualTo(65);
    assertThat(result.count("aws")).isZero();
  }

  @Test
  void boot_withoutASecretTag_shutsDown() {
    sandbox.env.remove("STUB_SECRET_NAME");

    var result = sandbox.run(boot);

    assertThat(result.exitCode()).isEqualTo(66);
    assertThat(result.output()).contains("instance tag runfleet:jit-secret is missing");
    assertThat(result.sequence()).last().isEqualTo("shutdown -h now");
  }

  @Test
  void boot_whenTheDownloadedRunnerFailsItsChecksum_refusesBeforeTakingTheSecret()
      throws IOException {
    Files.delete(sandbox.runnerHome.resolve("run.sh"));

    var result = sandbox.run(boot);

    assertThat(result.exitCode()).isEqualTo(69);
    assertThat(result.calls())
        .anyMatch(
            call ->
                call.startsWith("curl -fsSL --retry 5 -o ")
                    && call.matches(
                        ".* https://github\\.com/actions/runner/releases/download/v2\\.331\\.0/"
                            + "actions-runner-linux-(x64|arm64)-2\\.331\\.0\\.tar\\.gz$"));
    assertThat(result.output()).contains("event=runner_checksum_mismatch version=2.331.0");
    assertThat(result.count("aws")).isZero();
    assertThat(result.sequence()).last().isEqualTo("shutdown -h now");
  }
}
