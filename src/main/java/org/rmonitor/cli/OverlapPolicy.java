package org.rmonitor.cli;

/** {@code --overlap}: what a run does when the previous run of its script is still going. */
public enum OverlapPolicy {
  ALLOW,
  SKIP,
  WAIT
}
