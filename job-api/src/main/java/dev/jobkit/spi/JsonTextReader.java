package dev.jobkit.spi;

import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.JobDecodeException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;

/**
 * A {@link JsonReader} over the characters of a {@code String}, for the common case: valid JSON in
 * the form the registry writes. Field names are matched against {@link JsonReader.Keys} without
 * making a {@code String}, numbers are parsed from the characters, duplicate names are found with a
 * bit mask per object.
 *
 * <p>It accepts a subset of what jackson-core (with the registry's settings) accepts, and reports
 * nothing itself: on malformed input, an exceeded limit (nesting depth, number, string and name
 * lengths), a duplicate name, any decode error, and on what it does not handle (skipping an object
 * or array, integers of 19 digits or more, big numbers, base64), it throws {@link Fallback}. The
 * caller then reads the same input through {@link
 * JsonReader#of(com.fasterxml.jackson.core.JsonParser)}, which accepts or reports exactly as
 * before, with path, line and column. Code that reads through a {@code JsonReader} must therefore
 * have no effect beyond the value it returns (generated codecs only build the value; a job's
 * constructor may run twice for input that falls back).
 *
 * <p>One reader serves one read at a time: {@link #reset} starts the next.
 */
public final class JsonTextReader extends JsonReader {

  /** Thrown when the input must be read again through jackson-core; carries no stack trace. */
  public static final class Fallback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Fallback() {
      super("read again through jackson-core", null, false, false);
    }
  }

  private static final Fallback FALLBACK = new Fallback();

  // jackson-core's StreamReadConstraints defaults, and the registry's nesting limit.
  private static final int MAX_NUMBER_LENGTH = 1000;
  private static final int MAX_STRING_LENGTH = 20_000_000;
  private static final int MAX_NAME_LENGTH = 50_000;
  private static final int MAX_DEPTH = MsgpackSupport.MAX_DEPTH;

  private static final byte OBJECT = 1;
  private static final byte ARRAY = 2;

  /** Names of one object compared one by one before a hash set is made. */
  private static final int SMALL = 8;

  private char[] buf;
  private int pos;
  private int end;

  private JsonToken token;

  /** The current string or number token's characters (a string's without quotes, escapes kept). */
  private int start;

  private int length;
  private boolean escaped;
  private String decoded;

  private String name;

  /** The slot in the keys of the name {@link #readName} read last, or -1. */
  private int slot = -1;

  /** Per nesting level (1 is the outermost container): kind, and whether it has an element. */
  private int depth;

  private byte[] kind = new byte[16];
  private boolean[] started = new boolean[16];

  /** Per object level: the known names seen (by slot in their Keys), and the other names seen. */
  private long[] seen = new long[16];

  private String[][] names = new String[16][];
  private int[] nameCount = new int[16];
  private HashSet<?>[] manyNames = new HashSet<?>[16];
  private boolean usedManyNames;

  /** A reader whose buffer starts at {@code capacity} characters. */
  public JsonTextReader(int capacity) {
    buf = new char[Math.max(16, capacity)];
  }

  /** Starts reading {@code json}, copied into the reader's buffer. */
  public void reset(String json) {
    int n = json.length();
    if (n > buf.length) {
      buf = new char[Math.max(n, buf.length * 2)];
    }
    json.getChars(0, n, buf, 0);
    pos = 0;
    end = n;
    token = null;
    depth = 0;
    name = null;
    decoded = null;
    if (usedManyNames) {
      manyNames = new HashSet<?>[16];
      usedManyNames = false;
    }
  }

  /** The size of the buffer, which a caller may decide not to keep. */
  public int capacity() {
    return buf.length;
  }

  @Override
  public JsonToken currentToken() {
    return token;
  }

  @Override
  public JsonToken nextToken() {
    decoded = null;
    if (token == JsonToken.FIELD_NAME) {
      return token = value(skipSpace());
    }
    int c = skipSpace();
    if (depth == 0) {
      if (c < 0) {
        return token = null;
      }
      if (token != null) {
        // More than one value; the registry reports it through jackson-core.
        throw FALLBACK;
      }
      return token = value(c);
    }
    if (kind[depth] == ARRAY) {
      if (c == ']') {
        pos++;
        depth--;
        return token = JsonToken.END_ARRAY;
      }
      if (started[depth]) {
        if (c != ',') {
          throw FALLBACK;
        }
        pos++;
        c = skipSpace();
      } else {
        started[depth] = true;
      }
      return token = value(c);
    }
    if (c == '}') {
      pos++;
      depth--;
      return token = JsonToken.END_OBJECT;
    }
    name = readName(c, null, true);
    return token;
  }

  @Override
  public String nextFieldName() {
    return nextName(null, true);
  }

  @Override
  public int nextField(Keys keys) {
    String n = nextName(keys, true);
    if (n == null) {
      return END_OF_OBJECT;
    }
    return slot >= 0 ? keys.position(slot) : OTHER_FIELD;
  }

  /** Like {@link #nextFieldName()}, but leaves a repeated name to {@link #repeatedKey()}. */
  @Override
  public String nextMapKey() {
    return nextName(null, false);
  }

  /** Gives up: a map key repeats an earlier one (or parses to the same key). */
  @Override
  public void repeatedKey() {
    throw FALLBACK;
  }

  private String nextName(Keys keys, boolean checkRepeated) {
    decoded = null;
    if (depth == 0 || kind[depth] != OBJECT || token == JsonToken.FIELD_NAME) {
      throw FALLBACK;
    }
    int c = skipSpace();
    if (c == '}') {
      pos++;
      depth--;
      token = JsonToken.END_OBJECT;
      return null;
    }
    return name = readName(c, keys, checkRepeated);
  }

  /**
   * Reads {@code "name":} at {@code c} and returns it; unless {@code checkRepeated} is false (map
   * keys, whose caller checks), falls back on a name already seen in the object.
   */
  private String readName(int c, Keys keys, boolean checkRepeated) {
    if (started[depth]) {
      if (c != ',') {
        throw FALLBACK;
      }
      pos++;
      c = skipSpace();
    } else {
      started[depth] = true;
    }
    if (c != '"') {
      throw FALLBACK;
    }
    pos++;
    string();
    if (length > MAX_NAME_LENGTH) {
      throw FALLBACK;
    }
    String n = null;
    slot = -1;
    if (keys != null && escaped) {
      // Rare: an escaped field name may spell a known one (any letter may be written as an
      // escape), maybe one given before; jackson-core reads it.
      throw FALLBACK;
    }
    if (keys != null) {
      slot = keys.slot(buf, start, length);
      if (slot >= 0) {
        n = keys.name(slot);
        if (slot < 64) {
          long bit = 1L << slot;
          if ((seen[depth] & bit) != 0) {
            throw FALLBACK;
          }
          seen[depth] |= bit;
        } else {
          other(n);
        }
      }
    }
    if (n == null) {
      n = escaped ? unescape() : otherName();
      if (checkRepeated) {
        other(n);
      }
    }
    c = skipSpace();
    if (c != ':') {
      throw FALLBACK;
    }
    pos++;
    token = JsonToken.FIELD_NAME;
    return n;
  }

  /** Names no longer than this are kept in {@link #nameCache}. */
  private static final int CACHED_NAME_LENGTH = 32;

  /**
   * Recent names that were not in the object's keys (a map's keys, mostly), by a hash of their
   * characters: the same name in the next input comes back as the same {@code String}, neither made
   * again nor hashed again when it is put into a map. One slot per hash; a name that collides
   * replaces the one there.
   */
  private final String[] nameCache = new String[256];

  private final char[][] nameCacheChars = new char[256][];

  /** The current name (not escaped, not in the keys), from {@link #nameCache} when it is there. */
  private String otherName() {
    int len = length;
    if (len > CACHED_NAME_LENGTH) {
      return new String(buf, start, len);
    }
    char[] b = buf;
    int off = start;
    int h = len;
    for (int i = 0; i < len; i++) {
      h = 31 * h + b[off + i];
    }
    int at = (h ^ (h >>> 8)) & (nameCache.length - 1);
    char[] known = nameCacheChars[at];
    if (known != null && known.length == len && Arrays.equals(known, 0, len, b, off, off + len)) {
      return nameCache[at];
    }
    String n = new String(b, off, len);
    nameCache[at] = n;
    nameCacheChars[at] = Arrays.copyOfRange(b, off, off + len);
    return n;
  }

  /** Records a name not found in the object's keys; a duplicate falls back. */
  @SuppressWarnings("unchecked")
  private void other(String n) {
    int d = depth;
    int count = nameCount[d];
    if (count < SMALL) {
      String[] a = names[d];
      if (a == null) {
        names[d] = a = new String[SMALL];
      }
      for (int i = 0; i < count; i++) {
        if (a[i].equals(n)) {
          throw FALLBACK;
        }
      }
      a[count] = n;
    } else {
      HashSet<String> set = (HashSet<String>) manyNames[d];
      if (set == null) {
        manyNames[d] = set = new HashSet<>();
        usedManyNames = true;
      }
      if (count == SMALL) {
        set.clear();
        for (String s : names[d]) {
          set.add(s);
        }
      }
      if (!set.add(n)) {
        throw FALLBACK;
      }
    }
    nameCount[d] = count + 1;
  }

  private int skipSpace() {
    char[] b = buf;
    int p = pos;
    int e = end;
    while (p < e) {
      char c = b[p];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        p++;
      } else {
        pos = p;
        return c;
      }
    }
    pos = p;
    return -1;
  }

  private JsonToken value(int c) {
    switch (c) {
      case '{':
        pos++;
        push(OBJECT);
        return JsonToken.START_OBJECT;
      case '[':
        pos++;
        push(ARRAY);
        return JsonToken.START_ARRAY;
      case '"':
        pos++;
        string();
        if (length > MAX_STRING_LENGTH) {
          throw FALLBACK;
        }
        return JsonToken.VALUE_STRING;
      case 't':
        literal("true");
        return JsonToken.VALUE_TRUE;
      case 'f':
        literal("false");
        return JsonToken.VALUE_FALSE;
      case 'n':
        literal("null");
        return JsonToken.VALUE_NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw FALLBACK;
    }
  }

  private void push(byte k) {
    if (depth >= MAX_DEPTH) {
      throw FALLBACK;
    }
    int d = ++depth;
    if (d == kind.length) {
      int n = d * 2;
      kind = Arrays.copyOf(kind, n);
      started = Arrays.copyOf(started, n);
      seen = Arrays.copyOf(seen, n);
      names = Arrays.copyOf(names, n);
      nameCount = Arrays.copyOf(nameCount, n);
      manyNames = Arrays.copyOf(manyNames, n);
    }
    kind[d] = k;
    started[d] = false;
    if (k == OBJECT) {
      seen[d] = 0;
      nameCount[d] = 0;
    }
  }

  /** Scans a string after its opening quote, up to and past the closing one. */
  private void string() {
    char[] b = buf;
    int e = end;
    int p = pos;
    int s = p;
    boolean esc = false;
    for (; ; ) {
      if (p >= e) {
        throw FALLBACK;
      }
      char c = b[p++];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        esc = true;
        if (p >= e) {
          throw FALLBACK;
        }
        switch (b[p++]) {
          case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
          case 'u' -> {
            if (p + 4 > e) {
              throw FALLBACK;
            }
            for (int i = 0; i < 4; i++) {
              if (Character.digit(b[p + i], 16) < 0) {
                throw FALLBACK;
              }
            }
            p += 4;
          }
          default -> throw FALLBACK;
        }
      } else if (c < 0x20) {
        throw FALLBACK;
      }
    }
    pos = p;
    start = s;
    length = p - 1 - s;
    escaped = esc;
  }

  private String unescape() {
    char[] b = buf;
    StringBuilder sb = new StringBuilder(length);
    int e = start + length;
    for (int p = start; p < e; ) {
      char c = b[p++];
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char x = b[p++];
      switch (x) {
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          sb.append((char) Integer.parseInt(new String(b, p, 4), 16));
          p += 4;
        }
        default -> sb.append(x);
      }
    }
    return sb.toString();
  }

  private void literal(String word) {
    int n = word.length();
    if (pos + n > end) {
      throw FALLBACK;
    }
    for (int i = 0; i < n; i++) {
      if (buf[pos + i] != word.charAt(i)) {
        throw FALLBACK;
      }
    }
    pos += n;
    delimiter();
  }

  /** Fails unless the token just read ends the input or is followed by one of ",]}" or space. */
  private void delimiter() {
    if (pos < end) {
      char c = buf[pos];
      if (c != ',' && c != ']' && c != '}' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        throw FALLBACK;
      }
    }
  }

  private JsonToken number() {
    char[] b = buf;
    int e = end;
    int s = pos;
    int p = s;
    if (b[p] == '-') {
      p++;
    }
    if (p >= e) {
      throw FALLBACK;
    }
    char c = b[p];
    if (c == '0') {
      p++;
    } else if (c >= '1' && c <= '9') {
      p++;
      while (p < e && b[p] >= '0' && b[p] <= '9') {
        p++;
      }
    } else {
      throw FALLBACK;
    }
    boolean fraction = false;
    if (p < e && b[p] == '.') {
      p = digits(p + 1);
      fraction = true;
    }
    if (p < e && (b[p] == 'e' || b[p] == 'E')) {
      p++;
      if (p < e && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      p = digits(p);
      fraction = true;
    }
    pos = p;
    delimiter();
    start = s;
    length = p - s;
    if (length > MAX_NUMBER_LENGTH) {
      throw FALLBACK;
    }
    return fraction ? JsonToken.VALUE_NUMBER_FLOAT : JsonToken.VALUE_NUMBER_INT;
  }

  /** Scans one or more digits at {@code p}; returns the position after them. */
  private int digits(int p) {
    int s = p;
    while (p < end && buf[p] >= '0' && buf[p] <= '9') {
      p++;
    }
    if (p == s) {
      throw FALLBACK;
    }
    return p;
  }

  private static final ClassValue<Keys> ENUM_NAMES =
      new ClassValue<>() {
        @Override
        protected Keys computeValue(Class<?> type) {
          Object[] constants = type.getEnumConstants();
          String[] names = new String[constants.length];
          for (int i = 0; i < constants.length; i++) {
            names[i] = ((Enum<?>) constants[i]).name();
          }
          return new Keys(names, constants);
        }
      };

  /**
   * The constant of {@code type} named by the current string token, matched without making a {@code
   * String}; null if there is none (the caller then reads the string as usual).
   */
  <E extends Enum<E>> E enumConstant(Class<E> type) {
    if (token != JsonToken.VALUE_STRING || escaped) {
      return null;
    }
    Keys keys = ENUM_NAMES.get(type);
    int slot = keys.slot(buf, start, length);
    return slot < 0 ? null : type.cast(keys.value(slot));
  }

  @Override
  public String currentName() {
    return name;
  }

  @Override
  public void skipChildren() {
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      // Duplicate names and malformed input inside must be found as jackson-core finds them.
      throw FALLBACK;
    }
  }

  @Override
  public String getText() {
    JsonToken t = token;
    if (t == JsonToken.VALUE_STRING) {
      if (!escaped) {
        return new String(buf, start, length);
      }
      if (decoded == null) {
        decoded = unescape();
      }
      return decoded;
    }
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return new String(buf, start, length);
    }
    if (t == JsonToken.FIELD_NAME) {
      return name;
    }
    throw FALLBACK;
  }

  @Override
  public char[] getTextCharacters() {
    if (token != JsonToken.VALUE_STRING) {
      throw FALLBACK;
    }
    return escaped ? getText().toCharArray() : buf;
  }

  @Override
  public int getTextOffset() {
    return escaped ? 0 : start;
  }

  @Override
  public int getTextLength() {
    return escaped ? getText().length() : length;
  }

  @Override
  public int getIntValue() {
    long v = getLongValue();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw FALLBACK;
    }
    return (int) v;
  }

  @Override
  public long getLongValue() {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw FALLBACK;
    }
    char[] b = buf;
    int p = start;
    int e = start + length;
    boolean negative = b[p] == '-';
    if (negative) {
      p++;
    }
    if (e - p > 18) {
      throw FALLBACK;
    }
    long v = 0;
    for (; p < e; p++) {
      v = v * 10 + (b[p] - '0');
    }
    return negative ? -v : v;
  }

  @Override
  public double getDoubleValue() {
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      return Double.parseDouble(new String(buf, start, length));
    }
    return getLongValue();
  }

  @Override
  public BigDecimal getDecimalValue() {
    throw FALLBACK;
  }

  @Override
  public BigInteger getBigIntegerValue() {
    throw FALLBACK;
  }

  @Override
  public byte[] getBinaryValue() {
    throw FALLBACK;
  }

  @Override
  public JobDecodeException error(String reason, Throwable cause) {
    throw FALLBACK;
  }
}
