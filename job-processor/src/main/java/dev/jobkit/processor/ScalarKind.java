package dev.jobkit.processor;

/** Types written as one MessagePack/JSON scalar, with the suffix of their support read methods. */
enum ScalarKind {
  BOOLEAN("Boolean", "{\"type\":\"boolean\"}"),
  BYTE("Byte", "{\"type\":\"integer\",\"minimum\":-128,\"maximum\":127}"),
  SHORT("Short", "{\"type\":\"integer\",\"minimum\":-32768,\"maximum\":32767}"),
  INT("Int", "{\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647}"),
  LONG("Long", "{\"type\":\"integer\"}"),
  FLOAT("Float", "{\"type\":\"number\"}"),
  DOUBLE("Double", "{\"type\":\"number\"}"),
  CHAR("Char", "{\"type\":\"string\",\"minLength\":1,\"maxLength\":1}"),
  STRING("String", "{\"type\":\"string\"}"),
  BIG_DECIMAL("BigDecimal", "{\"type\":\"number\"}"),
  BIG_INTEGER("BigInteger", "{\"type\":\"integer\"}"),
  UUID("Uuid", "{\"type\":\"string\",\"format\":\"uuid\"}"),
  URI("Uri", "{\"type\":\"string\",\"format\":\"uri\"}"),
  PATH("Path", "{\"type\":\"string\"}"),
  INSTANT("Instant", "{\"type\":\"string\",\"format\":\"date-time\"}"),
  DURATION("Duration", "{\"type\":\"string\",\"format\":\"duration\"}"),
  LOCAL_DATE("LocalDate", "{\"type\":\"string\",\"format\":\"date\"}"),
  LOCAL_DATE_TIME("LocalDateTime", "{\"type\":\"string\"}"),
  OFFSET_DATE_TIME("OffsetDateTime", "{\"type\":\"string\",\"format\":\"date-time\"}"),
  BYTES("Binary", "{\"type\":\"string\",\"contentEncoding\":\"base64\"}");

  final String suffix;
  final String schema;

  ScalarKind(String suffix, String schema) {
    this.suffix = suffix;
    this.schema = schema;
  }

  boolean integral() {
    return this == BYTE || this == SHORT || this == INT || this == LONG;
  }
}
