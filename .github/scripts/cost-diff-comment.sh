#!/usr/bin/env bash
# Posts the cost comment the pricing run left in DIR, or updates the one this
# bot posted before (found by its marker and the bot's login, never another
# user's comment that quotes the marker). It trusts nothing in DIR: the pull
# request number must be a number whose pull request's head is the commit
# the pricing run priced, and the body is cut to GitHub's limit.
#
# Usage: cost-diff-comment.sh DIR
# Env: REPO, HEAD_SHA (the pricing run's head), EVENT_PR (the run's pull
# request, empty for forks), RUN_URL, BOT_LOGIN; gh authenticated by GH_TOKEN.
set -euo pipefail

dir=${1:?usage: cost-diff-comment.sh DIR}
marker='<!-- tenancy-cost-diff -->'
bot=${BOT_LOGIN:-github-actions[bot]}

pr=""
if [ -f "$dir/pr-number" ]; then
  pr=$(head -c 20 "$dir/pr-number" | tr -d '[:space:]')
fi
pr=${pr:-${EVENT_PR:-}}
if ! [[ "$pr" =~ ^[0-9]+$ ]]; then
  echo "::notice::no pull request to comment on (the pricing run left no number, and a fork's run names none)"
  exit 0
fi

# The artifact names the pull request: believe it only if that pull
# request's head is the commit the pricing run priced.
actual=$(gh api "repos/$REPO/pulls/$pr" --jq .head.sha)
if [ "$actual" != "$HEAD_SHA" ]; then
  echo "::warning::pull request #$pr is at ${actual:0:7}, the pricing run priced ${HEAD_SHA:0:7}: no comment (a newer run will post)"
  exit 0
fi

body=$(mktemp)
if [ -s "$dir/comment.md" ]; then
  head -c 65000 "$dir/comment.md" > "$body"
else
  # shellcheck disable=SC2016 # the backticks are Markdown
  printf '%s\n## tenancy cost diff\n\n:x: **The cost diff failed** for `%s` before it wrote a comment. See %s\n' \
    "$marker" "${HEAD_SHA:0:7}" "${RUN_URL:-the workflow run}" > "$body"
fi
if [ "$(head -c ${#marker} "$body")" != "$marker" ]; then
  { printf '%s\n' "$marker"; cat "$body"; } > "$body.marked" && mv "$body.marked" "$body"
fi

id=$(gh api "repos/$REPO/issues/$pr/comments" --paginate \
  --jq ".[] | select(.user.login == \"$bot\" and (.body | startswith(\"$marker\"))) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$REPO/issues/comments/$id" -F "body=@$body" > /dev/null
  echo "updated the cost comment $id on #$pr"
else
  gh api --method POST "repos/$REPO/issues/$pr/comments" -F "body=@$body" > /dev/null
  echo "posted the cost comment on #$pr"
fi
