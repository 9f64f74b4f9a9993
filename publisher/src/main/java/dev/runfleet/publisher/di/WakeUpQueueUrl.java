package dev.runfleet.publisher.di;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import javax.inject.Qualifier;

/** The URL of the queue whose delayed messages wake the publisher. */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface WakeUpQueueUrl {}
