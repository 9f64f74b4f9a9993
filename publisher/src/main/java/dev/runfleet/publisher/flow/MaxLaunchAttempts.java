package dev.runfleet.publisher.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import javax.inject.Qualifier;

/**
 * How many runners may be requested on one job's account: a job whose runners all ended before it
 * started is then not dispatched again, and the reconciler gives it up if GitHub still holds it
 * queued.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface MaxLaunchAttempts {}
