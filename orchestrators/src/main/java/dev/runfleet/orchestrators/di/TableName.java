package dev.runfleet.orchestrators.di;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import javax.inject.Qualifier;

/** The jobs table's name. */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface TableName {}
