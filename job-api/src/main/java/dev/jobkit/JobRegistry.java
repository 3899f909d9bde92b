package dev.jobkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JobRegistration;
import dev.jobkit.spi.JsonReader;
import dev.jobkit.spi.JsonSupport;
import dev.jobkit.spi.JsonTextReader;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import dev.jobkit.spi.MsgpackSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.ValueType;

/**
 * All job types known to this process, and the one place that turns job names and bytes into job
 * objects and back.
 *
 * <p>{@link #load()} finds the {@link JobRegistration}s that the annotation processor generated
 * with {@link ServiceLoader}; afterwards the registry is immutable and safe to share between
 * threads.
 *
 * <pre>{@code
 * JobRegistry registry = JobRegistry.load();
 * FileCopyJob job = registry.fromJson("file_copy", "{\"sources\":[\"/a\"],\"destination\":\"/b\"}");
 * byte[] state = registry.toMsgpack(job);
 * FileCopyJob again = registry.fromMsgpack("file_copy", state);
 * }</pre>
 *
 * <p>Bad input is reported as {@link JobDecodeException} naming the job, the path inside the value
 * and, for JSON, the line and column; an unknown name as {@link UnknownJobException}.
 */
public final class JobRegistry {

  /**
   * The state key under which a job of version 2 or more stores its version (see {@link
   * Job#version()}).
   */
  public static final String VERSION_KEY = "@version";

  /** The system property that sets {@link #maxLength()} for registries created afterwards. */
  public static final String MAX_LENGTH_PROPERTY = "jobkit.decode.maxLength";

  /** The system property that sets {@link #maxJsonBytes()} for registries created afterwards. */
  public static final String MAX_JSON_BYTES_PROPERTY = "jobkit.decode.maxJsonBytes";

  /** The default of {@link #maxJsonBytes()}: 16 MiB. */
  public static final long DEFAULT_MAX_JSON_BYTES = 16L * 1024 * 1024;

  /*
   * Duplicate keys are rejected by the parser (one hash set per object with more than two fields),
   * so every generated reader, top level and nested, gets the check without code of its own.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MsgpackSupport.MAX_DEPTH).build())
          .build();

  /*
   * msgpack-core's default packer allocates an 8 KiB output buffer; job state is usually small, so
   * the per-thread packer starts with 512 bytes; see docs/performance.md.
   */
  private static final MessagePack.PackerConfig PACKER =
      new MessagePack.PackerConfig().withBufferSize(512);

  /**
   * A buffer that grew past this while encoding one value is not kept for the next, so that one
   * large job does not pin its size in memory on every thread that ever encoded it.
   */
  private static final int MAX_KEPT_BUFFER = 64 * 1024;

  private static final byte[] NO_BYTES = new byte[0];

  /**
   * What encoding and decoding reuse on one thread: a packer, a MessagePack reader and JSON
   * buffers, each taken for the length of one call. A call made while one is taken (a job's
   * constructor or accessor that itself calls a registry) gets a fresh one instead.
   */
  private static final class Scratch {
    MessageBufferPacker packer = PACKER.newBufferPacker();
    boolean packerTaken;
    final MsgpackReader msgpack = new MsgpackReader(NO_BYTES, 1);
    boolean msgpackTaken;
    JsonWriter json = new JsonWriter(512);
    boolean jsonTaken;
    JsonTextReader reader = new JsonTextReader(512);
    boolean readerTaken;
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final Map<String, JobRegistration<?, ?>> byName;
  private final Map<Class<?>, JobRegistration<?, ?>> byClass;
  private final int maxLength;
  private final long maxJsonBytes;

  private JobRegistry(Map<String, JobRegistration<?, ?>> byName, int maxLength, long maxJsonBytes) {
    this.byName = Collections.unmodifiableMap(byName);
    Map<Class<?>, JobRegistration<?, ?>> classes = new HashMap<>();
    byName.values().forEach(r -> classes.put(r.jobClass(), r));
    this.byClass = classes;
    this.maxLength = maxLength;
    this.maxJsonBytes = maxJsonBytes;
  }

  /**
   * Loads every registration visible to the thread's context class loader (or, without one, to the
   * class loader that loaded jobkit).
   *
   * @throws JobRegistryException if two classes claim the same job name or a registration cannot be
   *     loaded
   */
  public static JobRegistry load() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return load(loader != null ? loader : JobRegistry.class.getClassLoader());
  }

  /**
   * Loads every registration visible to {@code loader}, for example a class loader over a user's
   * jar of jobs.
   *
   * @throws JobRegistryException if two classes claim the same job name or a registration cannot be
   *     loaded
   */
  public static JobRegistry load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    @SuppressWarnings("rawtypes")
    Iterator<JobRegistration> it = ServiceLoader.load(JobRegistration.class, loader).iterator();
    List<JobRegistration<?, ?>> found = new java.util.ArrayList<>();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        throw new JobRegistryException(
            "cannot load a job registration listed in META-INF/services/"
                + JobRegistration.class.getName()
                + ": "
                + e.getMessage()
                + " (rebuild the jar that contains the job so that the processor regenerates it)",
            e);
      }
    }
    return of(found);
  }

  /**
   * A registry of exactly the given registrations; useful in tests and when embedding.
   *
   * @throws JobRegistryException if two registrations have the same name
   */
  public static JobRegistry of(Collection<? extends JobRegistration<?, ?>> registrations) {
    Map<String, JobRegistration<?, ?>> byName = new TreeMap<>();
    for (JobRegistration<?, ?> r : registrations) {
      JobRegistration<?, ?> before = byName.putIfAbsent(r.name(), r);
      if (before != null && before.jobClass() != r.jobClass()) {
        throw new JobRegistryException(
            "two job classes use the name '"
                + r.name()
                + "': "
                + before.jobClass().getName()
                + " and "
                + r.jobClass().getName()
                + ". Job names must be unique on the class path; rename one with @Job(name = ...)"
                + " or remove the duplicate jar.");
      }
    }
    return new JobRegistry(
        byName,
        (int)
            limitProperty(
                MAX_LENGTH_PROPERTY, MsgpackSupport.DEFAULT_MAX_LENGTH, Integer.MAX_VALUE),
        limitProperty(MAX_JSON_BYTES_PROPERTY, DEFAULT_MAX_JSON_BYTES, Long.MAX_VALUE));
  }

  private static long limitProperty(String name, long defaultValue, long max) {
    String value = System.getProperty(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw new JobRegistryException(
        "system property "
            + name
            + " must be a whole number from 1 to "
            + max
            + ", got '"
            + value
            + "'; fix or remove it");
  }

  /**
   * This registry with a different limit on decoded MessagePack: the most elements one array or map
   * may claim, and the most bytes one string or binary value may claim. Lengths are also checked
   * against the bytes that remain, so the limit only matters for large, valid-looking input. The
   * default is {@value MsgpackSupport#DEFAULT_MAX_LENGTH}, or the system property {@value
   * #MAX_LENGTH_PROPERTY}.
   *
   * @throws IllegalArgumentException if {@code maxLength} is less than 1
   */
  public JobRegistry withMaxLength(int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be at least 1, got " + maxLength);
    }
    return new JobRegistry(new TreeMap<>(byName), maxLength, maxJsonBytes);
  }

  /**
   * This registry with a different limit on JSON parameters read by {@code fromJson}: input longer
   * than this many bytes (characters, for a {@code String} or {@link Reader}) is refused before it
   * is all read. The default is {@value #DEFAULT_MAX_JSON_BYTES}, or the system property {@value
   * #MAX_JSON_BYTES_PROPERTY}.
   *
   * @throws IllegalArgumentException if {@code maxJsonBytes} is less than 1
   */
  public JobRegistry withMaxJsonBytes(long maxJsonBytes) {
    if (maxJsonBytes < 1) {
      throw new IllegalArgumentException("maxJsonBytes must be at least 1, got " + maxJsonBytes);
    }
    return new JobRegistry(new TreeMap<>(byName), maxLength, maxJsonBytes);
  }

  /** The most elements of one decoded array or map, or bytes of one string or binary value. */
  public int maxLength() {
    return maxLength;
  }

  /** The most bytes (or characters) of JSON parameters {@code fromJson} reads. */
  public long maxJsonBytes() {
    return maxJsonBytes;
  }

  /** The names of all registered jobs, sorted. */
  public Set<String> names() {
    return byName.keySet();
  }

  /** Whether a job with this name is registered. */
  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** All registrations, sorted by name. */
  public Collection<JobRegistration<?, ?>> registrations() {
    return byName.values();
  }

  /**
   * The registration of the named job.
   *
   * @throws UnknownJobException if no job has that name
   */
  public JobRegistration<?, ?> registration(String name) {
    JobRegistration<?, ?> r = byName.get(name);
    if (r == null) {
      throw new UnknownJobException(name, names());
    }
    return r;
  }

  /** The registration of the named job, if any. */
  public Optional<JobRegistration<?, ?>> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The registration of a job class.
   *
   * @throws UnknownJobException if the class has no generated registration on the class path
   */
  @SuppressWarnings("unchecked")
  public <J extends JobHandler<O>, O> JobRegistration<J, O> registration(Class<J> jobClass) {
    return (JobRegistration<J, O>) registrationOfClass(jobClass);
  }

  /** The name under which a job object's class is registered. */
  public String nameOf(JobHandler<?> job) {
    return registrationOf(job).name();
  }

  /**
   * The JSON Schema (draft 2020-12) of the named job's parameters.
   *
   * @throws UnknownJobException if no job has that name
   */
  public String schema(String name) {
    return registration(name).schema();
  }

  // ---------------------------------------------------------------- JSON

  /**
   * Creates the named job from JSON parameters: a JSON object. Unknown and duplicate fields are
   * rejected so that typos do not pass silently, and so are {@link State @State} fields, which the
   * job writes itself; fields not given keep the values the job's constructor sets.
   *
   * @throws UnknownJobException if no job has that name
   * @throws JobDecodeException if the JSON is malformed, is not an object, does not fit the job's
   *     fields or is longer than {@link #maxJsonBytes()}
   */
  public <J extends JobHandler<?>> J fromJson(String name, String json) {
    Objects.requireNonNull(json, "json");
    if (json.length() > maxJsonBytes) {
      throw tooLarge(name, json.length() + " characters");
    }
    JobRegistration<?, ?> r = registration(name);
    Scratch scratch = SCRATCH.get();
    if (!scratch.readerTaken) {
      scratch.readerTaken = true;
      try {
        return readFast(name, r.codec(), json, true, scratch);
      } catch (JsonTextReader.Fallback e) {
        // Read again through jackson-core below, which accepts or reports exactly what is wrong.
      } catch (IOException e) {
        throw new UncheckedIOException(
            name + ": cannot read JSON parameters: " + e.getMessage(), e);
      } finally {
        scratch.readerTaken = false;
      }
    }
    return readParameters(name, () -> JSON.createParser(json));
  }

  /** Reads through the scratch {@link JsonTextReader}, which may give up with Fallback. */
  private static <T> T readFast(
      String name, JobCodec<?> codec, String json, boolean strict, Scratch scratch)
      throws IOException {
    JsonTextReader in = scratch.reader;
    try {
      in.reset(json);
      return readJson(name, codec, in, strict);
    } finally {
      if (in.capacity() > MAX_KEPT_BUFFER) {
        scratch.reader = new JsonTextReader(512);
      }
    }
  }

  /**
   * Creates the named job from JSON parameters read from {@code json}, reading at most {@link
   * #maxJsonBytes()} characters; see {@link #fromJson(String, String)}.
   */
  public <J extends JobHandler<?>> J fromJson(String name, Reader json) {
    Objects.requireNonNull(json, "json");
    return readParameters(
        name, () -> JSON.createParser(new LimitedInput.Chars(json, maxJsonBytes)));
  }

  /**
   * Creates the named job from UTF-8 JSON parameters read from {@code json}, reading at most {@link
   * #maxJsonBytes()} bytes; see {@link #fromJson(String, String)}.
   */
  public <J extends JobHandler<?>> J fromJson(String name, InputStream json) {
    Objects.requireNonNull(json, "json");
    return readParameters(
        name, () -> JSON.createParser(new LimitedInput.Bytes(json, maxJsonBytes)));
  }

  private JobDecodeException tooLarge(String name, String size) {
    return new JobDecodeException(
        name,
        "$",
        "the JSON parameters ("
            + size
            + ") exceed "
            + maxJsonBytes
            + " bytes; pass large data by reference (a path or URL), or raise the limit"
            + " (JobRegistry.withMaxJsonBytes or -D"
            + MAX_JSON_BYTES_PROPERTY
            + ")",
        0,
        0,
        null);
  }

  /** Opens a parser over one kind of JSON source. */
  private interface ParserSource {
    JsonParser open() throws IOException;
  }

  private <J extends JobHandler<?>> J readParameters(String name, ParserSource source) {
    JobRegistration<?, ?> r = registration(name);
    try (JsonParser p = source.open()) {
      return readJackson(name, r.codec(), p, true);
    } catch (LimitedInput.TooLong e) {
      throw tooLarge(name, "more than that");
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read JSON parameters: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a job's parameters as JSON, in the form {@link #fromJson(String, String)} reads: its
   * {@link State @State} fields are left out, so {@code fromJson(name, toJson(job))} always reads.
   * The full state, parameters and {@code @State} fields, is in {@link #toMsgpack}.
   */
  public String toJson(JobHandler<?> job) {
    return writeJson(cast(registrationOf(job).codec()), job);
  }

  /**
   * Writes a job's output as JSON.
   *
   * @throws UnknownJobException if no job has that name
   */
  public String outputToJson(String name, Object output) {
    return writeJson(cast(registration(name).outputCodec()), output);
  }

  /**
   * Reads a job's output from JSON written by {@link #outputToJson}. Fields the output type no
   * longer has are skipped, so output stored by an older version still reads.
   *
   * @throws JobDecodeException if the JSON does not fit the output type
   */
  public <O> O outputFromJson(String name, String json) {
    JobRegistration<?, ?> r = registration(name);
    Scratch scratch = SCRATCH.get();
    try {
      if (!scratch.readerTaken) {
        scratch.readerTaken = true;
        try {
          return readFast(name, r.outputCodec(), json, false, scratch);
        } catch (JsonTextReader.Fallback e) {
          // Read again through jackson-core below.
        } finally {
          scratch.readerTaken = false;
        }
      }
      try (JsonParser p = JSON.createParser(json)) {
        return readJackson(name, r.outputCodec(), p, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read JSON output: " + e.getMessage(), e);
    }
  }

  /** Reads through jackson-core's parser {@code p}, reporting its errors with their location. */
  private static <T> T readJackson(String name, JobCodec<?> codec, JsonParser p, boolean strict)
      throws IOException {
    try {
      return readJson(name, codec, JsonReader.of(p), strict);
    } catch (JsonProcessingException e) {
      throw JsonSupport.malformed(e, p).forJob(name);
    }
  }

  private static <T> T readJson(String name, JobCodec<?> codec, JsonReader p, boolean strict)
      throws IOException {
    try {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new JobDecodeException(
            name, "$", "expected a JSON value but the input is empty", 0, 0, null);
      }
      if (strict && first != JsonToken.START_OBJECT) {
        throw JsonSupport.error(
                p,
                "expected a JSON object with the job's parameters, got "
                    + JsonSupport.describe(first)
                    + (first == JsonToken.VALUE_NULL ? "; pass {} for no parameters" : ""))
            .forJob(name);
      }
      T value = JobRegistry.<T>cast(codec).readJson(p, strict);
      if (p.nextToken() != null) {
        throw JsonSupport.error(p, "unexpected content after the end of the JSON value")
            .forJob(name);
      }
      return value;
    } catch (JobDecodeException e) {
      throw e.jobName().isEmpty() ? e.forJob(name) : e;
    }
  }

  private static <T> String writeJson(JobCodec<T> codec, T value) {
    Scratch scratch = SCRATCH.get();
    if (scratch.jsonTaken) {
      return writeJson(codec, value, new JsonWriter(512));
    }
    scratch.jsonTaken = true;
    try {
      return writeJson(codec, value, scratch.json);
    } finally {
      if (scratch.json.capacity() > MAX_KEPT_BUFFER) {
        scratch.json = new JsonWriter(512);
      }
      scratch.jsonTaken = false;
    }
  }

  private static <T> String writeJson(JobCodec<T> codec, T value, JsonWriter out) {
    try {
      codec.writeJson(out, value);
      return out.take();
    } catch (IOException e) {
      out.reset();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.reset();
      throw e;
    }
  }

  // ---------------------------------------------------------------- MessagePack

  /**
   * Writes a job's state as MessagePack: a map keyed by field name, preceded by {@value
   * #VERSION_KEY} when the job's version is above 1.
   */
  public byte[] toMsgpack(JobHandler<?> job) {
    JobCodec<JobHandler<?>> codec = cast(registrationOf(job).codec());
    Scratch scratch = SCRATCH.get();
    if (scratch.packerTaken) {
      return writeMsgpack(codec, job, PACKER.newBufferPacker());
    }
    scratch.packerTaken = true;
    MessageBufferPacker out = scratch.packer;
    // A running total: clear() does not reset it.
    long before = out.getTotalWrittenBytes();
    try {
      return writeMsgpack(codec, job, out);
    } finally {
      if (out.getTotalWrittenBytes() - before > MAX_KEPT_BUFFER) {
        scratch.packer = PACKER.newBufferPacker();
      }
      scratch.packerTaken = false;
    }
  }

  private static byte[] writeMsgpack(
      JobCodec<JobHandler<?>> codec, JobHandler<?> job, MessageBufferPacker out) {
    try {
      out.clear();
      codec.writeMsgpack(out, job);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Restores the named job from MessagePack state written by {@link #toMsgpack}, possibly by an
   * older version of the job class: unknown keys are skipped, missing keys keep the constructor's
   * values, and state of an older {@link Job#version()} is first passed through the job's {@link
   * Upgrade} steps.
   *
   * @throws UnknownJobException if no job has that name
   * @throws JobDecodeException if the bytes are not valid state for this job
   */
  public <J extends JobHandler<?>> J fromMsgpack(String name, byte[] state) {
    JobRegistration<?, ?> r = registration(name);
    Objects.requireNonNull(state, "state");
    byte[] bytes = state;
    try {
      int version = storedVersion(bytes);
      if (version < 1) {
        throw new JobDecodeException(
            name,
            "$." + VERSION_KEY,
            "corrupted state: version " + version + " (versions start at 1)",
            0,
            0,
            null);
      }
      if (version > r.version()) {
        throw new JobDecodeException(
            name,
            "$",
            "state was written by version "
                + version
                + " of this job, but this build"
                + " has version "
                + r.version()
                + "; deploy the newer job class to read it",
            0,
            0,
            null);
      }
      if (version < r.version()) {
        bytes = upgrade(r, version, bytes, maxLength);
      }
      Scratch scratch = SCRATCH.get();
      if (scratch.msgpackTaken) {
        return readMsgpack(name, r, new MsgpackReader(bytes, maxLength));
      }
      scratch.msgpackTaken = true;
      MsgpackReader in = scratch.msgpack;
      try {
        in.reset(bytes, maxLength);
        return readMsgpack(name, r, in);
      } finally {
        // Lets go of the state bytes.
        in.release();
        scratch.msgpackTaken = false;
      }
    } catch (JobDecodeException e) {
      throw e.jobName().isEmpty() ? e.forJob(name) : e;
    } catch (IOException e) {
      throw new JobDecodeException(
          name,
          "$",
          "corrupted state: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          0,
          0,
          e);
    }
  }

  private static <J extends JobHandler<?>> J readMsgpack(
      String name, JobRegistration<?, ?> r, MsgpackReader in) throws IOException {
    J job = JobRegistry.<J>cast(r.codec()).readMsgpack(in);
    if (in.hasNext()) {
      throw new JobDecodeException(
          name, "$", "corrupted state: unexpected bytes after the end of the state", 0, 0, null);
    }
    return job;
  }

  /** The encoding of the key {@value #VERSION_KEY}: a fixstr header and its 8 bytes. */
  private static final byte[] VERSION_KEY_BYTES = MsgpackSupport.key(VERSION_KEY);

  /** The {@value #VERSION_KEY} stored in the state, or 1 when there is none. */
  private static int storedVersion(byte[] bytes) throws IOException {
    // The common forms, read from the bytes: a map of 1 to 65535 entries whose first key is a
    // short string other than "@version", or "@version" and a version below 128. Anything else
    // (and every error) takes the reader below.
    int first = -1;
    if (bytes.length > 3) {
      int header = bytes[0] & 0xff;
      if (header > 0x80 && header <= 0x8f) {
        first = 1;
      } else if (header == 0xde && (bytes[1] | bytes[2]) != 0) {
        first = 3;
      }
    }
    if (first > 0) {
      int key = bytes[first] & 0xff;
      int keyEnd = first + 1 + (key & 0x1f);
      if ((key & 0xe0) == 0xa0 && keyEnd <= bytes.length) {
        if (!Arrays.equals(bytes, first, keyEnd, VERSION_KEY_BYTES, 0, VERSION_KEY_BYTES.length)) {
          return 1;
        }
        if (keyEnd < bytes.length && bytes[keyEnd] >= 0) {
          return bytes[keyEnd];
        }
      }
    }
    MsgpackReader in = new MsgpackReader(bytes, Integer.MAX_VALUE);
    if (!in.hasNext() || in.nextType() != ValueType.MAP) {
      throw new JobDecodeException("", "$", "corrupted state: expected a map", 0, 0, null);
    }
    if (in.readMapHeader() == 0 || in.nextType() != ValueType.STRING) {
      return 1;
    }
    if (!VERSION_KEY.equals(in.readString())) {
      return 1;
    }
    try {
      return in.readInt();
    } catch (JobDecodeException e) {
      throw new JobDecodeException(
          "", "$." + VERSION_KEY, "corrupted state: " + e.reason(), 0, 0, e.getCause());
    }
  }

  private static byte[] upgrade(JobRegistration<?, ?> r, int from, byte[] bytes, int maxLength)
      throws IOException {
    Map<String, Object> tree = StateTree.read(bytes, maxLength);
    tree.remove(VERSION_KEY);
    for (int v = from; v < r.version(); v++) {
      try {
        r.upgrade(v, tree);
      } catch (RuntimeException e) {
        throw new JobDecodeException(
            r.name(),
            "$",
            "upgrade step from version " + v + " to " + (v + 1) + " failed: " + e,
            0,
            0,
            e);
      }
    }
    return StateTree.write(tree);
  }

  // ---------------------------------------------------------------- helpers

  private JobRegistration<?, ?> registrationOf(JobHandler<?> job) {
    return registrationOfClass(Objects.requireNonNull(job, "job").getClass());
  }

  private JobRegistration<?, ?> registrationOfClass(Class<?> jobClass) {
    JobRegistration<?, ?> r = byClass.get(jobClass);
    if (r == null) {
      throw UnknownJobException.forClass(jobClass, names());
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private static <T> JobCodec<T> cast(JobCodec<?> codec) {
    return (JobCodec<T>) codec;
  }

  @Override
  public String toString() {
    return "JobRegistry" + names();
  }
}
