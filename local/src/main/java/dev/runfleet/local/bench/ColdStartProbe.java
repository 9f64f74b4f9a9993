package dev.runfleet.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.runfleet.aws.lambda.SnapStartPrimed;
import dev.runfleet.local.aws.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The main of {@code bench coldstart}'s child JVMs, playing Lambda's Java runtime for one
 * invocation: the handler class named by its argument is loaded from the function's shaded jar (the
 * child's class path holds only that jar, this probe and the runtime's own event serialisation
 * library), built through its no-arg constructor, and called once with the event file's bytes,
 * deserialised as the runtime deserialises them. It prints one marker line with the answer and
 * exits; the parent's clock stops at that line.
 *
 * <p>Runs outside the local runtime's class path: it may use only the JDK, what every function jar
 * holds (the Lambda core interfaces, SLF4J, {@code common-aws}'s {@link SnapStartPrimed}), the
 * serialisation library and {@link LocalContext}.
 */
public final class ColdStartProbe {

  /** The first words of the line the parent waits for. */
  public static final String MARKER = "coldstart-probe:";

  /** The first words of the line before it: the first invocation's milliseconds. */
  public static final String INVOCATION_MARKER = "coldstart-probe-invocation-ms:";

  /** The optional third argument: run the handler's SnapStart priming before the invocation. */
  public static final String PRIMED = "--primed";

  private ColdStartProbe() {}

  /**
   * {@code <handler class> <event file> [--primed]}: one invocation; exits 0 after printing the
   * invocation's milliseconds ({@link #INVOCATION_MARKER}) and {@code coldstart-probe: <answer
   * JSON>}, 1 when the handler threw. With {@code --primed} the handler's SnapStart priming runs
   * between its construction and the invocation, as the snapshot Lambda restores has it done.
   */
  public static void main(String[] args) throws Exception {
    boolean primed = args.length == 3 && PRIMED.equals(args[2]);
    if (args.length != 2 && !primed) {
      System.err.println("usage: ColdStartProbe <handler class> <event file> [--primed]");
      System.exit(2);
    }
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
    if (primed) {
      if (!(handler instanceof SnapStartPrimed withPriming)) {
        throw new IllegalArgumentException(args[0] + " has no SnapStart priming");
      }
      // Lambda's sequence around the snapshot: a failed priming is logged, the snapshot goes on.
      withPriming.snapStartPriming().beforeCheckpoint(null);
      withPriming.snapStartPriming().afterRestore(null);
    }
    long started = System.nanoTime();
    String answer =
        invoke(handler, event, new LocalContext(functionName(args[0]), Duration.ofSeconds(30)));
    System.out.println(INVOCATION_MARKER + " " + (System.nanoTime() - started) / 1e6);
    System.out.println(MARKER + " " + answer);
    System.out.flush();
    System.exit(0);
  }

  private static String functionName(String handler) {
    return handler.substring(handler.lastIndexOf('.') + 1);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String invoke(Object handler, byte[] event, Context context) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (handler instanceof RequestStreamHandler stream) {
      try (InputStream in = new java.io.ByteArrayInputStream(event)) {
        stream.handleRequest(in, out, context);
      }
      return out.toString(StandardCharsets.UTF_8);
    }
    RequestHandler typed = (RequestHandler) handler;
    Method method = handleRequest(handler.getClass());
    ClassLoader loader = handler.getClass().getClassLoader();
    PojoSerializer in = LambdaEventSerializers.serializerFor(method.getParameterTypes()[0], loader);
    Object answer =
        typed.handleRequest(in.fromJson(new String(event, StandardCharsets.UTF_8)), context);
    PojoSerializer outSerializer = LambdaEventSerializers.serializerFor(answer.getClass(), loader);
    outSerializer.toJson(answer, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The handler's own {@code handleRequest}, not the erased bridge, as the runtime finds it. */
  private static Method handleRequest(Class<?> type) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals("handleRequest")
          && !m.isBridge()
          && m.getParameterCount() == 2
          && m.getParameterTypes()[1] == Context.class) {
        return m;
      }
    }
    throw new IllegalArgumentException(type.getName() + " has no handleRequest(T, Context)");
  }

  /** The bare-JVM run the handlers are compared with: a main that prints and exits. */
  public static final class Bare {

    private Bare() {}

    public static void main(String[] args) {
      System.out.println(MARKER + " bare");
    }
  }
}
