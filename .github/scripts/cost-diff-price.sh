#!/usr/bin/env bash
# Prices the pull request's base and head (tenancy cost diff --against) and
# writes what the comment workflow needs to cost-diff/: the comment, the JSON
# diff, the pull request's number and head, and the exit code. It exits 0 so
# the artifact is always uploaded; the workflow's last step fails the check.
# A diff that fails still leaves a comment: that it failed, and the first
# error line, so the sticky comment never keeps an older commit's numbers.
#
# Env: BASE_SHA, PR_NUMBER, HEAD_SHA; TENANCY (default: go run ./cmd/tenancy);
# OUT (default: cost-diff); CACHE_DIR (default: .tenancy-cache).
set -uo pipefail

out=${OUT:-cost-diff}
tenancy=${TENANCY:-go run ./cmd/tenancy}
marker='<!-- tenancy-cost-diff -->'
mkdir -p "$out"
printf '%s\n' "$PR_NUMBER" > "$out/pr-number"
printf '%s\n' "$HEAD_SHA" > "$out/head-sha"

# shellcheck disable=SC2086 # $tenancy is a command and its arguments
$tenancy cost diff --against "$BASE_SHA" --cache-dir "${CACHE_DIR:-.tenancy-cache}" \
  --format markdown --json-file "$out/cost-diff.json" > "$out/comment.md" 2> "$out/stderr.txt"
code=$?
cat "$out/stderr.txt" >&2
printf '%s\n' "$code" > "$out/exit-code"

case "$code" in
  0 | 3 | 4) ;; # a comment was written: no change, a change, a guardrail crossed, an unpriced component
  *)
    first=$(grep -m 1 -E '^tenancy |error|Error' "$out/stderr.txt" || head -n 1 "$out/stderr.txt")
    {
      printf '%s\n## tenancy cost diff\n\n' "$marker"
      # shellcheck disable=SC2016 # the backticks are Markdown
      printf ':x: **The cost diff failed** (exit %s) for `%s`, so there are no figures for this commit:\n\n' "$code" "${HEAD_SHA:0:7}"
      # shellcheck disable=SC2016 # the backticks are Markdown
      printf '```\n%s\n```\n\n' "${first:-no error output}"
      printf 'Fix it and push again; the whole log is in the workflow run.\n'
    } > "$out/comment.md"
    ;;
esac
exit 0
