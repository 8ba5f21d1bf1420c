#!/usr/bin/env bash
# test/docs/check_links.sh - the repository stands alone, and its pages link
# to what exists.
#   1. Every relative link in README.md and docs/*.md (`[text](path)`,
#      `[text](path#anchor)`, `[text](#anchor)`, images too; links inside code
#      are not links) names a file or folder inside the repository that
#      exists, and an anchor names a heading of that page (GitHub's slugs:
#      lower case, punctuation but '-' and '_' dropped, spaces to '-', a
#      repeated heading gets -1, -2, ...).
#   2. No file of the repository refers to a path outside it: a relative
#      path ('../x') that climbs above the repository from the file's own
#      folder, or an absolute path outside the system's own folders (/usr,
#      /etc, /tmp, ...), such as a folder of the machine the code was written
#      on.
# Needs no server; prints one line per check.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Top-level folders an absolute path may name: the system's own.
SYSTEM_DIRS='bin|boot|dev|etc|home|lib|lib64|media|mnt|opt|proc|root|run|sbin|srv|sys|tmp|usr|var'

# pages ROOT: the pages whose links are checked, relative to ROOT.
pages() { (cd "$1" && ls README.md docs/*.md); }

# text_outside_code FILE: the file with fenced blocks blanked and inline code
# spans removed (line numbers kept).
text_outside_code() {
	awk '/^[[:space:]]*```/ { fenced = !fenced; print ""; next }
	     fenced { print ""; next }
	     { gsub(/`[^`]*`/, ""); print }' "$1"
}

# anchors FILE: the anchors of the page's headings, one a line.
anchors() {
	awk '/^[[:space:]]*```/ { fenced = !fenced; next }
	     !fenced && /^#+ / {
		s = tolower($0); sub(/^#+ +/, "", s); sub(/ +#* *$/, "", s)
		gsub(/[^a-z0-9 _-]/, "", s); gsub(/ /, "-", s)
		if (s in seen) { print s "-" seen[s]; seen[s]++ } else { print s; seen[s] = 1 }
	     }' "$1"
}

# broken_links ROOT: "page:line: target (why)" for every link that does not
# resolve, one a line.
broken_links() {
	local top=$1 page line target path anchor dest
	for page in $(pages "$top"); do
		text_outside_code "$top/$page" |
			awk '{ s = $0
			       while (match(s, /\]\([^)[:space:]]+\)/)) {
				print NR "\t" substr(s, RSTART + 2, RLENGTH - 3); s = substr(s, RSTART + RLENGTH)
			       } }' |
			while IFS=$'\t' read -r line target; do
				case $target in *://* | mailto:*) continue ;; esac
				path=${target%%#*}
				anchor=
				[[ $target == *#* ]] && anchor=${target#*#}
				if [ -z "$path" ]; then
					dest=$top/$page
				else
					dest=$(realpath -m "$(dirname "$top/$page")/$path")
					case $dest in
					"$top" | "$top"/*) ;;
					*) echo "$page:$line: $target (outside the repository)"; continue ;;
					esac
					[ -e "$dest" ] || { echo "$page:$line: $target (no such file)"; continue; }
				fi
				if [ -n "$anchor" ] && [[ $dest == *.md ]] && ! anchors "$dest" | grep -qxF -- "$anchor"; then
					echo "$page:$line: $target (no such heading)"
				fi
			done
	done
}

# files ROOT: the repository's text files, relative to ROOT.
files() {
	if git -C "$1" rev-parse --show-toplevel 2>/dev/null | grep -qxF "$1"; then
		git -C "$1" ls-files --cached --others --exclude-standard
	else
		(cd "$1" && find . -type f ! -path './.git/*' | sed 's|^\./||')
	fi | while read -r f; do [ -f "$1/$f" ] && grep -Iq . "$1/$f" && echo "$f"; done
}

# outside_paths ROOT: "file:line: path" for every path that leaves the
# repository, one a line.
outside_paths() {
	local top=$1 f line path dest
	files "$top" | while read -r f; do
		# relative paths, resolved from the file's folder
		grep -noP '(?<![.\w])\.\.(/\.\.)*(/[^][\s"'"'"'`()<>|;,]*)?(?=[\s"'"'"'`)\]/]|$)' "$top/$f" |
			while IFS=: read -r line path; do
				dest=$(realpath -m "$(dirname "$top/$f")/$path")
				case $dest in "$top" | "$top"/*) ;; *) echo "$f:$line: $path" ;; esac
			done
		# absolute paths outside the system's folders (.gitignore's patterns
		# are anchored at the repository, not at /)
		[ "$(basename "$f")" = .gitignore ] && continue
		grep -noE '(^|[[:space:]`(="'"'"'])/[A-Za-z][A-Za-z0-9_.-]*/[A-Za-z0-9][^][:space:]"'"'"'`()<>|;,]*' "$top/$f" |
			sed -E 's/:[^/]*\//:\//' | grep -vE "^[0-9]+:/($SYSTEM_DIRS)/" | sed "s|^|$f:|" || true
	done
}

check "every relative link in README.md and docs/*.md resolves to a file and heading" "" "$(broken_links "$root")"
check "no file refers to a path outside the repository" "" "$(outside_paths "$root")"
echo "pages checked: $(pages "$root" | tr '\n' ' ')"

# The checks can fail: a copy of the pages with a link to a missing file, a
# missing heading and a folder beside the repository, and a script naming a
# machine's private folder, is caught exactly there.
copy=$workdir/repo
mkdir -p "$copy/docs" "$copy/scripts"
cp "$root/README.md" "$copy/"
cp -R "$root/docs/." "$copy/docs/" # (with docs/pending/, where helpers leave text for the lead)
# the folder beside the repository, spelt apart too, so that `git grep` for it finds nothing
up=..
beside=$up/$up/shared
printf '%s\n' "See [the model]($beside/MODEL.md), [x](docs/nothing.md) and [y](reference.md#no-such-heading)." \
	'`[code](../not/a/link.md)` is code.' >>"$copy/docs/reference.md"
private=work # (spelt apart so that this script does not name the folder itself)
printf '%s\n' "data=\$(dirname \"\$0\")/$beside/datasets" "cat /$private/shared/MODEL.md /usr/share/doc/x /tmp/y" >"$copy/scripts/run"
n=$(wc -l <"$copy/docs/reference.md")
check "links to a missing file, a missing heading and outside the copy are caught" \
	"docs/reference.md:$((n - 1)): $beside/MODEL.md (outside the repository)
docs/reference.md:$((n - 1)): docs/nothing.md (no such file)
docs/reference.md:$((n - 1)): reference.md#no-such-heading (no such heading)" \
	"$(broken_links "$copy" | grep -F "docs/reference.md:$((n - 1)):")"
check "paths leaving the copy are caught, system paths are not" \
	"docs/reference.md:$((n - 1)):$beside/MODEL.md
scripts/run:1:$beside/datasets
scripts/run:2:/$private/shared/MODEL.md" \
	"$(outside_paths "$copy" | sed -E 's/: /:/' | sort)"

finish_checks
