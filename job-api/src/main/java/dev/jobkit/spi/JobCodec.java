package dev.jobkit.spi;

import java.io.IOException;
import org.msgpack.core.MessagePacker;

/**
 * Reads and writes values of one type as MessagePack and JSON. Implemented by generated {@code
 * *_Codec} classes; users normally go through {@link dev.jobkit.JobRegistry} instead.
 *
 * <p>Objects are written as a map keyed by field (wire) name, in both formats. Readers skip unknown
 * MessagePack keys (so state saved by an older class still reads) and keep the value the
 * constructor gave for missing keys; an explicit nil/null is read back as {@code null}. Problems
 * are reported as {@link dev.jobkit.JobDecodeException} with the path inside the value.
 *
 * <p>Some checks belong to the reader the codec is given: MessagePack is read from a {@link
 * MsgpackReader}, which checks every length against the bytes that remain and the length limit and
 * bounds nesting, and JSON through a reader that rejects duplicate fields and nesting deeper than
 * {@link MsgpackSupport#MAX_DEPTH}.
 *
 * <p>MessagePack carries every saved field. JSON carries a job's parameters only: {@link
 * #writeJson} leaves its {@link dev.jobkit.State @State} fields out and {@link #readJson} rejects
 * them when strict, skips them otherwise.
 *
 * @param <T> the type read and written
 */
public interface JobCodec<T> {

  /** Writes {@code value}, which may be {@code null}, as one MessagePack value. */
  void writeMsgpack(MessagePacker out, T value) throws IOException;

  /**
   * Reads one MessagePack value written by {@link #writeMsgpack}; nil reads as {@code null}. On
   * return the reader is positioned after the value. Malformed input is reported as a {@link
   * dev.jobkit.JobDecodeException}; a reader made by a caller with {@code new MsgpackReader(bytes)}
   * works as well as the one {@link dev.jobkit.JobRegistry} keeps per thread.
   */
  T readMsgpack(MsgpackReader in) throws IOException;

  /** Writes {@code value}, which may be {@code null}, as one JSON value. */
  void writeJson(JsonWriter out, T value) throws IOException;

  /**
   * Reads one JSON value. The reader must be positioned on the value's first token (the caller has
   * called {@code nextToken()}); on return it is positioned on the value's last token. The reader
   * may be a {@link JsonTextReader}, which throws {@link JsonTextReader.Fallback} to have the input
   * read again: nothing but the returned value may come of a call.
   *
   * @param strict if true, an object field that the type does not have, or a job's {@code @State}
   *     field, is an error (dispatch input); if false it is skipped (stored output read by a newer
   *     class)
   */
  T readJson(JsonReader in, boolean strict) throws IOException;
}
