#!/usr/bin/env bash
# test/docs/check_apt_lock.sh - every apt call in the scripts waits for the
# dpkg lock (held by another apt, or by unattended upgrades on any server)
# instead of failing at once: each command line of scripts/ and test/ that
# runs apt-get or apt passes -o DPkg::Lock::Timeout (scripts/lib.sh's BJ_APT
# does).  Comments do not count.  Needs no server.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Lines where apt-get or apt is the command (at the start, after sudo,
# bj_as_root, env VAR=..., or after ; & | ( ), in every shell script of
# the folders that hold scripts; comments do not count.
cmd='(^|[;&|(]|sudo|bj_as_root|env)[[:space:]]*([A-Z_]+=[^[:space:]]*[[:space:]]+)*apt(-get)?[[:space:]]'
shell_files() { # *.sh and files that start with a shell's #! line
	find scripts test debian .ci -type f 2>/dev/null | while read -r f; do
		case $f in *.sh) echo "$f" ;; *) head -c 64 "$f" | head -1 | grep -qE '^#!.*(ba|da)?sh' && echo "$f" ;; esac
	done
}
missing=$(cd "$root" && shell_files | xargs grep -nIE "$cmd" /dev/null |
	grep -vE '^[^:]*:[0-9]+:[[:space:]]*#' | grep -v 'DPkg::Lock::Timeout' || true)
check "every apt call waits for the dpkg lock" "" "$missing"
check "scripts/lib.sh's apt waits for the lock" "1" \
	"$(grep -c '^BJ_APT=(.*apt-get.*-o DPkg::Lock::Timeout=[0-9]' "$root/scripts/lib.sh")"
finish_checks
