package dev.jobkit.processor;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.TypeElement;

/** A record or class that gets a codec; {@code version} is 0 unless it is a job. */
record ObjectModel(
    TypeElement element,
    ClassName type,
    ClassName codec,
    boolean record,
    List<FieldModel> fields,
    int version,
    List<TypeElement> originating) {}
