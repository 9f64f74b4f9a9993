package dev.runfleet.emulators.dynamodb;

import java.util.List;

/**
 * An error the emulator answers with, carrying the wire {@code __type} and HTTP status AWS uses for
 * it, so the SDK raises the same exception class against the emulator as against DynamoDB.
 */
public final class DynamoDbError extends RuntimeException {

  private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";
  private static final String CORAL = "com.amazon.coral.validate#";

  /** One entry of a cancelled transaction's CancellationReasons, in request order. */
  public record CancellationReason(String code, String message, java.util.Map<String, Value> item) {
    public static final CancellationReason NONE = new CancellationReason("None", null, null);
  }

  private final String type;
  private final int status;
  private final List<CancellationReason> reasons;

  private DynamoDbError(String type, int status, String message, List<CancellationReason> reasons) {
    super(message, null, false, false);
    this.type = type;
    this.status = status;
    this.reasons = reasons;
  }

  /**
   * The fully qualified {@code __type}, e.g. {@code com.amazon.coral.validate#ValidationException}.
   */
  public String type() {
    return type;
  }

  /** The short name after {@code #}, e.g. {@code ValidationException}. */
  public String shortType() {
    return type.substring(type.indexOf('#') + 1);
  }

  public int status() {
    return status;
  }

  /** Reasons of a {@code TransactionCanceledException}; empty otherwise. */
  public List<CancellationReason> reasons() {
    return reasons;
  }

  public static DynamoDbError validation(String message) {
    return new DynamoDbError(CORAL + "ValidationException", 400, message, List.of());
  }

  public static DynamoDbError serialization(String message) {
    return new DynamoDbError(
        "com.amazon.coral.service#SerializationException", 400, message, List.of());
  }

  public static DynamoDbError conditionalCheckFailed(java.util.Map<String, Value> item) {
    return new DynamoDbError(
        DYNAMODB + "ConditionalCheckFailedException",
        400,
        "The conditional request failed",
        item == null
            ? List.of()
            : List.of(new CancellationReason("ConditionalCheckFailed", null, item)));
  }

  public static DynamoDbError resourceNotFound(String message) {
    return new DynamoDbError(DYNAMODB + "ResourceNotFoundException", 400, message, List.of());
  }

  public static DynamoDbError resourceInUse(String message) {
    return new DynamoDbError(DYNAMODB + "ResourceInUseException", 400, message, List.of());
  }

  public static DynamoDbError expiredIterator(String message) {
    return new DynamoDbError(DYNAMODB + "ExpiredIteratorException", 400, message, List.of());
  }

  public static DynamoDbError trimmedDataAccess(String message) {
    return new DynamoDbError(DYNAMODB + "TrimmedDataAccessException", 400, message, List.of());
  }

  public static DynamoDbError unknownOperation(String operation) {
    return new DynamoDbError(
        "com.amazon.coral.service#UnknownOperationException",
        400,
        "operation " + operation + " is not served by the runfleet emulator",
        List.of());
  }

  public static DynamoDbError internal(String message) {
    return new DynamoDbError(DYNAMODB + "InternalServerError", 500, message, List.of());
  }

  /** A cancelled transaction; {@code reasons} has one entry per action, in request order. */
  public static DynamoDbError transactionCanceled(List<CancellationReason> reasons) {
    StringBuilder codes = new StringBuilder();
    for (CancellationReason r : reasons) {
      codes.append(codes.length() == 0 ? "" : ", ").append(r.code());
    }
    return new DynamoDbError(
        DYNAMODB + "TransactionCanceledException",
        400,
        "Transaction cancelled, please refer cancellation reasons for specific reasons ["
            + codes
            + "]",
        List.copyOf(reasons));
  }

  /** The cancellation reason this error stands for when it happens inside a transaction. */
  public CancellationReason asReason() {
    if (!reasons.isEmpty()) {
      return reasons.get(0);
    }
    String code = shortType().replace("Exception", "");
    return new CancellationReason(code, getMessage(), null);
  }
}
