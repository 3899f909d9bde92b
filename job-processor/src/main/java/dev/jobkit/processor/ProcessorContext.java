package dev.jobkit.processor;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** All state of one processor run, made in {@code init()}. */
final class ProcessorContext {
  final Elements elements;
  final Types types;
  final Messager messager;
  final Filer filer;
  final boolean debug;
  final FieldDocs docs;

  /** Names of jobs whose types did not exist yet, retried next round. */
  final Set<String> deferred = new LinkedHashSet<>();

  /** Job names seen so far, with the class that used them first. */
  final Map<String, Element> jobNames = new TreeMap<>();

  /** Jobs whose duplicate name was already reported on them. */
  final Set<Element> reportedDuplicates = new LinkedHashSet<>();

  /** Object models by qualified type name, for every codec generated or being generated. */
  final Map<String, ObjectModel> objects = new TreeMap<>();

  /** Qualified names of codecs already written. */
  final Set<String> writtenCodecs = new TreeSet<>();

  /** Binary names of generated registrations. */
  final Set<String> registrations = new TreeSet<>();

  ProcessorContext(ProcessingEnvironment env) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.messager = env.getMessager();
    this.filer = env.getFiler();
    this.debug = env.getOptions().containsKey("debug");
    this.docs = new FieldDocs(env);
  }
}
