#!/usr/bin/env bash
# test/driver/jdbc/run.sh - compiles and runs DriverTest.java against
# Debian's pgjdbc (libpostgresql-jdbc-java), installing it and a JDK when
# missing.
source "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/lib.sh"
bj_install_packages libpostgresql-jdbc-java
command -v javac >/dev/null || bj_install_packages default-jdk-headless
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
javac -encoding UTF-8 -cp /usr/share/java/postgresql.jar -d "$build" "$here/DriverTest.java"
java -Dfile.encoding=UTF-8 -cp "/usr/share/java/postgresql.jar:$build" DriverTest
