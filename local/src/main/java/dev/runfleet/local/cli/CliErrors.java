package dev.runfleet.local.cli;

import dev.runfleet.common.config.Env;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * How every command reports a failure. Exit codes: 0 done, 1 the command ran and failed (a runtime
 * error: one line saying what to do; {@code --verbose} adds the stack trace), 2 the command line is
 * wrong (one line naming the option, then the usage hint); nothing starts before the options are
 * checked.
 */
final class CliErrors {

  static final int FAILED = 1;
  static final int USAGE = 2;

  /** The global option that adds the stack trace to a runtime error. */
  static final String VERBOSE = "--verbose";

  private CliErrors() {}

  /** A runtime failure the command anticipated: its message is the whole answer to the user. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Nothing answered at {@code address}, which {@code option} gave (or defaulted). */
  static Failure unreachable(URI address, String option, IOException e) {
    return new Failure(
        "nothing answers at "
            + address
            + " ("
            + firstLine(e)
            + "): start 'runfleet local' there, or correct "
            + option,
        e);
  }

  /** The command line with both handlers installed. */
  static CommandLine install(CommandLine cli) {
    return cli.setParameterExceptionHandler(CliErrors::usage)
        .setExecutionExceptionHandler(CliErrors::failure);
  }

  private static int usage(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + name + " --help' for usage.");
    err.flush();
    return USAGE;
  }

  private static int failure(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().qualifiedName() + ": " + explain(e));
    if (verbose(parsed)) {
      trace(e, err);
    }
    err.flush();
    return FAILED;
  }

  /** {@code --verbose} may follow any command of the path: look at each. */
  private static boolean verbose(ParseResult parsed) {
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  /** One line: what went wrong and what to do about it. */
  static String explain(Throwable e) {
    if (e instanceof Failure || e instanceof Env.ConfigException) {
      return e.getMessage();
    }
    if (find(e, BindException.class) != null) {
      return firstLine(e)
          + ": stop what holds the port, or choose another with --port N (0: any free port)";
    }
    String aws = explainAws(e);
    if (aws != null) {
      return aws;
    }
    Throwable unreachable = find(e, ConnectException.class);
    if (unreachable == null) {
      unreachable = find(e, HttpConnectTimeoutException.class);
    }
    if (unreachable == null) {
      unreachable = find(e, UnknownHostException.class);
    }
    if (unreachable != null) {
      return "cannot connect ("
          + firstLine(unreachable)
          + "): check the address, and that the server there is running";
    }
    if (find(e, HttpTimeoutException.class) != null) {
      return "the server did not answer in time: check that it is healthy, then try again";
    }
    String what =
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getClass().getSimpleName() + ": " + firstLine(e);
    return what + " — unexpected: run again with " + VERBOSE + " and report the trace";
  }

  /** The SDK's errors, or null when {@code e} is none of them. */
  private static String explainAws(Throwable e) {
    AwsServiceException refused = find(e, AwsServiceException.class);
    if (refused != null) {
      AwsErrorDetails details = refused.awsErrorDetails();
      String what =
          details == null
              ? firstLine(refused)
              : details.errorCode() + ": " + details.errorMessage();
      return "AWS refused the call ("
          + what
          + "): check the credentials' permissions, --region and --stage";
    }
    SdkClientException client = find(e, SdkClientException.class);
    if (client == null) {
      return null;
    }
    if (firstLine(client).contains("Unable to load credentials")) {
      return "no AWS credentials found: run 'aws configure' or 'aws sso login', or set AWS_PROFILE"
          + " (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); or pass --endpoint"
          + " http://127.0.0.1:8080 to use a running 'runfleet local'";
    }
    if (find(e, ConnectException.class) != null || find(e, UnknownHostException.class) != null) {
      // Left to the connection rule below, which names the address.
      return null;
    }
    return "the AWS call failed (" + firstLine(client) + "): check the network and --region";
  }

  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The first line of the first message in the cause chain (the JDK's often sit below). */
  static String firstLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()) {
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
      }
    }
    return e.getClass().getSimpleName();
  }

  private static void trace(Throwable e, PrintWriter err) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      err.println((t == e ? "" : "Caused by: ") + t);
      for (StackTraceElement frame : t.getStackTrace()) {
        err.println("\tat " + frame);
      }
    }
  }
}
