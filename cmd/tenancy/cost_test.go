package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCostCommand(t *testing.T) {
	code, out, errOut := runCLI("cost", "--stack", "dev", "--dir", "../..")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "line item")
	assert.Contains(t, out, "before (multi-instance)")
	assert.Contains(t, out, "after (hybrid)")

	code, out, errOut = runCLI("cost", "--stack", "dev", "--dir", "../..", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "USD", doc["currency"])

	code, out, errOut = runCLI("cost", "--stack", "dev", "--dir", "../..", "--preview-json", "../../internal/costing/testdata/dev.preview.json", "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "| total |")

	code, out, errOut = runCLI("cost", "--stack", "dev", "--dir", "../..", "--topology", "multi-tenant", "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "after: `multi-tenant`")
}

func TestCostCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--format", "xml"}, 2, `--format "xml"`},
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--preview-json", "a", "--state", "b"}, 2, "not both"},
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--state", "missing.json"}, 1, "missing.json"},
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--preview-json", "../../go.mod"}, 1, "not a `pulumi preview --json` document"},
		{[]string{"prices"}, 2, "usage: tenancy prices refresh"},
	} {
		code, out, errOut := runCLI(tc.args...)
		assert.Equal(t, tc.code, code, tc.args)
		assert.Contains(t, errOut, tc.want)
		assert.Empty(t, out)
	}
}

func TestPricesRefreshNeedsCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
	code, _, errOut := runCLI("prices", "refresh", "--region", "us-east-1", "--dir", "../..")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no AWS credentials")
	assert.Contains(t, errOut, "the catalog is unchanged")
}

func TestCostDiffCommand(t *testing.T) {
	dir := t.TempDir()
	base, head := dir+"/base.json", dir+"/head.json"
	for path, topology := range map[string]string{base: "hybrid", head: "multi-instance"} {
		code, out, errOut := runCLI("cost", "--stack", "dev", "--dir", "../..", "--topology", topology, "--format", "json")
		require.Equal(t, 0, code, errOut)
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
	}
	code, out, errOut := runCLI("cost", "diff", "--base", base, "--head", head, "--no-budgets", "--json-file", dir+"/diff.json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "**Monthly cost will increase by $265.21")
	b, err := os.ReadFile(dir + "/diff.json")
	require.NoError(t, err)
	assert.Contains(t, string(b), `"headline": "Monthly cost will increase by $265.21 (+23.9%)"`)

	code, _, errOut = runCLI("cost", "diff", "--base", base, "--head", head, "--fail-on-increase-usd", "100", "--no-budgets", "--format", "table")
	assert.Equal(t, 3, code, "a crossed guardrail exits 3")
	assert.Contains(t, errOut, "guardrail crossed: the monthly increase of $265.21 is over --fail-on-increase-usd $100.00 by $165.21")

	code, _, errOut = runCLI("cost", "diff", "--base", base)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give --base and --head files, or --against REF")
	code, _, errOut = runCLI("cost", "diff", "--base", base, "--head", head, "--fail-on-increase-percent", "-3")
	assert.Equal(t, 2, code, errOut)
}

// TestCostDiffAgainstAGitRef runs the one-step form against HEAD: the base is
// priced by HEAD's own code from a git worktree.
func TestCostDiffAgainstAGitRef(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed for --against: %v", err)
	}
	code, out, errOut := runCLI("cost", "diff", "--against", "HEAD", "--dir", "../..", "--format", "json", "--no-budgets")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "pricing prod at HEAD with its own code")
	var doc struct {
		Stacks []struct {
			Name string `json:"name"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	var names []string
	for _, s := range doc.Stacks {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"tenancy/dev", "tenancy/prod"}, names)

	code, _, errOut = runCLI("cost", "diff", "--against", "no-such-ref", "--dir", "../..")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no-such-ref")
}
