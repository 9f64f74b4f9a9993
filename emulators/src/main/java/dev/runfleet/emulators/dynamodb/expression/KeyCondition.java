package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;

/** A parsed key condition: the partition key's value and, optionally, one sort-key condition. */
public record KeyCondition(String partitionAttribute, Value partitionValue, SortCondition sort) {}
