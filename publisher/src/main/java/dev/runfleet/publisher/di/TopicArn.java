package dev.runfleet.publisher.di;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import javax.inject.Qualifier;

/** The runner-commands topic ARN. */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface TopicArn {}
