package org.rmonitor.cli;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;

/**
 * {@code rmonitor report [--host NAME]... [LOGFILE...]}, read into a record: the hosts to show
 * (none: all) and the files to read, oldest first (none, or {@code -}: standard input).
 */
public record ReportOptions(List<String> hosts, List<String> files) {
  private static final org.apache.commons.cli.Options OPTIONS =
      new org.apache.commons.cli.Options()
          .addOption(Option.builder().longOpt("host").hasArg().argName("NAME").build());

  public static ReportOptions parse(List<String> args) throws UsageException {
    CommandLine cl;
    try {
      cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(OPTIONS, args.toArray(String[]::new));
    } catch (ParseException e) {
      throw new UsageException("report: " + e.getMessage() + " (try rmonitor --help)");
    }
    List<String> hosts = cl.hasOption("host") ? List.of(cl.getOptionValues("host")) : List.of();
    for (String h : hosts) {
      if (h.isBlank() || h.chars().anyMatch(Character::isWhitespace)) {
        throw new UsageException("report: --host '" + h + "' is not a host name");
      }
    }
    return new ReportOptions(hosts, List.copyOf(cl.getArgList()));
  }
}
