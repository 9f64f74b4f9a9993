package dev.runfleet.local.aws;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.List;

/**
 * A function's entry for a batch already read, as the pollers invoke it: the handlers' own {@code
 * handle(records, context)}, which their Lambda entry reaches after reading Lambda's JSON. The
 * answer is the batch's {@code batchItemFailures}: the item identifier of each failed record (a
 * stream record's sequence number, an SQS message's id), empty or null when all succeeded.
 *
 * @param <T> {@link dev.runfleet.aws.lambda.StreamRecord} or {@link
 *     dev.runfleet.aws.lambda.SqsMessage}
 */
@FunctionalInterface
public interface BatchHandler<T> {

  List<String> handle(List<T> batch, Context context);
}
