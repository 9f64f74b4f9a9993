package dev.runfleet.publisher.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import javax.inject.Qualifier;

/** How long a runner without a job of ours waits for work before the sweep tears it down. */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface RunnerIdleTimeout {}
