package dev.runfleet.publisher.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import javax.inject.Qualifier;

/**
 * How many runners may be requested on one job's account before a failing launch is left to the
 * reconciler.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface MaxLaunchAttempts {}
