package dev.jobkit.examples.codec;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.WireName;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** A job with a field of every supported type. */
@Job(name = "codec.all_types", description = "every field type")
public class AllTypesJob implements JobHandler<Summary> {
  public boolean aBoolean;
  public byte aByte;
  public short aShort;
  public int anInt;
  public long aLong;
  public float aFloat;
  public double aDouble;
  public char aChar;
  public Boolean boxedBoolean;
  public Byte boxedByte;
  public Short boxedShort;
  public Integer boxedInt;
  public Long boxedLong;
  public Float boxedFloat;
  public Double boxedDouble;
  public Character boxedChar;
  public String string = "default";
  public Color color;
  public BigDecimal bigDecimal;
  public BigInteger bigInteger;
  public UUID uuid;
  public URI uri;
  public Path path;
  public Instant instant;
  public Duration duration;
  public LocalDate localDate;
  public LocalDateTime localDateTime;
  public OffsetDateTime offsetDateTime;
  public byte[] bytes;
  public int[] ints;
  public String[] strings;
  public long[][] matrix;
  public Address[] addresses;
  public List<String> list;
  public Collection<Integer> collection;
  public Set<Color> set;
  public ArrayList<Long> arrayList;
  public LinkedList<String> linkedList;
  public HashSet<String> hashSet;
  public LinkedHashSet<String> linkedHashSet;
  public TreeSet<String> treeSet;
  public Map<String, Integer> map;
  public SortedMap<Long, String> sortedMap;
  public HashMap<Color, Double> enumMap;
  public LinkedHashMap<Integer, List<String>> intMap;
  public TreeMap<String, Address> treeMap;
  public Optional<String> optional = Optional.empty();
  public Optional<Address> optionalAddress = Optional.empty();
  public OptionalInt optionalInt = OptionalInt.empty();
  public OptionalLong optionalLong = OptionalLong.empty();
  public OptionalDouble optionalDouble = OptionalDouble.empty();
  public Address address;
  public Person person;
  public List<Map<String, List<Integer>>> nested;

  @WireName("renamed")
  public String wired;

  private String secret;
  transient String ignored = "transient";
  static String alsoIgnored = "static";
  int packagePrivate;

  public String getSecret() {
    return secret;
  }

  public void setSecret(String secret) {
    this.secret = secret;
  }

  @Override
  public Summary run(JobContext ctx) {
    return new Summary(1, List.of());
  }
}
