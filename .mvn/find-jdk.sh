# Finding a JDK 21+ on this machine, shared by the scripts at the repository root (./switchboard, ./bench).
# Source it: it defines functions and runs nothing.

# The major version of a JDK home, read from its release file (no JVM start), or 0.
jdk_major() {
  local release="$1/release" version
  [ -r "$release" ] || { echo 0; return; }
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "${version:-0}"
}

# Prints the home of a JDK 21+: JAVA_HOME, then the java on PATH, then the usual install folders.
find_jdk() {
  local candidate best="" best_major=0 major
  if [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 21 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if [ "$(jdk_major "$candidate")" -ge 21 ]; then echo "$candidate"; return 0; fi
  fi
  local folders=(/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*
    "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home)
  # SWITCHBOARD_JDK_FOLDERS (space-separated globs) replaces the usual install folders.
  if [ -n "${SWITCHBOARD_JDK_FOLDERS:-}" ]; then
    # shellcheck disable=SC2206
    folders=($SWITCHBOARD_JDK_FOLDERS)
  fi
  for candidate in "${folders[@]}"; do
    [ -x "$candidate/bin/java" ] || continue
    major=$(jdk_major "$candidate")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  [ -n "$best" ] && echo "$best"
}

# Options for Maven run on that JDK: Maven's own libraries still use sun.misc.Unsafe, which JDK 24+ warns
# about on every build.
maven_opts_for() {
  local opts="${MAVEN_OPTS:-}"
  [ "$(jdk_major "$1")" -ge 24 ] && opts="$opts --sun-misc-unsafe-memory-access=allow"
  echo "$opts"
}
