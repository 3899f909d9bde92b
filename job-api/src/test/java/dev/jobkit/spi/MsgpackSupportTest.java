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
import org.msgpack.core.MessageUnpacker;

/**
 * The byte-level fast paths of {@link MsgpackSupport} (keys and short strings read straight from
 * the input array) must give what msgpack-core's own path gives, and keep every bound.
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
    MessageUnpacker u = MsgpackSupport.newUnpacker(in, 100);
    String key = MsgpackSupport.readKey(u, KEYS);
    assertSame("template", key);
    assertNotSame(template, key);
    assertEquals(7, MsgpackSupport.readInt(u));
    assertSame("größe", MsgpackSupport.readKey(u, KEYS));
    assertSame("", MsgpackSupport.readKey(u, KEYS));
    assertEquals("unknown", MsgpackSupport.readKey(u, KEYS));
    assertEquals(8, MsgpackSupport.readInt(u));
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
    MessageUnpacker bounded = MsgpackSupport.newUnpacker(in, Integer.MAX_VALUE);
    MessageUnpacker plain = MessagePack.newDefaultUnpacker(in);
    for (String s : new String[] {"", "x", s31, s32, s255, s256, s70k}) {
      assertEquals(s, MsgpackSupport.readString(bounded));
      assertEquals(s, MsgpackSupport.readString(plain));
    }
    assertSame("tags", MsgpackSupport.readKey(bounded, KEYS));
    assertEquals("tags", MsgpackSupport.readKey(plain, KEYS));
    assertFalse(bounded.hasNext());
  }

  @Test
  void theLengthLimitHoldsForShortStringsToo() throws IOException {
    byte[] in = bytes(p -> p.packString("tenant"));
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class,
            () -> MsgpackSupport.readString(MsgpackSupport.newUnpacker(in, 5)));
    assertTrue(
        e.getMessage().contains("a string header claims 6 bytes, over the limit of 5"),
        e.getMessage());
    assertThrows(
        JobDecodeException.class,
        () -> MsgpackSupport.readKey(MsgpackSupport.newUnpacker(in, 5), KEYS));
  }

  @Test
  void aStringCutShortIsAnErrorNotAReadPastTheEnd() throws IOException {
    byte[] whole = bytes(p -> p.packString("template"));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class,
            () -> MsgpackSupport.readKey(MsgpackSupport.newUnpacker(cut, 100), KEYS));
    assertTrue(e.getMessage().contains("claims 8 bytes but only 7 bytes remain"), e.getMessage());
  }

  @Test
  void enumsMatchByBytesAndUnknownNamesAreStillReported() throws IOException {
    byte[] in = bytes(p -> p.packString("MONDAY").packString("FUNDAY"));
    MessageUnpacker u = MsgpackSupport.newUnpacker(in, 100);
    assertEquals(DayOfWeek.MONDAY, MsgpackSupport.readEnum(u, DayOfWeek.class));
    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> MsgpackSupport.readEnum(u, DayOfWeek.class));
    assertTrue(e.getMessage().contains("unknown value 'FUNDAY'"), e.getMessage());
  }

  @Test
  void resetStartsOverWithNewBytesLimitAndDepth() throws IOException {
    byte[] deep = new byte[2 * (MsgpackSupport.MAX_DEPTH + 1)];
    java.util.Arrays.fill(deep, (byte) 0x81);
    MessageUnpacker u = MsgpackSupport.newUnpacker(deep, 100);
    for (int i = 0; i < MsgpackSupport.MAX_DEPTH; i++) {
      MsgpackSupport.readObjectHeader(u);
    }
    assertThrows(JobDecodeException.class, () -> MsgpackSupport.readObjectHeader(u));
    // A reset forgets the depth, and takes the new bytes and limit.
    MsgpackSupport.reset(u, bytes(p -> p.packMapHeader(1).packString("abc").packString("abcd")), 3);
    assertEquals(1, MsgpackSupport.readObjectHeader(u));
    assertEquals("abc", MsgpackSupport.readString(u));
    assertThrows(JobDecodeException.class, () -> MsgpackSupport.readString(u));
    MessageUnpacker other = MessagePack.newDefaultUnpacker(new byte[0]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MsgpackSupport.reset(other, new byte[0], 1));
    assertEquals(
        "only an unpacker made by MsgpackSupport.newUnpacker can be reset; make one with it",
        e.getMessage());
  }
}
