package dev.jobkit.processor;

import com.palantir.javapoet.ClassName;

/**
 * A {@code @Service} field of a job: set by the registration's {@code injectServices} from the
 * resolver's service of {@code type} called {@code name} (empty: by type alone).
 */
record ServiceModel(String field, ClassName type, String name) {}
