package dev.runfleet.aws.lambdajar;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Runs one handler of a shaded Lambda jar the way the Java runtime does, in the JVM it is started
 * in: the class by name, its no-arg constructor, the event read with the runtime's own serializer
 * ({@code aws-lambda-java-serialization}, whose Jackson is relocated, so nothing the jar lacks is
 * lent by it), one invocation, the answer written to a file.
 *
 * <p>Its class path is the Lambda jar, the serializer jar and this class only: a class the jar
 * dropped fails the run. Arguments: handler class, event file, answer file.
 */
public final class LambdaJarMain {

  private LambdaJarMain() {}

  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    Object handler = type.getConstructor().newInstance();
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    byte[] answer;
    if (handler instanceof RequestStreamHandler stream) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      stream.handleRequest(new java.io.ByteArrayInputStream(event), out, new RunContext());
      answer = out.toByteArray();
    } else {
      Method method = handleRequest(type);
      Object input = serializer(method.getParameterTypes()[0]).fromJson(new String(event, "UTF-8"));
      Object output = method.invoke(handler, input, new RunContext());
      answer = write(output);
    }
    Files.write(Path.of(args[2]), answer);
  }

  private static Method handleRequest(Class<?> type) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals("handleRequest")
          && m.getParameterCount() == 2
          && !m.isBridge()
          && Context.class.equals(m.getParameterTypes()[1])) {
        return m;
      }
    }
    throw new IllegalArgumentException(type + " has no handleRequest(event, Context)");
  }

  @SuppressWarnings("unchecked")
  private static <T> PojoSerializer<T> serializer(Class<T> type) {
    return LambdaEventSerializers.serializerFor(type, LambdaJarMain.class.getClassLoader());
  }

  @SuppressWarnings("unchecked")
  private static byte[] write(Object output) {
    if (output == null) {
      return "null".getBytes();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ((PojoSerializer<Object>) serializer((Class<Object>) output.getClass())).toJson(output, out);
    return out.toByteArray();
  }

  /** What the runtime gives: ids, limits, a logger writing to stdout. */
  private static final class RunContext implements Context {
    private final String requestId = UUID.randomUUID().toString();

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/lambda-jar-run";
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return "lambda-jar-run";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:lambda-jar-run";
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
      return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.out.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.out.write(message, 0, message.length);
        }
      };
    }
  }
}
