# scripts/chroot.sh - Debian chroots that carry another PostgreSQL major than
# the host's, for scripts/test.  Source it after scripts/lib.sh.
#
# Each major comes from the Debian release that ships it (17: trixie, 18: sid),
# bootstrapped with debootstrap from the Debian archive the host's apt uses,
# with the server, its headers, a compiler, the test drivers and the Debian
# packaging tools installed.  A chroot is cached under $BJ_CHROOT_CACHE and
# rebuilt when it is older than $BJ_CHROOT_MAX_AGE_DAYS, made by another
# recipe, or broken.  Commands run inside it in a private mount namespace
# (proc, /dev, devpts and a tmpfs on /dev/shm, without which the server finds
# no POSIX shared memory), so that no mount outlives the command, whatever way
# it ends.

BJ_CHROOT_CACHE=${BJ_CHROOT_CACHE:-/var/cache/buyerjourney/chroots}
BJ_CHROOT_MAX_AGE_DAYS=${BJ_CHROOT_MAX_AGE_DAYS:-7}
BJ_CHROOT_SRC=/usr/src/buyerjourney # where the source tree is copied inside

# bj_chroot_suite MAJOR: the Debian release whose PostgreSQL is MAJOR.
bj_chroot_suite() {
	case $1 in
	17) echo trixie ;;
	18) echo sid ;;
	*)
		echo "no Debian release is known to ship PostgreSQL $1" >&2
		return 1
		;;
	esac
}

bj_chroot_dir() { echo "$BJ_CHROOT_CACHE/pg$1"; }

# The packages inside: what scripts/test's chroot suites and the Debian
# package build need.
bj_chroot_packages() {
	echo "postgresql-$1 postgresql-server-dev-$1 postgresql-server-dev-all libicu-dev" \
		"build-essential pkg-config python3 python3-psycopg util-linux" \
		"debhelper dpkg-dev fakeroot"
}

# The Debian archive the host's apt uses: the first source (one-line .list or
# deb822 .sources) that serves the host's own release.  BJ_DEBIAN_MIRROR
# overrides it.
bj_debian_mirror() {
	if [ -n "${BJ_DEBIAN_MIRROR:-}" ]; then
		echo "$BJ_DEBIAN_MIRROR"
		return 0
	fi
	local codename mirror files=() f
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && files+=("$f")
	done
	mirror=$(
		awk -v want="$codename" 'BEGIN { enabled = 1 }
			# one-line format: deb [options] URI SUITE COMPONENTS...
			FILENAME ~ /\.list$/ && $1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
				if ($(i + 1) == want) { print $i; exit }
				next
			}
			# deb822: stanzas of Field: value lines
			FILENAME ~ /\.sources$/ {
				if ($0 ~ /^[ \t]*$/) { uris = ""; suites = ""; enabled = 1; types = ""; next }
				if (tolower($1) == "uris:") uris = $2
				if (tolower($1) == "types:") types = $0
				if (tolower($1) == "enabled:" && tolower($2) == "no") enabled = 0
				if (tolower($1) == "suites:") suites = " " substr($0, index($0, ":") + 1) " "
				if (uris != "" && suites ~ (" " want " ") && types ~ /[ :]deb( |$)/ && enabled) { print uris; exit }
			}' /dev/null "${files[@]}"
	)
	if [ -z "$mirror" ]; then
		echo "cannot tell which Debian archive the host's apt uses (no source for '$codename' in /etc/apt/sources.list*); set BJ_DEBIAN_MIRROR" >&2
		return 1
	fi
	echo "$mirror"
}

# bj_chroot_recipe MAJOR: what a chroot was made from; a different recipe
# means a rebuild.
bj_chroot_recipe() {
	echo "suite=$(bj_chroot_suite "$1") mirror=$(bj_debian_mirror) packages=$(bj_chroot_packages "$1")"
}

# Nothing may be mounted below a folder we are about to delete.
bj_chroot_unmounted() {
	if awk -v d="$1/" 'index($5 "/", d) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
		echo "something is still mounted below $1; not touching it" >&2
		return 1
	fi
}

# bj_chroot_run MAJOR COMMAND...: run COMMAND as root inside the chroot, in a
# mount namespace of its own (its mounts vanish with it), with a clean
# environment.  Processes it leaves behind are ended.
bj_chroot_run() {
	local dir
	dir=$(bj_chroot_dir "$1")
	shift
	bj_chroot_run_in "$dir" "$@"
}

bj_chroot_run_in() {
	local dir=$1 status=0
	shift
	unshare --mount --propagation private -- /bin/sh -euc '
		dir=$1; shift
		mount -t proc proc "$dir/proc"
		mount --rbind /dev "$dir/dev"
		mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$dir/dev/pts"
		mount -t tmpfs -o mode=1777,size=1g shm "$dir/dev/shm"
		exec chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
	' sh "$dir" "$@" || status=$?
	bj_chroot_end_processes "$dir"
	return $status
}

# End the processes whose root is the chroot (servers a failed test left).
bj_chroot_end_processes() {
	local proc pids=()
	for proc in /proc/[0-9]*; do
		[ "$(readlink "$proc/root" 2>/dev/null)" = "$1" ] && pids+=("${proc#/proc/}")
	done
	[ ${#pids[@]} -eq 0 ] && return 0
	bj_say "ending processes left in $1: ${pids[*]}"
	kill "${pids[@]}" 2>/dev/null || true
	sleep 2
	kill -9 "${pids[@]}" 2>/dev/null || true
}

# bj_chroot_usable MAJOR: the cached chroot is complete, of today's recipe,
# young enough, and runs its PostgreSQL.
bj_chroot_usable() {
	local dir stamp
	dir=$(bj_chroot_dir "$1")
	stamp=$dir/.buyerjourney-recipe
	if [ ! -f "$stamp" ]; then
		[ -d "$dir" ] && bj_say "chroot for PostgreSQL $1 is incomplete"
		return 1
	fi
	if [ "$(cat "$stamp")" != "$(bj_chroot_recipe "$1")" ]; then
		bj_say "chroot for PostgreSQL $1 was made by another recipe"
		return 1
	fi
	if [ -n "$(find "$stamp" -mtime +"$BJ_CHROOT_MAX_AGE_DAYS")" ]; then
		bj_say "chroot for PostgreSQL $1 is older than $BJ_CHROOT_MAX_AGE_DAYS days"
		return 1
	fi
	if ! bj_chroot_run "$1" "/usr/lib/postgresql/$1/bin/pg_config" --version >/dev/null 2>&1; then
		bj_say "chroot for PostgreSQL $1 is broken"
		return 1
	fi
}

# bj_chroot_build MAJOR: bootstrap a new chroot beside the old one and put it
# in its place when it is complete.
bj_chroot_build() {
	local major=$1 suite mirror dir new
	suite=$(bj_chroot_suite "$major") || return 1
	mirror=$(bj_debian_mirror) || return 1
	dir=$(bj_chroot_dir "$major")
	new=$dir.new
	command -v debootstrap >/dev/null || bj_install_only debootstrap || return 1
	mkdir -p "$BJ_CHROOT_CACHE"
	bj_chroot_unmounted "$new" || return 1
	rm -rf --one-file-system "$new"
	bj_say "bootstrapping Debian $suite (PostgreSQL $major) from $mirror into $new"
	# In a mount namespace of its own: the proc and sys debootstrap mounts
	# vanish with it even if it is killed.
	unshare --mount --propagation private -- \
		debootstrap --variant=minbase "$suite" "$new" "$mirror" >"$new.log" 2>&1 || {
		tail -20 "$new.log" >&2
		return 1
	}
	mv "$new.log" "$new/debootstrap.log"
	# No service starts inside; no cluster is created by the packages.
	printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
	chmod 755 "$new/usr/sbin/policy-rc.d"
	# The lock as everywhere (scripts/lib.sh); sid's Release file has expired
	# on a frozen mirror.
	bj_chroot_run_in "$new" sh -euc "
		export DEBIAN_FRONTEND=noninteractive
		apt='apt-get -q -o DPkg::Lock::Timeout=900 -o Acquire::Check-Valid-Until=false'
		\$apt update
		\$apt install -y --no-install-recommends postgresql-common
		sed -i 's/^#* *create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
		grep -qx 'create_main_cluster = false' /etc/postgresql-common/createcluster.conf
		\$apt install -y --no-install-recommends $(bj_chroot_packages "$major")
		\$apt clean
	" || return 1
	bj_chroot_recipe "$major" >"$new/.buyerjourney-recipe"
	dir=$(bj_chroot_dir "$major")
	bj_chroot_unmounted "$dir" || return 1
	rm -rf --one-file-system "$dir"
	mv "$new" "$dir"
}

# bj_chroot_ensure MAJOR: a usable chroot for MAJOR, built if need be.
bj_chroot_ensure() {
	bj_chroot_usable "$1" && return 0
	bj_chroot_build "$1" && bj_chroot_usable "$1"
}

# bj_chroot_copy_source MAJOR: the source tree, fresh, into $BJ_CHROOT_SRC.
bj_chroot_copy_source() {
	bj_copy_source "$(bj_chroot_dir "$1")$BJ_CHROOT_SRC"
}
