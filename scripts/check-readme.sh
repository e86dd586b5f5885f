#!/usr/bin/env bash
# check-readme.sh — proves the README's quick start works from a clean checkout: clones the committed
# HEAD of this repository into a temporary folder and runs, there, the README's two commands exactly as
# written: the lines `npm ci && npm start` and `npm ci && npm test` inside fenced code blocks of
# README.md (a leading "$ " prompt is dropped), in README order. Fails with a clear message when
# README.md or either line is missing, or when a command fails (its exit status is passed on).
#
# Usage: scripts/check-readme.sh [--keep]        clone, extract, run (--keep: leave the clone)
#        scripts/check-readme.sh --print [FILE]  only print the commands found in FILE (default:
#                                                README.md of the working tree), one per line
# Environment: RTM_SHARED_DATA is passed on (default: ../shared/data beside the repository, when it
# exists), so the clone's tests find the real tables; TMPDIR chooses where the clone goes.
set -euo pipefail

die() { printf 'check-readme: %s\n' "$*" >&2; exit 1; }

# extract FILE: prints "start<TAB>command" and "test<TAB>command" lines (first occurrence of each, in
# file order) for command lines inside fenced code blocks (``` or ~~~, CommonMark closing rules; an
# unclosed fence runs to the end of the file).
extract() {
  awk '
    function fencelen(s, c,   n) { n = 0; while (substr(s, n + 1, 1) == c) n++; return n }
    {
      sub(/\r$/, "")
      line = $0
      indent = line                                         # up to 3 spaces may precede a fence
      for (k = 0; k < 3 && substr(indent, 1, 1) == " "; k++) indent = substr(indent, 2)
      if (!infence) {
        c = substr(indent, 1, 1)
        if ((c == "`" || c == "~") && fencelen(indent, c) >= 3) { infence = 1; fc = c; fl = fencelen(indent, c) }
        next
      }
      c = substr(indent, 1, 1)
      if (c == fc && fencelen(indent, c) >= fl) {
        rest = substr(indent, fencelen(indent, c) + 1); gsub(/[ \t]/, "", rest)
        if (rest == "") { infence = 0; next }
      }
      cmd = line
      sub(/^[ \t]*/, "", cmd); sub(/^\$[ \t]+/, "", cmd); sub(/[ \t]+$/, "", cmd)
      if (cmd ~ /^npm[ \t]+ci[ \t]+&&[ \t]+npm[ \t]+start$/ && !seen["start"]++) print "start\t" cmd
      if (cmd ~ /^npm[ \t]+ci[ \t]+&&[ \t]+npm[ \t]+test$/ && !seen["test"]++) print "test\t" cmd
    }
  ' "$1"
}

# commands FILE: the two commands, checked; prints them one per line in file order.
commands() {
  local file=$1 found
  [[ -f $file ]] || die "$file not found (the README must be committed)"
  found=$(extract "$file")
  grep -q $'^start\t' <<<"$found" ||
    die "$file has no line 'npm ci && npm start' inside a fenced code block (\`\`\` ... \`\`\`)"
  grep -q $'^test\t' <<<"$found" ||
    die "$file has no line 'npm ci && npm test' inside a fenced code block (\`\`\` ... \`\`\`)"
  cut -f2- <<<"$found"
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here/.." rev-parse --show-toplevel 2>/dev/null) || die "$here/.. is not in a git repository"

case "${1:-}" in
  --print)
    commands "${2:-$root/README.md}"
    exit 0
    ;;
  --keep | '') ;;
  *) die "unknown argument '$1' (usage: scripts/check-readme.sh [--keep] | --print [FILE])" ;;
esac
keep=${1:-}

git -C "$root" rev-parse --verify -q HEAD >/dev/null || die "$root has no commit yet"
work=$(mktemp -d "${TMPDIR:-/tmp}/rtm-check-readme.XXXXXX")
if [[ $keep == --keep ]]; then
  trap 'printf "check-readme: clone kept in %s\n" "$work/repo" >&2' EXIT
else
  trap 'rm -rf "$work"' EXIT
fi
git clone --quiet --no-hardlinks "$root" "$work/repo" || die "git clone of $root failed"
rev=$(git -C "$work/repo" rev-parse --short HEAD)
list=$(commands "$work/repo/README.md")
mapfile -t cmds <<<"$list"

if [[ -z ${RTM_SHARED_DATA:-} && -d $root/../shared/data ]]; then
  RTM_SHARED_DATA=$(cd "$root/../shared/data" && pwd)
fi
[[ -n ${RTM_SHARED_DATA:-} ]] && export RTM_SHARED_DATA

for cmd in "${cmds[@]}"; do
  printf 'check-readme: [%s] $ %s\n' "$rev" "$cmd" >&2
  status=0
  (cd "$work/repo" && bash -euo pipefail -c "$cmd") || status=$?
  if ((status != 0)); then
    die "'$cmd' failed with exit status $status in a clean clone of $rev"
  fi
done
printf 'check-readme: ok: both README commands succeed in a clean clone of %s\n' "$rev" >&2
