package shared;

import java.util.List;

public record Address(String street, List<String> lines, Country country) {
  public enum Country {
    NL,
    DE
  }
}
