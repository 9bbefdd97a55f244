# installpkg runs this from the root it installs into. The AOT cache must be trained where the
# JAR is used (it halves each launch); without it rmonitor works, only launches slower. It is
# written over the placeholders the package ships at its paths, so removepkg removes it too.
if [ -x usr/share/rmonitor/train-aot ]; then
  usr/share/rmonitor/train-aot "$(pwd -P | sed 's|/$||')/usr" >/dev/null 2>&1 || true
fi
