package dev.runfleet.common.domain;

/** The allow-list's verdict on an event's repository, taken before the event is folded. */
public enum Admission {
  ALLOWED,
  NOT_ALLOWED
}
