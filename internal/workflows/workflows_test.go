package workflows

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
)

const marker = "<!-- tenancy-cost-diff -->"

// fakeGH answers the GitHub API calls the comment script makes from files
// in its folder (pull.json, comments.json), applying the script's own --jq
// filters with the real jq, and records every call and every body written.
const fakeGH = `#!/usr/bin/env bash
set -euo pipefail
printf '%s\n' "$*" >> "$FAKE_GH/calls"
[ "$1" = api ] && shift
method=GET jqf=. path="" field=""
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method=$2; shift 2 ;;
    --jq) jqf=$2; shift 2 ;;
    --paginate) shift ;;
    -F) field=$2; shift 2 ;;
    *) path=$1; shift ;;
  esac
done
case "$method $path" in
  "GET repos/"*/pulls/*) jq -r "$jqf" "$FAKE_GH/pull.json" ;;
  "GET repos/"*/issues/*/comments) jq -r "$jqf" "$FAKE_GH/comments.json" ;;
  "PATCH repos/"*/issues/comments/* | "POST repos/"*/issues/*/comments)
    cp "${field#body=@}" "$FAKE_GH/written.md"
    printf '%s %s\n' "$method" "$path" >> "$FAKE_GH/writes"
    echo '{}' ;;
  *) echo "fake gh: unexpected call: $method $path" >&2; exit 1 ;;
esac
`

// fakeTenancy stands in for the CLI in the pricing script: it writes
// $FAKE_OUT as the comment, {} as the JSON, $FAKE_ERR to stderr, and exits
// $FAKE_CODE.
const fakeTenancy = `#!/usr/bin/env bash
while [ $# -gt 0 ]; do
  [ "$1" = --json-file ] && echo '{}' > "$2"
  shift
done
printf '%s' "${FAKE_OUT:-}"
printf '%s' "${FAKE_ERR:-}" >&2
exit "${FAKE_CODE:-0}"
`

type env struct {
	t        *testing.T
	gh, art  string // the fake's folder; the artifact folder
	bin      string
	scripts  string
	baseEnv  []string
	headSHA  string
	lastCode int
}

func setup(t *testing.T) *env {
	if _, err := exec.LookPath("jq"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("jq is needed for the fake gh (apt-get install jq)")
		}
		t.Skip("jq is not installed: the fake gh applies the script's filters with it")
	}
	e := &env{t: t, gh: t.TempDir(), art: filepath.Join(t.TempDir(), "cost-diff"), bin: t.TempDir(),
		scripts: filepath.Join(testproject.Root(), ".github", "scripts"), headSHA: "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}
	require.NoError(t, os.WriteFile(filepath.Join(e.bin, "gh"), []byte(fakeGH), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(e.bin, "tenancy"), []byte(fakeTenancy), 0o755))
	e.baseEnv = append(os.Environ(), "PATH="+e.bin+":"+os.Getenv("PATH"), "FAKE_GH="+e.gh, "REPO=acme/tenancy",
		"HEAD_SHA="+e.headSHA, "RUN_URL=https://github.com/acme/tenancy/actions/runs/1", "BOT_LOGIN=github-actions[bot]")
	e.pull(e.headSHA)
	e.comments(`[]`)
	return e
}

func (e *env) pull(head string) {
	require.NoError(e.t, os.WriteFile(filepath.Join(e.gh, "pull.json"), []byte(`{"head":{"sha":"`+head+`"}}`), 0o644))
}

func (e *env) comments(json string) {
	require.NoError(e.t, os.WriteFile(filepath.Join(e.gh, "comments.json"), []byte(json), 0o644))
}

func (e *env) run(script string, extra ...string) string {
	cmd := exec.Command(filepath.Join(e.scripts, script))
	if script == "cost-diff-comment.sh" {
		cmd.Args = append(cmd.Args, e.art)
	}
	cmd.Env = append(append([]string{}, e.baseEnv...), extra...)
	cmd.Dir = e.t.TempDir()
	out, err := cmd.CombinedOutput()
	require.NoError(e.t, err, "%s: %s", script, out)
	return string(out)
}

// price runs the pricing script with the fake CLI.
func (e *env) price(code, stdout, stderr string) {
	e.run("cost-diff-price.sh", "TENANCY="+filepath.Join(e.bin, "tenancy"), "OUT="+e.art, "BASE_SHA=1111111", "PR_NUMBER=7",
		"FAKE_CODE="+code, "FAKE_OUT="+stdout, "FAKE_ERR="+stderr)
}

func (e *env) file(name string) string {
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return ""
	}
	require.NoError(e.t, err)
	return string(b)
}

func (e *env) writes() string { return e.file(filepath.Join(e.gh, "writes")) }

const comment = marker + "\n## tenancy cost diff\n\n**Monthly cost will increase by $576.69 (+2.7%)**\n"

func TestFirstCommentIsPosted(t *testing.T) {
	e := setup(t)
	e.price("0", comment, "")
	assert.Equal(t, "0\n", e.file(filepath.Join(e.art, "exit-code")))
	assert.Equal(t, "7\n", e.file(filepath.Join(e.art, "pr-number")))
	// Another user's comment that quotes the marker is not the bot's.
	e.comments(`[{"id": 41, "user": {"login": "mallory"}, "body": "` + marker + ` quoted"}]`)
	out := e.run("cost-diff-comment.sh", "EVENT_PR=7")
	assert.Contains(t, out, "posted the cost comment on #7")
	assert.Equal(t, "POST repos/acme/tenancy/issues/7/comments\n", e.writes())
	assert.Equal(t, comment, e.file(filepath.Join(e.gh, "written.md")))
}

func TestTheBotsCommentIsUpdated(t *testing.T) {
	e := setup(t)
	e.price("3", comment+"\n> [!CAUTION]\n", "tenancy cost diff: guardrail crossed: ...")
	assert.Equal(t, "3\n", e.file(filepath.Join(e.art, "exit-code")), "a crossed guardrail still leaves the tool's comment")
	e.comments(`[{"id": 41, "user": {"login": "mallory"}, "body": "` + marker + `"},
		{"id": 42, "user": {"login": "github-actions[bot]"}, "body": "` + marker + `\nold numbers"},
		{"id": 43, "user": {"login": "github-actions[bot]"}, "body": "an unrelated bot comment"}]`)
	out := e.run("cost-diff-comment.sh", "EVENT_PR=7")
	assert.Contains(t, out, "updated the cost comment 42 on #7")
	assert.Equal(t, "PATCH repos/acme/tenancy/issues/comments/42\n", e.writes())
	assert.Contains(t, e.file(filepath.Join(e.gh, "written.md")), "> [!CAUTION]")
}

// A failed diff replaces the old numbers with the failure and its first error line.
func TestAFailedDiffUpdatesTheComment(t *testing.T) {
	e := setup(t)
	e.price("1", "", "go: downloading something\ntenancy cost diff: stack prod: Pulumi.prod.yaml: tenancy:asgDesierd is not a setting (fix: did you mean tenancy:asgDesired?)\nmore\n")
	assert.Equal(t, "1\n", e.file(filepath.Join(e.art, "exit-code")))
	body := e.file(filepath.Join(e.art, "comment.md"))
	assert.True(t, strings.HasPrefix(body, marker+"\n"), body)
	assert.Contains(t, body, ":x: **The cost diff failed** (exit 1) for `2222222`")
	assert.Contains(t, body, "```\ntenancy cost diff: stack prod: Pulumi.prod.yaml: tenancy:asgDesierd is not a setting (fix: did you mean tenancy:asgDesired?)\n```")
	e.comments(`[{"id": 42, "user": {"login": "github-actions[bot]"}, "body": "` + marker + `\nold numbers"}]`)
	e.run("cost-diff-comment.sh", "EVENT_PR=7")
	assert.Equal(t, "PATCH repos/acme/tenancy/issues/comments/42\n", e.writes())
	assert.Contains(t, e.file(filepath.Join(e.gh, "written.md")), "The cost diff failed")

	// A pricing run that died before writing anything: the run's own pull
	// request gets a failure notice pointing at the run.
	require.NoError(t, os.RemoveAll(e.art))
	require.NoError(t, os.Remove(filepath.Join(e.gh, "writes")))
	e.run("cost-diff-comment.sh", "EVENT_PR=7")
	assert.Equal(t, "PATCH repos/acme/tenancy/issues/comments/42\n", e.writes())
	assert.Contains(t, e.file(filepath.Join(e.gh, "written.md")), "before it wrote a comment. See https://github.com/acme/tenancy/actions/runs/1")
}

// A fork's run names no pull request: the artifact's number is used, once
// the pull request's head is the commit that was priced; a number whose
// pull request is elsewhere gets no comment.
func TestTheForkPath(t *testing.T) {
	e := setup(t)
	e.price("0", comment, "")
	out := e.run("cost-diff-comment.sh", "EVENT_PR=")
	assert.Contains(t, out, "posted the cost comment on #7")
	assert.Equal(t, "POST repos/acme/tenancy/issues/7/comments\n", e.writes())

	require.NoError(t, os.Remove(filepath.Join(e.gh, "writes")))
	e.pull("9999999aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	out = e.run("cost-diff-comment.sh", "EVENT_PR=")
	assert.Contains(t, out, "pull request #7 is at 9999999, the pricing run priced 2222222: no comment")
	assert.Empty(t, e.writes())

	require.NoError(t, os.WriteFile(filepath.Join(e.art, "pr-number"), []byte("7; rm -rf /\n"), 0o644))
	out = e.run("cost-diff-comment.sh", "EVENT_PR=")
	assert.Contains(t, out, "no pull request to comment on")
	assert.Empty(t, e.writes())
}

// The workflows hold to their rules: actions pinned by full SHA with the
// version beside it; the job that runs pull-request code has a read-only
// token and leaves no credentials; no path filter strands a required check;
// the comment job checks out no pull-request code.
func TestWorkflowRules(t *testing.T) {
	dir := filepath.Join(testproject.Root(), ".github", "workflows")
	uses := regexp.MustCompile(`(?m)^\s*-?\s*uses:\s*(\S+)(.*)$`)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range uses.FindAllStringSubmatch(string(b), -1) {
			n++
			assert.Regexp(t, pinned, m[1], "%s: pin by full commit SHA", filepath.Base(f))
			assert.Regexp(t, `# v\d+\.\d+\.\d+`, m[2], "%s: %s says its version", filepath.Base(f), m[1])
		}
		assert.NotRegexp(t, `(?m)^\s*paths(-ignore)?:`, string(b), "%s: no path filter", filepath.Base(f))
	}
	assert.Greater(t, n, 5)
	price, err := os.ReadFile(filepath.Join(dir, "cost-diff.yml"))
	require.NoError(t, err)
	assert.False(t, regexp.MustCompile(`:\s*write`).Match(price), "the pricing workflow runs pull-request code: no write permission")
	assert.Contains(t, string(price), "persist-credentials: false")
	commentWF, err := os.ReadFile(filepath.Join(dir, "cost-diff-comment.yml"))
	require.NoError(t, err)
	assert.Contains(t, string(commentWF), "workflow_run:")
	assert.Contains(t, string(commentWF), "pull-requests: write")
	assert.NotContains(t, string(commentWF), "ref:", "the comment job checks out the default branch only")
	assert.NotContains(t, string(commentWF), "go run", "the comment job runs no pull-request code")
}
