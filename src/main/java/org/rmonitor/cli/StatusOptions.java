package org.rmonitor.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;

/** {@code rmonitor status [--lock-dir DIR]}, read into a record. */
public record StatusOptions(Optional<Path> lockDir) {
  private static final org.apache.commons.cli.Options OPTIONS =
      new org.apache.commons.cli.Options()
          .addOption(Option.builder().longOpt("lock-dir").hasArg().argName("DIR").build());

  public static StatusOptions parse(java.util.List<String> args) throws UsageException {
    CommandLine cl;
    try {
      cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(OPTIONS, args.toArray(String[]::new));
    } catch (ParseException e) {
      throw new UsageException("status: " + e.getMessage() + " (try rmonitor --help)");
    }
    if (!cl.getArgList().isEmpty()) {
      throw new UsageException("status: unexpected argument '" + cl.getArgList().getFirst() + "'; it takes only --lock-dir DIR");
    }
    String dir = cl.getOptionValue("lock-dir");
    if (dir != null && !dir.startsWith("/")) throw new UsageException("status: --lock-dir '" + dir + "' must be an absolute path");
    return new StatusOptions(Optional.ofNullable(dir).map(Path::of));
  }
}
