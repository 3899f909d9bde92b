package dev.jobkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateTreeTest {

  @Test
  void roundTripsEveryTreeType() throws IOException {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("nil", null);
    tree.put("bool", true);
    tree.put("long", -42L);
    tree.put("big", new BigInteger("18446744073709551615"));
    tree.put("double", 1.5);
    tree.put("string", "héllo");
    tree.put("bytes", new byte[] {1, 2, 3});
    tree.put("instant", Instant.parse("2026-11-23T10:15:30.123456789Z"));
    tree.put("list", List.of(1L, "two", List.of()));
    Map<Object, Object> nested = new LinkedHashMap<>();
    nested.put("a", 1L);
    nested.put(7L, "seven");
    tree.put("map", nested);

    Map<String, Object> back = StateTree.read(StateTree.write(tree), Integer.MAX_VALUE);

    assertEquals(tree.keySet(), back.keySet());
    assertArrayEquals((byte[]) tree.get("bytes"), (byte[]) back.get("bytes"));
    back.remove("bytes");
    tree.remove("bytes");
    assertEquals(tree, back);
  }

  @Test
  void smallIntegersComeBackAsLong() throws IOException {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("i", 3);
    assertEquals(3L, StateTree.read(StateTree.write(tree), Integer.MAX_VALUE).get("i"));
  }

  @Test
  void rejectsValuesOutsideTheTreeTypesWithTheirPath() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("list", List.of(new Object()));
    IOException e = assertThrows(IOException.class, () -> StateTree.write(tree));
    assertTrue(
        e.getMessage().startsWith("$.list[0]: an upgrade step left a java.lang.Object"),
        e.getMessage());
  }

  @Test
  void rejectsStateThatIsNotAMap() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> StateTree.read(new byte[] {(byte) 0x93, 1, 2, 3}, Integer.MAX_VALUE));
    assertEquals("state is not a MessagePack map", e.getMessage());
  }

  @Test
  void aLengthHeaderLargerThanTheInputIsADecodeErrorOnTheUpgradePath() {
    // {"a": array32 of 2^31-1 elements}: without the check, new ArrayList<>(n) runs out of memory
    byte[] state = {(byte) 0x81, (byte) 0xa1, 'a', (byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, -1};
    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> StateTree.read(state, Integer.MAX_VALUE));
    assertEquals(
        "$: corrupted MessagePack: an array header claims 2147483647 elements but only 0 bytes"
            + " remain",
        e.getMessage());
  }
}
