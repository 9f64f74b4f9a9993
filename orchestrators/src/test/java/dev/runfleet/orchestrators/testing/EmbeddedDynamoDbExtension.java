package dev.runfleet.orchestrators.testing;

import dev.runfleet.emulators.EmbeddedDynamoDb;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded DynamoDB for the whole test run, started on first use and closed when the run ends;
 * test methods and lifecycle methods receive it as an {@link EmbeddedDynamoDb} parameter. Each test
 * creates its own table with {@link #freshTableName}.
 */
public final class EmbeddedDynamoDbExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedDynamoDbExtension.class);
  private static final AtomicInteger TABLES = new AtomicInteger();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedDynamoDb.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            EmbeddedDynamoDb.class, key -> EmbeddedDynamoDb.start(0), EmbeddedDynamoDb.class);
  }

  /** A table name no other test of this run uses. */
  public static String freshTableName(String prefix) {
    return prefix + "-" + TABLES.incrementAndGet();
  }
}
