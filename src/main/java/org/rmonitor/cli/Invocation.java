package org.rmonitor.cli;

/** What the command line asks for. */
public sealed interface Invocation {
  record Help() implements Invocation {}

  record Version() implements Invocation {}

  record Run(Options options) implements Invocation {}
}
