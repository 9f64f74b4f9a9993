package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.DynamoDbError;

/** The ValidationException messages DynamoDB answers expression problems with. */
final class Errors {
  private Errors() {}

  /** A static problem of one expression: DynamoDB names the request parameter first. */
  static DynamoDbError invalid(String parameter, String detail) {
    return DynamoDbError.validation("Invalid " + parameter + ": " + detail);
  }

  static DynamoDbError incorrectOperandType(String parameter, String function, String type) {
    return invalid(
        parameter,
        "Incorrect operand type for operator or function; operator or function: "
            + function
            + ", operand type: "
            + type);
  }

  static DynamoDbError wrongDataType() {
    return DynamoDbError.validation(
        "An operand in the update expression has an incorrect data type");
  }

  static DynamoDbError missingAttribute() {
    return DynamoDbError.validation(
        "The provided expression refers to an attribute that does not exist in the item");
  }

  static DynamoDbError invalidForUpdate() {
    return DynamoDbError.validation(
        "The document path provided in the update expression is invalid for update");
  }
}
