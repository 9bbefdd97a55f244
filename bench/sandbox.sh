# Sourced by the bench scripts: a scratch install of rmonitor and one job to run.
#   sandbox "BODY"   installs into $work/prefix, writes the exit BenchDisk.exit and the job
#                    $work/cron.daily/job (hashbang: rmonitor BenchDisk /bin/sh, then BODY),
#                    and exports the RMONITOR_* settings (log: a file; override after).
# $work is removed on exit, unless the caller sets its own EXIT trap after this.
src=$(cd -- "$(dirname -- "$0")/.." && pwd -P)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sandbox() {
  "$src/bin/install" --prefix "$work/prefix" >/dev/null
  mkdir -p "$work/lock" "$work/exits" "$work/cron.daily"
  printf '#!/bin/sh\nexit 0\n' > "$work/exits/BenchDisk.exit"
  printf '#!%s BenchDisk /bin/sh\n%s\n' "$work/prefix/bin/rmonitor" "$1" > "$work/cron.daily/job"
  chmod 755 "$work/exits/BenchDisk.exit" "$work/cron.daily/job"
  export RMONITOR_LOCK_DIR="$work/lock" RMONITOR_EXIT_DIR="$work/exits" \
    RMONITOR_LOG="file:$work/log" RMONITOR_FALLBACK="$work/undelivered"
}
