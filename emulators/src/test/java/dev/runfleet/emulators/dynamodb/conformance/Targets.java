package dev.runfleet.emulators.dynamodb.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The targets every conformance class runs against, in order: embedded, LocalStack, any endpoint.
 * Each is started at most once per test run, on first use, and closed when the run ends. System
 * property {@code runfleet.conformance.targets} (comma-separated names) narrows the list.
 */
public final class Targets {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(Targets.class);

  private Targets() {}

  /** The {@code @MethodSource} of {@link ConformanceTestBase}. */
  public static List<Slot> all() {
    List<Slot> slots =
        List.of(
            new Slot("embedded", () -> null, EmbeddedTarget::start),
            new Slot("localstack", LocalStackTarget::unavailableReason, LocalStackTarget::start),
            new Slot("endpoint", EndpointTarget::unavailableReason, EndpointTarget::start));
    String only = System.getProperty("runfleet.conformance.targets", "").trim();
    if (only.isEmpty()) {
      return slots;
    }
    List<String> wanted =
        Arrays.stream(only.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    return slots.stream().filter(s -> wanted.contains(s.name())).toList();
  }

  /** A target that may not be available here; started lazily, shared by every class of a run. */
  public record Slot(
      String name, Supplier<String> unavailableReason, Supplier<ConformanceTarget> factory) {

    /** The running target; started on first call of the run, closed when the run ends. */
    ConformanceTarget acquire(ExtensionContext context) {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(name, k -> new Running(factory.get()), Running.class)
          .target();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Lets the class-invocation set-up receive its {@link ExtensionContext}. */
  public static final class ContextResolver implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == ExtensionContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context;
    }
  }

  private record Running(ConformanceTarget target) implements AutoCloseable {
    @Override
    public void close() {
      target.close();
    }
  }
}
