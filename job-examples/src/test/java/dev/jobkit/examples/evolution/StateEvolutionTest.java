package dev.jobkit.examples.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobRegistry;
import org.junit.jupiter.api.Test;

/**
 * State saved by one version of a job class restores into later versions: fields added and removed
 * need nothing, a rename and a type change go through declared upgrade steps. Each version is its
 * own class (with its own name) so that all three live in one build; the bytes are what matter.
 */
class StateEvolutionTest {

  private final JobRegistry registry = JobRegistry.load();

  private byte[] v1Bytes() {
    ProfileV1 v1 = new ProfileV1();
    v1.name = "Ada Lovelace";
    v1.age = 36;
    v1.nickname = "Enchantress of Numbers";
    return registry.toMsgpack(v1);
  }

  @Test
  void addedFieldKeepsItsConstructorValueAndRemovedFieldIsSkipped() {
    ProfileV2 v2 = registry.fromMsgpack("evo.profile.v2", v1Bytes());
    assertEquals("Ada Lovelace", v2.name);
    assertEquals(36, v2.age);
    assertEquals("unknown@example.com", v2.email);
  }

  @Test
  void upgradeStepsRenameAFieldAndChangeItsType() {
    ProfileV3 v3 = registry.fromMsgpack("evo.profile.v3", v1Bytes());
    assertEquals("Ada Lovelace", v3.fullName);
    assertEquals("36 years", v3.age);
    assertEquals("unknown@example.com", v3.email);
  }

  @Test
  void currentVersionStateSkipsTheUpgradesAndCarriesItsVersion() {
    ProfileV3 v3 = new ProfileV3();
    v3.fullName = "Grace Hopper";
    v3.age = "85 years";
    v3.email = null;
    byte[] bytes = registry.toMsgpack(v3);

    ProfileV3 back = registry.fromMsgpack("evo.profile.v3", bytes);
    assertEquals("Grace Hopper", back.fullName);
    assertEquals("85 years", back.age);
    assertNull(back.email, "an explicit null is read back as null, not the constructor's value");
  }

  @Test
  void stateFromANewerVersionIsRefusedWithAClearMessage() {
    ProfileV3 v3 = new ProfileV3();
    v3.fullName = "Grace Hopper";
    byte[] bytes = registry.toMsgpack(v3);

    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> registry.fromMsgpack("evo.profile.v1", bytes));
    assertEquals(
        "evo.profile.v1: $: state was written by version 3 of this job, but this build has version 1;"
            + " deploy the newer job class to read it",
        e.getMessage());
  }
}
