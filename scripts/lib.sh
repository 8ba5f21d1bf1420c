# scripts/lib.sh - set-up shared by scripts/demo and scripts/test.
#
# Installs the Debian packages the project needs (when missing), builds and
# installs the extension, and starts a throwaway PostgreSQL cluster owned by a
# non-root user on a free local port, unless PGHOST or PGPORT name a server
# to use instead.  The cluster is stopped and removed on exit, also on failure,
# unless bj_keep_cluster keeps it.

set -euo pipefail

BJ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BJ_PG_MAJOR=${BJ_PG_MAJOR:-15}
BJ_PG_BIN=${BJ_PG_BIN:-/usr/lib/postgresql/$BJ_PG_MAJOR/bin} # another build of the same major may be named
export PG_CONFIG=$BJ_PG_BIN/pg_config

# Debian packages: server and headers, ICU, a compiler, and the test drivers.
BJ_PACKAGES=(
	"postgresql-$BJ_PG_MAJOR" "postgresql-server-dev-$BJ_PG_MAJOR" postgresql-contrib
	libicu-dev build-essential pkg-config python3 python3-psycopg
	clang libclang-rt-14-dev # libFuzzer, for the fuzz targets
)

# apt-get that waits for the dpkg lock (held by another apt, or by unattended
# upgrades on any server) instead of failing at once.
BJ_APT=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=900)

bj_say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

bj_as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		echo "need root (or sudo) for: $*" >&2
		return 1
	fi
}

# bj_install_packages [PKG...]: the project's packages and these.
bj_install_packages() {
	bj_install_only "${BJ_PACKAGES[@]}" "$@"
}

# bj_install_only PKG...: these packages (when missing), and no others.
bj_install_only() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	bj_say "installing Debian packages: ${missing[*]}"
	# A third-party source that cannot be reached must not stop us: the
	# install below says clearly if a package is really missing.
	bj_as_root "${BJ_APT[@]}" update ||
		bj_say "apt-get update reported errors; trying the install anyway"
	bj_as_root "${BJ_APT[@]}" install -y --no-install-recommends "${missing[@]}"
}

bj_build_install() {
	bj_say "building with -Wall -Wextra -Werror and installing"
	make -C "$BJ_ROOT" -s WERROR=1
	bj_as_root make -C "$BJ_ROOT" -s install PG_CONFIG="$PG_CONFIG"
}

# bj_copy_source TARGET: the source tree as it is now (uncommitted changes
# included, build products left out) into the folder TARGET, made afresh.
bj_copy_source() {
	local target=$1
	rm -rf --one-file-system "$target"
	mkdir -p "$target"
	if git -C "$BJ_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$BJ_ROOT" && git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
			tar --null -T - -cf -) | tar -C "$target" -xf -
	else # not a git checkout: everything, then without build products
		tar -C "$BJ_ROOT" --exclude=.git -cf - . | tar -C "$target" -xf -
		make -C "$target" -s clean >/dev/null
	fi
}

# Run a command as the cluster's owner: postgres when we are root (the
# server refuses to run as root), ourselves otherwise.
bj_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

bj_free_port() {
	local port
	for port in $(seq $((54320 + RANDOM % 500)) 65000); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

BJ_CLUSTER_DIR=    # the cluster bj_start_cluster started
BJ_CLUSTER_DIRS=() # every throwaway cluster, stopped and removed on exit

bj_stop_clusters() {
	local dir
	for dir in "${BJ_CLUSTER_DIRS[@]}"; do
		bj_say "stopping the throwaway cluster in $dir"
		bj_as_owner "$BJ_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
		rm -rf "$dir"
	done
	BJ_CLUSTER_DIRS=()
	BJ_CLUSTER_DIR=
}

# bj_new_cluster [NAME=VALUE...]: initdb and start a throwaway cluster owned
# by a non-root user, listening on 127.0.0.1 and a socket in its directory, on
# a free port, with the -c settings given.  Sets BJ_NEW_CLUSTER_DIR and
# BJ_NEW_CLUSTER_PORT.  It is stopped and removed on exit: by an EXIT trap
# that calls bj_stop_clusters, set here unless the caller's trap calls it.
bj_new_cluster() {
	local port dir
	port=$(bj_free_port)
	dir=$(mktemp -d /tmp/buyerjourney-cluster.XXXXXX)
	BJ_CLUSTER_DIRS+=("$dir")
	trap -p EXIT | grep -q bj_stop_clusters || trap bj_stop_clusters EXIT
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"

	bj_say "starting a throwaway cluster in $dir on port $port"
	bj_as_owner "$BJ_PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust \
		-E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
	# Another process may take the port between the check and the start: then
	# another port, a few times; any other failure shows the server's log.
	local attempt
	for attempt in 1 2 3 4 5; do
		if bj_pg_ctl "$dir" "$port" start "$@"; then
			BJ_NEW_CLUSTER_DIR=$dir BJ_NEW_CLUSTER_PORT=$port
			return 0
		fi
		if [ "$attempt" = 5 ] || ! grep -q 'could not bind\|could not create any TCP/IP sockets\|already in use' "$dir/server.log"; then
			tail -20 "$dir/server.log" >&2
			return 1
		fi
		port=$(bj_free_port)
		bj_say "port taken meanwhile: starting on port $port"
	done
}

# bj_restart_cluster DIR PORT [NAME=VALUE...]: restart the cluster
# bj_new_cluster made in DIR on PORT, with these -c settings instead of its
# first ones (shared_preload_libraries, say).
bj_restart_cluster() {
	bj_pg_ctl "$1" "$2" restart "${@:3}"
}

# bj_pg_ctl DIR PORT ACTION [NAME=VALUE...]: pg_ctl start or restart of a
# throwaway cluster, listening as bj_new_cluster says.
bj_pg_ctl() {
	local dir=$1 port=$2 action=$3 settings=() kv
	for kv in "${@:4}"; do settings+=(-c "$kv"); done
	bj_as_owner "$BJ_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 ${settings[*]}" "$action" >/dev/null
}

# bj_keep_cluster: keep the cluster bj_start_cluster started: it is no longer
# stopped and removed on exit, and its port, socket directory and address are
# written into its configuration, so that a plain 'pg_ctl start' brings it
# back as it was.  Prints how to connect to it, restart it, and stop and
# remove it.
bj_keep_cluster() {
	local dir=$BJ_CLUSTER_DIR others=() d as_owner=
	[ "$(id -u)" = 0 ] && as_owner='runuser -u postgres -- '
	psql -X -q -d postgres -c "ALTER SYSTEM SET port = $PGPORT" \
		-c "ALTER SYSTEM SET unix_socket_directories = '$dir'" -c "ALTER SYSTEM SET listen_addresses = '127.0.0.1'"
	for d in "${BJ_CLUSTER_DIRS[@]}"; do [ "$d" = "$dir" ] || others+=("$d"); done
	BJ_CLUSTER_DIRS=("${others[@]}")
	BJ_CLUSTER_DIR=
	bj_say "the cluster is kept in $dir, on port $PGPORT"
	echo "   connect:            psql -h $dir -p $PGPORT -U postgres -d ${1:-postgres}"
	echo "   stop it:            $as_owner$BJ_PG_BIN/pg_ctl -D $dir/data -m fast -w stop"
	echo "   start it again:     $as_owner$BJ_PG_BIN/pg_ctl -D $dir/data -l $dir/server.log -w start"
	echo "   stop and remove it: $as_owner$BJ_PG_BIN/pg_ctl -D $dir/data -m fast -w stop; rm -rf $dir"
}

# Start a throwaway cluster and point libpq at it, or use $PGHOST/$PGPORT.
# Extra arguments are passed to the server as -c settings (name=value).
bj_start_cluster() {
	if [ -n "${PGHOST:-}" ] || [ -n "${PGPORT:-}" ]; then
		bj_say "using the existing server at ${PGHOST:-local socket}:${PGPORT:-5432}"
		return 0
	fi
	bj_new_cluster "$@"
	BJ_CLUSTER_DIR=$BJ_NEW_CLUSTER_DIR
	export PGHOST=$BJ_CLUSTER_DIR PGPORT=$BJ_NEW_CLUSTER_PORT PGUSER=postgres PGDATABASE=postgres
}

# Client programs of the same major as the server we build for.
export PATH=$BJ_PG_BIN:$PATH
