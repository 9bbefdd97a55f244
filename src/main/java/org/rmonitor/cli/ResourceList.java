package org.rmonitor.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A comma-separated list of resource names, each 7 to 20 of A-Z a-z 0-9 - _, none twice. */
public final class ResourceList {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{7,20}");

  private ResourceList() {}

  public static List<String> parse(String list) throws UsageException {
    List<String> names = new ArrayList<>();
    for (String name : list.split(",", -1)) {
      if (!NAME.matcher(name).matches()) {
        throw new UsageException(
            (name.isEmpty() ? "empty resource name" : "resource name '" + name + "'")
                + " in '" + list + "': a name is 7 to 20 characters of A-Z a-z 0-9 - _");
      }
      if (names.contains(name)) {
        throw new UsageException("resource '" + name + "' is listed twice in '" + list + "'");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }
}
