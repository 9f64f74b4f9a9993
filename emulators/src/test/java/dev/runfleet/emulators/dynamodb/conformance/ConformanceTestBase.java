package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * Runs every conformance class once per target ({@link Targets#all()}); a target that cannot run
 * here skips the whole class invocation. Tables are created once per class and target, by {@link
 * #createTables()}, and deleted after it.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.runfleet.emulators.dynamodb.conformance.Targets#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Targets.ContextResolver.class)
public abstract class ConformanceTestBase {

  @Parameter Targets.Slot slot;

  protected ConformanceTarget target;
  protected DynamoDbClient ddb;
  protected DynamoDbStreamsClient streams;
  private final List<String> tables = new ArrayList<>();
  private String unavailable;

  @BeforeParameterizedClassInvocation(injectArguments = false)
  final void connect(ExtensionContext context) {
    unavailable = slot.unavailableReason().get();
    if (unavailable != null) {
      return; // every test of this invocation is skipped by skipWhereUnavailable
    }
    target = slot.acquire(context);
    ddb = target.dynamoDb();
    streams = target.streams();
    createTables();
  }

  /**
   * Skips (rather than hides) each test of a target that cannot run here, so reports count them.
   */
  @BeforeEach
  final void skipWhereUnavailable() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @AfterParameterizedClassInvocation(injectArguments = false)
  final void dropTables() {
    if (ddb == null) {
      return;
    }
    for (String table : tables) {
      try {
        ddb.deleteTable(b -> b.tableName(table));
      } catch (ResourceNotFoundException e) {
        // a test deleted it already
      }
    }
    tables.clear();
  }

  /** Creates the tables the class needs, with {@link #createTable(CreateTableRequest)}. */
  protected void createTables() {}

  // ---- tables ----

  /** A table name unique to this run, class and {@code suffix}. */
  protected String tableName(String suffix) {
    String cls = getClass().getSimpleName().replace("ConformanceTest", "").toLowerCase();
    return target.tablePrefix() + cls + "-" + suffix;
  }

  /**
   * Creates the table (name taken as given), waits until it is ACTIVE, and deletes it after the
   * class.
   */
  protected TableDescription createTable(CreateTableRequest request) {
    ddb.createTable(request);
    tables.add(request.tableName());
    return awaitActive(request.tableName());
  }

  protected TableDescription awaitActive(String table) {
    try (DynamoDbWaiter waiter = ddb.waiter()) {
      return waiter
          .waitUntilTableExists(b -> b.tableName(table))
          .matched()
          .response()
          .orElseThrow()
          .table();
    }
  }

  /** Forget a table a test deleted itself. */
  protected void forgetTable(String table) {
    tables.remove(table);
  }

  /** On-demand table keyed by {@code pk} (S), optionally {@code sk} (S), optionally a stream. */
  protected static CreateTableRequest.Builder keyedTable(
      String name, boolean withSortKey, StreamViewType streamView) {
    List<AttributeDefinition> defs = new ArrayList<>();
    List<KeySchemaElement> keys = new ArrayList<>();
    defs.add(attr("pk", ScalarAttributeType.S));
    keys.add(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
    if (withSortKey) {
      defs.add(attr("sk", ScalarAttributeType.S));
      keys.add(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
    }
    CreateTableRequest.Builder b =
        CreateTableRequest.builder()
            .tableName(name)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(defs)
            .keySchema(keys);
    if (streamView != null) {
      b.streamSpecification(
          StreamSpecification.builder().streamEnabled(true).streamViewType(streamView).build());
    }
    return b;
  }

  protected static AttributeDefinition attr(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  // ---- values ----

  /** A key value no other test (or run) uses. */
  protected static String uniq(String hint) {
    return hint + "-" + UUID.randomUUID();
  }

  protected static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  protected static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  protected static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  protected static AttributeValue b(byte... v) {
    return AttributeValue.fromB(SdkBytes.fromByteArray(v));
  }

  protected static AttributeValue bool(boolean v) {
    return AttributeValue.fromBool(v);
  }

  protected static AttributeValue nul() {
    return AttributeValue.fromNul(true);
  }

  protected static AttributeValue ss(String... v) {
    return AttributeValue.fromSs(List.of(v));
  }

  protected static AttributeValue ns(String... v) {
    return AttributeValue.fromNs(List.of(v));
  }

  protected static AttributeValue l(AttributeValue... v) {
    return AttributeValue.fromL(List.of(v));
  }

  protected static AttributeValue m(Object... kv) {
    return AttributeValue.fromM(item(kv));
  }

  /** A map from alternating names and values. */
  protected static Map<String, AttributeValue> item(Object... kv) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put((String) kv[i], (AttributeValue) kv[i + 1]);
    }
    return map;
  }

  // ---- errors ----

  /** Asserts that {@code call} fails with a service error of {@code code} and returns it. */
  protected static DynamoDbException expectError(String code, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected %s", code).isInstanceOf(DynamoDbException.class);
    DynamoDbException e = (DynamoDbException) thrown;
    assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
    return e;
  }

  /** Asserts a ValidationException whose message contains {@code fragment} (ignoring case). */
  protected static DynamoDbException expectValidation(String fragment, ThrowingCallable call) {
    DynamoDbException e = expectError("ValidationException", call);
    if (fragment != null) {
      assertThat(e.awsErrorDetails().errorMessage()).containsIgnoringCase(fragment);
    }
    return e;
  }

  /**
   * Retries {@code assertion} until it passes: for reads that are eventually consistent on real AWS
   * (GSIs, streams). Emulators pass at once or within a short wait.
   */
  protected void eventually(Runnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(target.slow() ? 60 : 5))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(assertion::run);
  }

  protected void assumeClock() {
    Assumptions.assumeTrue(
        target.canMoveClock(), target.name() + " cannot move its clock: clock case skipped");
  }
}
