package io.redoubt.protocol.hpke;

import io.redoubt.protocol.TestVectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the test-vector markdown of RFC 9180 Appendix A (as stored under vectors/hpke/): one
 * "Setup Information" block per mode with "field: hex" lines (values may wrap onto following
 * lines), then an "Encryptions" block and an "Exported Values" block of blank-line-separated
 * entries.
 */
final class Rfc9180Vectors {

  private static final Pattern FIELD = Pattern.compile("^([A-Za-z_ ]+):\\s*(.*)$");

  /** One mode's vectors. */
  record Case(
      Map<String, String> setup,
      List<Map<String, String>> encryptions,
      List<Map<String, String>> exports) {
    int mode() {
      return Integer.parseInt(setup.get("mode"));
    }
  }

  private Rfc9180Vectors() {}

  static List<Case> read(String file) {
    List<Case> cases = new ArrayList<>();
    Case current = null;
    String section = null;
    boolean inBlock = false;
    Map<String, String> entry = null;
    String field = null;
    for (String raw : TestVectors.text("hpke/" + file).split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("~~~")) {
        if (inBlock && entry != null && !entry.isEmpty()) {
          add(current, section, entry);
        }
        inBlock = !inBlock;
        entry = new LinkedHashMap<>();
        field = null;
        continue;
      }
      if (!inBlock) {
        if (line.startsWith("### ")) {
          current = new Case(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>());
          cases.add(current);
          section = "setup";
        } else if (line.startsWith("#### Encryptions")) {
          section = "encryptions";
        } else if (line.startsWith("#### Exported")) {
          section = "exports";
        }
        continue;
      }
      if (line.isEmpty()) {
        if (!entry.isEmpty()) {
          add(current, section, entry);
        }
        entry = new LinkedHashMap<>();
        field = null;
        continue;
      }
      Matcher matcher = FIELD.matcher(line);
      if (matcher.matches()) {
        field = matcher.group(1).strip();
        entry.put(field, matcher.group(2).strip());
      } else if (field != null) {
        entry.merge(field, line, String::concat);
      }
    }
    return cases;
  }

  private static void add(Case current, String section, Map<String, String> entry) {
    switch (section) {
      case "setup" -> current.setup().putAll(entry);
      case "encryptions" -> current.encryptions().add(entry);
      case "exports" -> current.exports().add(entry);
      default -> throw new IllegalStateException("unexpected section " + section);
    }
  }
}
