package dev.jobkit.processor;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.Trees;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads what the parameter schema says about a field besides its type: the description from its
 * Javadoc, the default from its initializer, and whether it is required.
 *
 * <p>Initializers are read with javac's tree API ({@link Trees}). Under another compiler, or when
 * the source is not available, fields of classes get no default and are never required; record
 * components need no source.
 */
final class FieldDocs {
  private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@");
  private static final Pattern CODE = Pattern.compile("\\{@(?:code|literal)\\s+([^}]*)}");
  private static final Pattern LINK =
      Pattern.compile("\\{@link(?:plain)?\\s+([^}\\s]+)(?:\\s+([^}]*))?}");
  private static final Pattern PARAGRAPH = Pattern.compile("\n\\s*\n");
  private static final Pattern HTML = Pattern.compile("</?[a-zA-Z][^>]*>");

  private final Elements elements;
  private final Trees trees;

  FieldDocs(ProcessingEnvironment env) {
    this.elements = env.getElementUtils();
    this.trees = trees(env);
  }

  private static Trees trees(ProcessingEnvironment env) {
    try {
      return Trees.instance(env);
    } catch (IllegalArgumentException | LinkageError e) {
      // Not javac (or a wrapped environment): no defaults from initializers, as documented.
      return null;
    }
  }

  /**
   * The doc of {@code field}, a field or record component of {@code owner} of type {@code type}.
   */
  FieldModel.Doc doc(Element field, TypeElement owner, TypeRef type) {
    String description = description(field, owner);
    boolean optional =
        type instanceof TypeRef.OptionalRef
            || type instanceof TypeRef.OptionalPrimitive
            || nullable(field);
    boolean primitive = type.typeName().isPrimitive();
    if (field.getKind() == ElementKind.RECORD_COMPONENT) {
      return new FieldModel.Doc(
          description, primitive ? zero(type) : Optional.empty(), !primitive && !optional);
    }
    VariableTree tree = trees == null ? null : tree(field);
    if (tree == null) {
      return new FieldModel.Doc(description, Optional.empty(), false);
    }
    ExpressionTree init = tree.getInitializer();
    if (init == null || init.getKind() == Tree.Kind.NULL_LITERAL) {
      return new FieldModel.Doc(
          description, primitive ? zero(type) : Optional.empty(), !primitive && !optional);
    }
    return new FieldModel.Doc(
        description, constant(init, owner, type).flatMap(v -> json(v, type)), false);
  }

  private VariableTree tree(Element field) {
    try {
      Tree t = trees.getTree(field);
      return t instanceof VariableTree v ? v : null;
    } catch (RuntimeException e) {
      // An element from a class file, or one javac cannot map back to source: no initializer known.
      return null;
    }
  }

  // ---------------------------------------------------------------- description

  private String description(Element field, TypeElement owner) {
    String doc = elements.getDocComment(field);
    if (doc == null && field.getKind() == ElementKind.RECORD_COMPONENT) {
      doc = paramTag(elements.getDocComment(owner), field.getSimpleName().toString());
    }
    return doc == null ? "" : clean(doc);
  }

  /** The text of {@code @param name} in a record's Javadoc, or null. */
  private static String paramTag(String doc, String name) {
    if (doc == null) {
      return null;
    }
    Matcher m = Pattern.compile("(?m)^\\s*@param\\s+" + Pattern.quote(name) + "\\s").matcher(doc);
    if (!m.find()) {
      return null;
    }
    String rest = doc.substring(m.end());
    Matcher next = BLOCK_TAG.matcher(rest);
    return next.find() ? rest.substring(0, next.start()) : rest;
  }

  /** The first paragraph of a Javadoc comment as plain text on one line. */
  static String clean(String doc) {
    String text = doc;
    Matcher tag = BLOCK_TAG.matcher(text);
    if (tag.find()) {
      text = text.substring(0, tag.start());
    }
    text = PARAGRAPH.split(text.strip(), 2)[0];
    text = CODE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    text =
        LINK.matcher(text)
            .replaceAll(
                m ->
                    Matcher.quoteReplacement(
                        m.group(2) != null
                            ? m.group(2)
                            : m.group(1).replaceFirst("^#", "").replace('#', '.')));
    text = HTML.matcher(text).replaceAll("");
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    return text.replaceAll("\\s+", " ").strip();
  }

  // ---------------------------------------------------------------- required

  private static boolean nullable(Element field) {
    return hasNullable(field.getAnnotationMirrors())
        || hasNullable(field.asType().getAnnotationMirrors());
  }

  /** Any annotation named {@code Nullable} (JSpecify, JSR 305, Checker Framework, ...). */
  private static boolean hasNullable(Iterable<? extends AnnotationMirror> annotations) {
    for (AnnotationMirror a : annotations) {
      if (a.getAnnotationType().asElement().getSimpleName().contentEquals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- defaults

  /** The value a primitive has when nothing sets it. */
  private static Optional<String> zero(TypeRef type) {
    if (!(type instanceof TypeRef.Scalar s) || !type.typeName().isPrimitive()) {
      return Optional.empty();
    }
    return switch (s.kind()) {
      case BOOLEAN -> Optional.of("false");
      case BYTE, SHORT, INT, LONG, FLOAT, DOUBLE -> Optional.of("0");
      default -> Optional.empty();
    };
  }

  /** An enum constant named in an initializer. */
  private record EnumConstant(String name) {}

  /**
   * The value of a constant initializer: a literal, a sign, parentheses, {@code + - *} on int and
   * long, {@code +} on strings, a static constant of the same class, or an enum constant. Anything
   * else (a cast, a method call, a constant of another class) has no value here, so no default.
   */
  private Optional<Object> constant(ExpressionTree e, TypeElement owner, TypeRef type) {
    switch (e.getKind()) {
      case INT_LITERAL:
      case LONG_LITERAL:
      case FLOAT_LITERAL:
      case DOUBLE_LITERAL:
      case BOOLEAN_LITERAL:
      case CHAR_LITERAL:
      case STRING_LITERAL:
        return Optional.ofNullable(((LiteralTree) e).getValue());
      case PARENTHESIZED:
        return constant(((ParenthesizedTree) e).getExpression(), owner, type);
      case UNARY_PLUS:
        return constant(((UnaryTree) e).getExpression(), owner, type)
            .filter(v -> v instanceof Number);
      case UNARY_MINUS:
        return constant(((UnaryTree) e).getExpression(), owner, type).flatMap(FieldDocs::negate);
      case PLUS:
      case MINUS:
      case MULTIPLY:
        BinaryTree b = (BinaryTree) e;
        Optional<Object> l = constant(b.getLeftOperand(), owner, type);
        Optional<Object> r = constant(b.getRightOperand(), owner, type);
        return l.isPresent() && r.isPresent()
            ? arithmetic(e.getKind(), l.get(), r.get())
            : Optional.empty();
      case IDENTIFIER:
        return named(((IdentifierTree) e).getName().toString(), owner, type);
      case MEMBER_SELECT:
        String name = ((MemberSelectTree) e).getIdentifier().toString();
        return type instanceof TypeRef.EnumRef en && en.constants().contains(name)
            ? Optional.of(new EnumConstant(name))
            : Optional.empty();
      default:
        return Optional.empty();
    }
  }

  private static Optional<Object> negate(Object v) {
    if (v instanceof Integer i) {
      return Optional.of(-i);
    }
    if (v instanceof Long l) {
      return Optional.of(-l);
    }
    if (v instanceof Float f) {
      return Optional.of(-f);
    }
    if (v instanceof Double d) {
      return Optional.of(-d);
    }
    return Optional.empty();
  }

  /** Java's arithmetic on int and long (with its overflow) and string concatenation. */
  private static Optional<Object> arithmetic(Tree.Kind op, Object l, Object r) {
    if (op == Tree.Kind.PLUS && (l instanceof String || r instanceof String)) {
      return Optional.of(String.valueOf(l) + r);
    }
    boolean ints = l instanceof Integer && r instanceof Integer;
    boolean longs =
        (l instanceof Integer || l instanceof Long) && (r instanceof Integer || r instanceof Long);
    if (ints) {
      int a = (Integer) l;
      int b = (Integer) r;
      return Optional.of(op == Tree.Kind.PLUS ? a + b : op == Tree.Kind.MINUS ? a - b : a * b);
    }
    if (longs) {
      long a = ((Number) l).longValue();
      long b = ((Number) r).longValue();
      return Optional.of(op == Tree.Kind.PLUS ? a + b : op == Tree.Kind.MINUS ? a - b : a * b);
    }
    return Optional.empty();
  }

  /** A constant of the job class, or an enum constant imported statically. */
  private Optional<Object> named(String name, TypeElement owner, TypeRef type) {
    if (type instanceof TypeRef.EnumRef en && en.constants().contains(name)) {
      return Optional.of(new EnumConstant(name));
    }
    for (VariableElement f : ElementFilter.fieldsIn(owner.getEnclosedElements())) {
      if (f.getSimpleName().contentEquals(name)
          && f.getModifiers().contains(Modifier.STATIC)
          && f.getConstantValue() != null) {
        return Optional.of(f.getConstantValue());
      }
    }
    return Optional.empty();
  }

  /** {@code value} as JSON, if it fits {@code type}. */
  private static Optional<String> json(Object value, TypeRef type) {
    if (type instanceof TypeRef.EnumRef) {
      return value instanceof EnumConstant c
          ? Optional.of(SchemaWriter.quote(c.name()))
          : Optional.empty();
    }
    if (!(type instanceof TypeRef.Scalar s)) {
      return Optional.empty();
    }
    switch (s.kind()) {
      case BOOLEAN:
        return value instanceof Boolean ? Optional.of(value.toString()) : Optional.empty();
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
      case BIG_INTEGER:
        return value instanceof Integer || value instanceof Long
            ? Optional.of(value.toString())
            : Optional.empty();
      case FLOAT:
      case DOUBLE:
      case BIG_DECIMAL:
        if (value instanceof Integer || value instanceof Long) {
          return Optional.of(value.toString());
        }
        if ((value instanceof Float || value instanceof Double)
            && Double.isFinite(((Number) value).doubleValue())) {
          return Optional.of(value.toString());
        }
        return Optional.empty();
      case CHAR:
        return value instanceof Character c
            ? Optional.of(SchemaWriter.quote(String.valueOf(c)))
            : Optional.empty();
      case STRING:
        return value instanceof String str
            ? Optional.of(SchemaWriter.quote(str))
            : Optional.empty();
      default:
        return Optional.empty();
    }
  }
}
