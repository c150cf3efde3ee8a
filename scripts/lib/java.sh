# Sourced by the scripts: points JAVA_HOME at a JDK 25 (host-cli needs it; core builds for release 17 with it).
tealama_find_jdk25() {
    local candidate version
    for candidate in "${TEALAMA_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* ; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
        if [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! JAVA_HOME=$(tealama_find_jdk25); then
    echo "Tealama needs JDK 25 (set TEALAMA_JAVA_HOME or JAVA_HOME to one)." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
