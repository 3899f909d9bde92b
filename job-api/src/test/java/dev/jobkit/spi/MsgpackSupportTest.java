package dev.jobkit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobDecodeException;
import java.io.IOException;
import java.time.DayOfWeek;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Keys and enum names matched as bytes by {@link MsgpackReader} against {@link MsgpackSupport}'s
 * tables must give what decoding the string gives, and keep every bound.
 */
class MsgpackSupportTest {

  private static final MsgpackSupport.Keys KEYS =
      MsgpackSupport.keys("tenant", "template", "tags", "t", "", "größe");

  private interface Packing {
    void pack(MessageBufferPacker p) throws IOException;
  }

  private static byte[] bytes(Packing packing) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      packing.pack(p);
      return p.toByteArray();
    }
  }

  @Test
  void aKnownKeyIsTheTablesOwnStringAndTheNextValueFollows() throws IOException {
    String template = new String("template".toCharArray());
    byte[] in =
        bytes(
            p -> {
              p.packString(template);
              p.packInt(7);
              p.packString("größe");
              p.packString("");
              p.packString("unknown");
              p.packInt(8);
            });
    MsgpackReader u = new MsgpackReader(in, 100);
    String key = u.readKey(KEYS);
    assertSame("template", key);
    assertNotSame(template, key);
    assertEquals(7, u.readInt());
    assertSame("größe", u.readKey(KEYS));
    assertSame("", u.readKey(KEYS));
    assertEquals("unknown", u.readKey(KEYS));
    assertEquals(8, u.readInt());
    assertFalse(u.hasNext());
  }

  @Test
  void everyStringFormReadsTheSameOnBothPaths() throws IOException {
    String s31 = "a".repeat(31);
    String s32 = "b".repeat(32);
    String s255 = "ü".repeat(127) + "c";
    String s256 = "d".repeat(256);
    String s70k = "e".repeat(70_000);
    byte[] in =
        bytes(
            p -> {
              for (String s : new String[] {"", "x", s31, s32, s255, s256, s70k, "tags"}) {
                p.packString(s);
              }
            });
    MsgpackReader reader = new MsgpackReader(in, Integer.MAX_VALUE);
    MsgpackReader keys = new MsgpackReader(in, Integer.MAX_VALUE);
    for (String s : new String[] {"", "x", s31, s32, s255, s256, s70k}) {
      assertEquals(s, reader.readString());
      assertEquals(s, keys.readKey(KEYS));
    }
    assertSame("tags", reader.readKey(KEYS));
    assertEquals("tags", keys.readString());
    assertFalse(reader.hasNext());
    assertFalse(keys.hasNext());
  }

  @Test
  void theLengthLimitHoldsForShortStringsToo() throws IOException {
    byte[] in = bytes(p -> p.packString("tenant"));
    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> new MsgpackReader(in, 5).readString());
    assertTrue(
        e.getMessage().contains("a string header claims 6 bytes, over the limit of 5"),
        e.getMessage());
    assertThrows(JobDecodeException.class, () -> new MsgpackReader(in, 5).readKey(KEYS));
  }

  @Test
  void aStringCutShortIsAnErrorNotAReadPastTheEnd() throws IOException {
    byte[] whole = bytes(p -> p.packString("template"));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> new MsgpackReader(cut, 100).readKey(KEYS));
    assertTrue(e.getMessage().contains("claims 8 bytes but only 7 bytes remain"), e.getMessage());
  }

  @Test
  void enumsMatchByBytesAndUnknownNamesAreStillReported() throws IOException {
    byte[] in = bytes(p -> p.packString("MONDAY").packString("FUNDAY"));
    MsgpackReader u = new MsgpackReader(in, 100);
    assertEquals(DayOfWeek.MONDAY, u.readEnum(DayOfWeek.class));
    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> u.readEnum(DayOfWeek.class));
    assertTrue(e.getMessage().contains("unknown value 'FUNDAY'"), e.getMessage());
  }

  @Test
  void resetStartsOverWithNewBytesLimitAndDepth() throws IOException {
    byte[] deep = new byte[2 * (MsgpackSupport.MAX_DEPTH + 1)];
    java.util.Arrays.fill(deep, (byte) 0x81);
    MsgpackReader u = new MsgpackReader(deep, 100);
    for (int i = 0; i < MsgpackSupport.MAX_DEPTH; i++) {
      u.readObjectHeader();
    }
    assertThrows(JobDecodeException.class, u::readObjectHeader);
    // A reset forgets the depth, and takes the new bytes and limit.
    u.reset(bytes(p -> p.packMapHeader(1).packString("abc").packString("abcd")), 3);
    assertEquals(1, u.readObjectHeader());
    assertEquals("abc", u.readString());
    assertThrows(JobDecodeException.class, u::readString);
    u.release();
    assertFalse(u.hasNext());
  }

  @Test
  void errorsGetTheFieldAndIndexPrefixed() {
    JobDecodeException root = MsgpackSupport.decode("$", "unexpected end of input", null);
    JobDecodeException inList = MsgpackSupport.atIndex(root, 2);
    assertEquals("$[2]", inList.path());
    assertEquals("$.tags[2]", MsgpackSupport.atField(inList, "tags").path());
    assertSame(root, MsgpackSupport.atField(root, null));
  }
}
