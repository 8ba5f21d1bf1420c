# scripts/include_regions.awk - the 1.2.0 -> 1.3.0 update script from its
# topic files (schema/upgrade-1.3.0/), with each object it (re)creates
# written once: a line "-- @include NAME" there stands for the lines between
# "-- @begin NAME" and "-- @end NAME" in the schema files, which a fresh
# install takes as they are.
#
#   awk -v updates=schema/upgrade-1.3.0/ -f scripts/include_regions.awk \
#       schema/*.sql schema/upgrade-1.3.0/*.sql
#
# The schema files come first (their regions are read), then the update's
# files (printed, includes expanded).  A region named twice, one left open,
# or an include of none fails the build.
function fail(message) {
	print "include_regions: " FILENAME ":" FNR ": " message > "/dev/stderr"
	failed = 1
	exit 1
}
index(FILENAME, updates) != 1 {
	if ($1 == "--" && $2 == "@begin") {
		if (open != "") fail("region " $3 " begins inside " open)
		if ($3 in region) fail("region " $3 " named twice")
		open = $3
		region[open] = ""
	} else if ($1 == "--" && $2 == "@end") {
		if ($3 != open) fail("@end " $3 " closes no open region")
		open = ""
	} else if (open != "")
		region[open] = region[open] $0 "\n"
	next
}
open != "" { fail("region " open " is not closed") }
$1 == "--" && $2 == "@include" {
	if (!($3 in region)) fail("no region " $3)
	printf "%s", region[$3]
	next
}
{ print }
END { if (!failed && open != "") { FILENAME = "(end)"; fail("region " open " is not closed") } }
