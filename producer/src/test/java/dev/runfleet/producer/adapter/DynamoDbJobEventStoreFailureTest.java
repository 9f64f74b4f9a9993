package dev.runfleet.producer.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.EventKind;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.common.port.JobEventStore.Appended;
import dev.runfleet.common.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** How the store classifies DynamoDB's failures, against a scripted client. */
class DynamoDbJobEventStoreFailureTest {

  private static final WorkflowJobEvent QUEUED =
      new WorkflowJobEvent(
          "d-1",
          EventKind.QUEUED,
          new JobKey(11, 1),
          1,
          "acme/widgets",
          null,
          null,
          List.of("self-hosted", "linux", "x64", "fargate"),
          null,
          null,
          Instant.parse("2024-05-01T10:00:00Z"),
          null);

  /** Its job is normally on file: the store advances it blind. */
  private static final WorkflowJobEvent IN_PROGRESS =
      new WorkflowJobEvent(
          "d-2",
          EventKind.IN_PROGRESS,
          new JobKey(11, 1),
          1,
          "acme/widgets",
          null,
          null,
          List.of("self-hosted", "linux", "x64", "fargate"),
          9L,
          "runner-11",
          Instant.parse("2024-05-01T10:00:00Z"),
          null);

  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private final List<TransactWriteItemsRequest> written = new ArrayList<>();
  private final List<Integer> pauses = new ArrayList<>();
  private Supplier<GetItemResponse> onGet = () -> GetItemResponse.builder().build();
  private Supplier<TransactWriteItemsResponse> onWrite =
      () -> TransactWriteItemsResponse.builder().build();

  private final DynamoDbClient client =
      new DynamoDbClient() {
        @Override
        public GetItemResponse getItem(GetItemRequest request) {
          reads.incrementAndGet();
          return onGet.get();
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
          writes.incrementAndGet();
          written.add(request);
          return onWrite.get();
        }

        @Override
        public String serviceName() {
          return "dynamodb";
        }

        @Override
        public void close() {}
      };

  private final DynamoDbJobEventStore store =
      new DynamoDbJobEventStore(
          client,
          "jobs",
          new JobStateMachine(PlatformCatalog.defaults()),
          Clock.systemUTC(),
          pauses::add);

  private static TransactionCanceledException cancelled(String... codes) {
    List<CancellationReason> reasons = new ArrayList<>();
    for (String code : codes) {
      reasons.add(CancellationReason.builder().code(code).build());
    }
    return TransactionCanceledException.builder()
        .message("Transaction cancelled")
        .cancellationReasons(reasons)
        .build();
  }

  @Test
  void append_whenJobVersionKeepsMoving_retriesBoundedThenUnavailable() {
    onWrite =
        () -> {
          throw cancelled("None", "None", "ConditionalCheckFailed");
        };

    assertThatThrownBy(() -> store.append(QUEUED))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("contended")
        .hasCauseInstanceOf(TransactionCanceledException.class);
    assertThat(writes).hasValue(DynamoDbJobEventStore.MAX_ATTEMPTS);
    assertThat(pauses).containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void append_whenRetryBudgetSpent_stopsRetrying() {
    onWrite =
        () -> {
          throw cancelled("None", "None", "ConditionalCheckFailed");
        };
    AtomicInteger reads = new AtomicInteger();
    Instant start = Instant.parse("2024-05-01T10:00:00Z");
    // The deadline and the first attempt read the start; every later reading is past the budget.
    Clock slow =
        new Clock() {
          @Override
          public Instant instant() {
            int n = reads.getAndIncrement();
            return n < 2 ? start : start.plus(DynamoDbJobEventStore.RETRY_BUDGET).plusMillis(n);
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    DynamoDbJobEventStore store =
        new DynamoDbJobEventStore(
            client, "jobs", new JobStateMachine(PlatformCatalog.defaults()), slow, pauses::add);

    assertThatThrownBy(() -> store.append(QUEUED)).isInstanceOf(StoreUnavailableException.class);
    assertThat(writes).hasValue(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void append_whenTransactionConflictThenSuccess_records() {
    conflictFirst();

    assertThat(store.append(QUEUED)).isInstanceOf(Appended.Recorded.class);
    assertThat(writes).hasValue(2);
    assertThat(pauses).containsExactly(1);
  }

  @Test
  void append_whenDeliveryAndEventBothExist_reportsTheDelivery() {
    onWrite =
        () -> {
          throw cancelled("ConditionalCheckFailed", "ConditionalCheckFailed", "None");
        };

    assertThat(store.append(QUEUED)).isEqualTo(new Appended.Duplicate("delivery d-1 seen before"));
    assertThat(writes).hasValue(1);
  }

  @Test
  void append_whenTransactionThrottled_isUnavailableWithoutRetry() {
    onWrite =
        () -> {
          throw cancelled("None", "ThrottlingError", "None");
        };

    assertThatThrownBy(() -> store.append(QUEUED)).isInstanceOf(StoreUnavailableException.class);
    assertThat(writes).hasValue(1);
  }

  @Test
  void append_queued_writesOnceWithoutReading() {
    assertThat(store.append(QUEUED)).isInstanceOf(Appended.Recorded.class);

    assertThat(reads).hasValue(0);
    assertThat(writes).hasValue(1);
    assertThat(written.get(0).transactItems().get(2).put().conditionExpression())
        .isEqualTo("attribute_not_exists(#pk)");
  }

  @Test
  void append_queuedWhenTheJobExists_foldsOnTheJobItsCancelledWriteReturned() {
    Job stored =
        new JobStateMachine(PlatformCatalog.defaults())
            .apply(null, IN_PROGRESS, Instant.parse("2024-05-01T10:05:00Z"))
            .withVersion(3);
    AtomicInteger calls = new AtomicInteger();
    onWrite =
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw TransactionCanceledException.builder()
                .message("Transaction cancelled")
                .cancellationReasons(
                    CancellationReason.builder().code("None").build(),
                    CancellationReason.builder().code("None").build(),
                    CancellationReason.builder()
                        .code("ConditionalCheckFailed")
                        .item(JobsTable.jobItem(stored))
                        .build())
                .build();
          }
          return TransactWriteItemsResponse.builder().build();
        };

    Appended appended = store.append(QUEUED);

    // A late queued moves an in-progress job nothing: only its delivery and event are written.
    assertThat(appended).isEqualTo(Appended.Recorded.of(stored));
    assertThat(reads).as("the cancelled write returned the job").hasValue(0);
    assertThat(writes).hasValue(2);
    assertThat(written.get(1).transactItems()).hasSize(2);
  }

  @Test
  void append_inProgress_writesOnceWithoutReading_asAnAdvanceTheServerChecks() {
    assertThat(store.append(IN_PROGRESS)).isInstanceOf(Appended.Recorded.class);

    assertThat(reads).hasValue(0);
    assertThat(writes).hasValue(1);
    var job = written.get(0).transactItems().get(2).update();
    assertThat(job.conditionExpression())
        .isEqualTo(
            "attribute_not_exists(#pk) OR (#status IN (:below1, :below2, :below3)"
                + " AND #platform = :platform)");
    assertThat(job.updateExpression())
        .contains("#status = :status", "#version = if_not_exists(#version, :zero) + :one")
        .contains("#dispatchCount = if_not_exists(#dispatchCount, :dispatchCount)")
        .endsWith(" REMOVE #qpk, #qsk")
        .doesNotContain("dispatchedRunner");
  }

  /** A conflict returns no item: the only case that reads the job. */
  private void conflictFirst() {
    AtomicInteger calls = new AtomicInteger();
    onWrite =
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw cancelled("None", "None", "TransactionConflict");
          }
          return TransactWriteItemsResponse.builder().build();
        };
  }

  @Test
  void append_afterATransactionConflict_readsTheJobOnce() {
    conflictFirst();

    assertThat(store.append(IN_PROGRESS)).isInstanceOf(Appended.Recorded.class);

    assertThat(reads).hasValue(1);
    assertThat(writes).hasValue(2);
  }

  @Test
  void append_whenReadThrottled_isUnavailable() {
    conflictFirst();
    onGet =
        () -> {
          throw ProvisionedThroughputExceededException.builder()
              .message("slow down")
              .statusCode(400)
              .awsErrorDetails(
                  software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                      .errorCode("ProvisionedThroughputExceededException")
                      .build())
              .build();
        };

    assertThatThrownBy(() -> store.append(IN_PROGRESS))
        .isInstanceOf(StoreUnavailableException.class)
        .hasCauseInstanceOf(ProvisionedThroughputExceededException.class);
  }

  @Test
  void append_whenServerErrorOrTimeout_isUnavailable() {
    onWrite =
        () -> {
          throw InternalServerErrorException.builder().message("oops").statusCode(500).build();
        };
    assertThatThrownBy(() -> store.append(QUEUED)).isInstanceOf(StoreUnavailableException.class);

    onWrite =
        () -> {
          throw ApiCallTimeoutException.create(8_000);
        };
    assertThatThrownBy(() -> store.append(QUEUED)).isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void append_whenTableMissing_surfacesTheMisconfiguration() {
    conflictFirst();
    onGet =
        () -> {
          throw ResourceNotFoundException.builder().message("no table").statusCode(400).build();
        };

    assertThatThrownBy(() -> store.append(IN_PROGRESS))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void append_queuedWhenTableMissing_surfacesTheMisconfiguration() {
    onWrite =
        () -> {
          throw ResourceNotFoundException.builder().message("no table").statusCode(400).build();
        };

    assertThatThrownBy(() -> store.append(QUEUED)).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void append_whenDynamoDbRefusesTheItemSize_answersTooLargeNotAFailure() {
    onWrite =
        () -> {
          throw DynamoDbException.builder()
              .message("Item size has exceeded the maximum allowed size")
              .statusCode(400)
              .awsErrorDetails(
                  software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                      .errorCode("ValidationException")
                      .errorMessage("Item size has exceeded the maximum allowed size")
                      .build())
              .build();
        };

    assertThat(store.append(QUEUED))
        .isEqualTo(
            new Appended.TooLarge(
                "ValidationException: Item size has exceeded the maximum allowed size"));
    assertThat(writes).hasValue(1);
  }

  @Test
  void append_whenTransactionCancelledForAnItemsSize_answersTooLarge() {
    onWrite =
        () -> {
          throw TransactionCanceledException.builder()
              .message("Transaction cancelled")
              .cancellationReasons(
                  CancellationReason.builder().code("None").build(),
                  CancellationReason.builder()
                      .code("ValidationError")
                      .message("Item size to update has exceeded the maximum allowed size")
                      .build())
              .build();
        };

    assertThat(store.append(QUEUED)).isInstanceOf(Appended.TooLarge.class);
    assertThat(writes).hasValue(1);
  }
}
