package dev.runfleet.local.aws;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda {@link Context} of one local invocation: a fresh request id, a deadline that counts
 * down like the function timeout (nothing enforces it), and a {@link LambdaLogger} writing to
 * SLF4J. Create one per invocation.
 */
public final class LocalContext implements Context {

  public static final String ACCOUNT_ID = "000000000000";
  public static final int MEMORY_MB = 512;

  private final String functionName;
  private final String region;
  private final String requestId;
  private final Instant deadline;
  private final Clock clock;
  private final LambdaLogger logger;

  /**
   * A context for one invocation of {@code functionName} in us-east-1 with the given function
   * timeout.
   */
  public LocalContext(String functionName, Duration timeout) {
    this(functionName, "us-east-1", timeout, Clock.systemUTC());
  }

  public LocalContext(String functionName, String region, Duration timeout, Clock clock) {
    this.functionName = Objects.requireNonNull(functionName, "functionName");
    this.region = Objects.requireNonNull(region, "region");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.requestId = UUID.randomUUID().toString();
    this.deadline = clock.instant().plus(Objects.requireNonNull(timeout, "timeout"));
    this.logger = new Slf4jLambdaLogger(LoggerFactory.getLogger("lambda." + functionName));
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local/[$LATEST]" + requestId.substring(0, 8);
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:" + region + ":" + ACCOUNT_ID + ":function:" + functionName;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long left = Duration.between(clock.instant(), deadline).toMillis();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
  }

  @Override
  public int getMemoryLimitInMB() {
    return MEMORY_MB;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }

  @Override
  public String toString() {
    return "LocalContext[" + functionName + " " + requestId + "]";
  }

  /** Lambda's logger contract (one entry per call, trailing newline optional) on top of SLF4J. */
  private static final class Slf4jLambdaLogger implements LambdaLogger {

    private final Logger log;

    Slf4jLambdaLogger(Logger log) {
      this.log = log;
    }

    @Override
    public void log(String message) {
      log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
      log(new String(message, StandardCharsets.UTF_8), LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message, LogLevel level) {
      String line = stripTrailingNewline(message);
      switch (level == null ? LogLevel.UNDEFINED : level) {
        case TRACE -> log.trace(line);
        case DEBUG -> log.debug(line);
        case WARN -> log.warn(line);
        case ERROR, FATAL -> log.error(line);
        default -> log.info(line);
      }
    }

    @Override
    public void log(byte[] message, LogLevel level) {
      log(new String(message, StandardCharsets.UTF_8), level);
    }

    private static String stripTrailingNewline(String message) {
      if (message == null) {
        return "null";
      }
      int end = message.length();
      while (end > 0 && (message.charAt(end - 1) == '\n' || message.charAt(end - 1) == '\r')) {
        end--;
      }
      return message.substring(0, end);
    }
  }
}
