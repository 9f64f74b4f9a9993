package dev.runfleet.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away host for the runner scripts: stub commands on PATH that append their argv to one
 * call log, a fake runner directory whose run.sh records its arguments and environment, and a clean
 * environment.
 */
final class ScriptSandbox {

  static final Path BASH = Path.of("/bin/bash");
  static final Path MODULE_DIR =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  static final Path RUNNER_SCRIPT = MODULE_DIR.resolve("runfleet-runner.sh");
  static final Path ENTRYPOINT = MODULE_DIR.resolve("entrypoint.sh");
  static final Path BOOT_TEMPLATE =
      MODULE_DIR
          .resolve("../infra-terraform/modules/runners_ec2/templates/boot.sh.tftpl")
          .normalize();

  /** Credentials a host may carry; none may reach the job. */
  static final Map<String, String> HOST_CREDENTIALS =
      Map.of(
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-role",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN", "stub-authorization-token",
          "AWS_ACCESS_KEY_ID", "ASIASTUBKEYID",
          "AWS_SECRET_ACCESS_KEY", "stub-secret-access-key",
          "AWS_SESSION_TOKEN", "stub-session-token");

  final Path root;
  final Path bin;
  final Path runnerHome;
  final Path calls;
  final Path runShArgs;
  final Path runShEnv;
  final Path runShProcEnviron;
  final Path runShPid;
  long lastPid;
  final Path tmp;
  final String jitConfig;
  final Map<String, String> env = new HashMap<>();

  ScriptSandbox(Path root) {
    this.root = root;
    this.bin = root.resolve("bin");
    this.runnerHome = root.resolve("runner-home");
    this.calls = root.resolve("calls.log");
    this.runShArgs = root.resolve("run-sh-calls.log");
    this.runShEnv = root.resolve("run-sh-env.txt");
    this.runShProcEnviron = root.resolve("run-sh-proc-environ.txt");
    this.runShPid = root.resolve("run-sh-pid.txt");
    this.tmp = root.resolve("tmp");
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    this.jitConfig = Base64.getEncoder().encodeToString(random);
    try {
      Files.createDirectories(bin);
      Files.createDirectories(runnerHome);
      Files.createDirectories(tmp);
      Files.writeString(calls, "");
      writeStubs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("PATH", bin + ":/usr/bin:/bin");
    env.put("HOME", root.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("LANG", "C.UTF-8");
    env.put("RUNNER_HOME", runnerHome.toString());
    env.put("RUNFLEET_RUNNER_HOME", runnerHome.toString());
    env.put("RUNFLEET_RETRY_BACKOFF_SECONDS", "0");
    env.put("STUB_STATE", root.toString());
    env.putAll(HOST_CREDENTIALS);
  }

  private void writeStubs() throws IOException {
    // One write per call: the journal logger runs beside the script, and three appends per line
    // let its line land inside another's (seen once in CI: "curlsystemd-cat -fsS ...").
    String log =
        "line=\"$(basename \"$0\")$(printf ' %s' \"$@\")\"; printf '%s\\n' \"$line\" >>'"
            + calls
            + "'\n";
    stub(
        "aws",
        log
            + """
            case "$*" in
              *get-secret-value*)
                n=$(cat "$STUB_STATE/get-count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" >"$STUB_STATE/get-count"
                if [[ -n ${STUB_GET_ALWAYS_FAIL:-} || $n -le ${STUB_GET_FAILURES:-0} ]]; then
                  echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret." >&2
                  exit 254
                fi
                printf '%s\\n' "${STUB_SECRET_VALUE-@JIT_CONFIG@}" ;;
              *delete-secret*)
                if [[ -n ${STUB_DELETE_FAIL:-} ]]; then
                  echo "An error occurred (AccessDeniedException) when calling the DeleteSecret operation" >&2
                  exit 254
                fi
                echo '{"Name": "deleted"}' ;;
            esac
            """
                .replace("@JIT_CONFIG@", jitConfig));
    stub(
        "curl",
        log
            + """
            out=; url=
            while (($#)); do case "$1" in -o) out=$2; shift 2 ;; http*) url=$1; shift ;; *) shift ;; esac; done
            case "$url" in
              */latest/api/token) echo stub-imds-token ;;
              */tags/instance/runfleet:jit-secret) [[ -n ${STUB_SECRET_NAME:-} ]] || { echo 'curl: (22) 404' >&2; exit 22; }; printf '%s' "$STUB_SECRET_NAME" ;;
              */tags/instance/runfleet:runner) printf '%s' runner-1 ;;
              https://github.com/*) echo 'not the release tarball' >"$out" ;;
              *) exit 7 ;;
            esac
            """);
    // runuser records only who runs what: the config after the command is run.sh's business.
    stub(
        "runuser",
        """
        line=runuser
        while (($#)); do line="$line $1"; if [[ $1 == -- ]]; then shift; break; fi; shift; done
        printf '%s %s\\n' "$line" "$1" >>'CALLS'
        exec "$@"
        """
            .replace("CALLS", calls.toString()));
    stub("systemd-cat", log + "exec cat\n");
    stub("id", log + "exit 1\n");
    for (String name : List.of("shutdown", "iptables", "useradd", "chown")) {
      stub(name, log);
    }
    Path runSh = runnerHome.resolve("run.sh");
    Files.writeString(
        runSh,
        "#!/bin/bash\n"
            + "echo run.sh >>'"
            + calls
            + "'\n"
            + "printf '%s\\n' \"$@\" >'"
            + runShArgs
            + "'\n"
            + "env >'"
            + runShEnv
            + "'\n"
            // What /proc shows of this process to anyone who can read it: the environment it was
            // exec'd with, and its pid (PID 1 in a container whose entrypoint only execs).
            + "tr '\\0' '\\n' </proc/$$/environ >'"
            + runShProcEnviron
            + "'\n"
            + "echo $$ >'"
            + runShPid
            + "'\n"
            + "echo \"runner: one job done in $PWD\"\n"
            + "exit \"${STUB_RUN_EXIT:-0}\"\n");
    executable(runSh);
  }

  private void stub(String name, String body) throws IOException {
    Path path = bin.resolve(name);
    Files.writeString(path, "#!/bin/bash\n" + body);
    executable(path);
  }

  static void executable(Path path) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
  }

  /** Copies a script next to the stubs (executable, as in the image) and returns its path. */
  Path install(Path script) {
    try {
      Path target = root.resolve("scripts").resolve(script.getFileName());
      Files.createDirectories(target.getParent());
      Files.copy(script, target);
      executable(target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path write(String name, String content) {
    try {
      Path target = root.resolve("scripts").resolve(name);
      Files.createDirectories(target.getParent());
      Files.writeString(target, content);
      executable(target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result run(Path script, String... args) {
    var command = new java.util.ArrayList<String>(List.of(BASH.toString(), script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      lastPid = process.pid();
      process.getOutputStream().close();
      // Read to end of stream: the journal stub (systemd-cat) may outlive the script by a moment.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("script did not finish within 30 s: " + script);
      }
      return new Result(process.exitValue(), output, callLines());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private List<String> callLines() throws IOException {
    return Files.readAllLines(calls).stream().filter(line -> !line.isBlank()).toList();
  }

  List<String> runShArguments() {
    try {
      return Files.readAllLines(runShArgs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** run.sh's /proc/self/environ, one variable a line. */
  List<String> runShProcEnviron() {
    try {
      return Files.readAllLines(runShProcEnviron);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** run.sh's pid. */
  long runShPid() {
    try {
      return Long.parseLong(Files.readString(runShPid).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Map<String, String> runShEnvironment() {
    try {
      Map<String, String> result = new HashMap<>();
      for (String line : Files.readAllLines(runShEnv)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          result.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The config may be in run.sh's argv record and nowhere else on disk (the aws stub, which plays
   * Secrets Manager, holds it in its own body).
   */
  void assertConfigOnlyInRunShArguments(Result result) {
    assertThat(result.output()).doesNotContain(jitConfig);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (file.equals(runShArgs) || file.equals(bin.resolve("aws"))) {
          continue;
        }
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content).as("content of %s", root.relativize(file)).doesNotContain(jitConfig);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Result(int exitCode, String output, List<String> calls) {

    /**
     * The script's own calls in order: without the journal logger, which {@code exec >
     * >(systemd-cat ...)} starts beside the script, so its stub may log its call at any moment
     * (under load, after the script's last call).
     */
    List<String> sequence() {
      return calls.stream().filter(call -> !call.startsWith("systemd-cat")).toList();
    }

    int indexOf(String prefix) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).startsWith(prefix)) {
          return i;
        }
      }
      return -1;
    }

    long count(String prefix) {
      return calls.stream().filter(call -> call.startsWith(prefix)).count();
    }
  }
}
