package dev.jobkit.spi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.JobDecodeException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/** A {@link JsonReader} over a jackson-core parser; errors carry its path, line and column. */
final class JacksonJsonReader extends JsonReader {
  private final JsonParser in;

  JacksonJsonReader(JsonParser in) {
    this.in = in;
  }

  @Override
  public JsonToken currentToken() {
    return in.currentToken();
  }

  @Override
  public JsonToken nextToken() throws IOException {
    return in.nextToken();
  }

  @Override
  public String nextFieldName() throws IOException {
    return in.nextFieldName();
  }

  @Override
  public int nextField(Keys keys) throws IOException {
    String n = in.nextFieldName();
    return n == null ? END_OF_OBJECT : keys.position(n);
  }

  @Override
  public String nextMapKey() throws IOException {
    // The parser's settings decide about a repeated name, as for any field (the registry's
    // parsers refuse it with STRICT_DUPLICATE_DETECTION).
    return in.nextFieldName();
  }

  @Override
  public void repeatedKey() {
    // The parser let the name through: the later value wins, as it always did.
  }

  @Override
  public String currentName() throws IOException {
    return in.currentName();
  }

  @Override
  public void skipChildren() throws IOException {
    in.skipChildren();
  }

  @Override
  public String getText() throws IOException {
    return in.getText();
  }

  @Override
  public char[] getTextCharacters() throws IOException {
    return in.getTextCharacters();
  }

  @Override
  public int getTextOffset() throws IOException {
    return in.getTextOffset();
  }

  @Override
  public int getTextLength() throws IOException {
    return in.getTextLength();
  }

  @Override
  public int getIntValue() throws IOException {
    return in.getIntValue();
  }

  @Override
  public long getLongValue() throws IOException {
    return in.getLongValue();
  }

  @Override
  public double getDoubleValue() throws IOException {
    return in.getDoubleValue();
  }

  @Override
  public BigDecimal getDecimalValue() throws IOException {
    return in.getDecimalValue();
  }

  @Override
  public BigInteger getBigIntegerValue() throws IOException {
    return in.getBigIntegerValue();
  }

  @Override
  public byte[] getBinaryValue() throws IOException {
    return in.getBinaryValue();
  }

  @Override
  public JobDecodeException error(String reason, Throwable cause) {
    JsonLocation loc = in.currentTokenLocation();
    return new JobDecodeException(
        "", JsonSupport.path(in), reason, loc.getLineNr(), loc.getColumnNr(), cause);
  }
}
