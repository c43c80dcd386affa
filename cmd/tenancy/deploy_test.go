package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
)

// ownStackRegistry is prod with ten tenants on stacks of their own.
func ownStackRegistry(n int) string {
	var b strings.Builder
	b.WriteString("tenants:\n  - {id: delta-telecom, name: Delta Telecom, tier: enterprise, placement: dedicated}\n")
	b.WriteString("  - {id: acme-shop, name: Acme Shop, tier: pro, placement: shared}\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - {id: own-%02d, name: Own %02d, tier: enterprise, placement: dedicated, ownStack: true}\n", i, i)
	}
	return b.String()
}

func ownStackProject(t *testing.T) string {
	dir := testproject.CopyRepo(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants", "prod.yaml"), []byte(ownStackRegistry(10)), 0o644))
	return dir
}

// TestDeployRefusesBadInputBeforeRunningAnything: each mistake is named with
// its fix, exits non-zero, and no stack is created.
func TestDeployRefusesBadInputBeforeRunningAnything(t *testing.T) {
	dir := ownStackProject(t)
	t.Setenv("PATH", t.TempDir()) // no Pulumi CLI anywhere
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"parallel 0", []string{"deploy", "up", "--stack", "prod", "--dir", dir, "--all-own-stacks", "--parallel", "0"}, exitUsage,
			"--parallel 0: run at least one stack at a time"},
		{"not an own stack", []string{"deploy", "up", "--stack", "prod", "--dir", dir, "--tenants", "delta-telecom"}, exitUsage,
			"tenants/prod.yaml: tenant delta-telecom has no stack of its own (set placement: dedicated and ownStack: true on it"},
		{"no such tenant", []string{"deploy", "preview", "--stack", "prod", "--dir", dir, "--tenants", "own-99"}, exitUsage,
			"tenants/prod.yaml: no tenant own-99 (own-stack tenants: own-01, own-02"},
		{"no tenants named", []string{"deploy", "up", "--stack", "prod", "--dir", dir}, exitUsage,
			"name the tenants (--tenants a,b) or take every own-stack tenant (--all-own-stacks)"},
		{"both", []string{"deploy", "up", "--stack", "prod", "--dir", dir, "--all-own-stacks", "--tenants", "own-01"}, exitUsage,
			"give --tenants or --all-own-stacks, not both"},
		{"no CLI", []string{"deploy", "up", "--stack", "prod", "--dir", dir, "--all-own-stacks"}, exitRuntime,
			"no Pulumi CLI on PATH"},
		{"stray argument", []string{"deploy", "up", "prod"}, exitUsage, `unexpected argument "prod"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			assert.Equal(t, tc.code, run(tc.args, &out, &errb), errb.String())
			assert.Contains(t, errb.String(), tc.want)
			matches, _ := filepath.Glob(filepath.Join(dir, "Pulumi.prod-*.yaml"))
			assert.Empty(t, matches, "no stack file is written")
		})
	}
}

// engineEnv points the CLI at the built tools and a file backend of the test's own.
func engineEnv(t *testing.T) (journal string) {
	t.Helper()
	bin := testproject.EngineTools(t)
	tmp := t.TempDir()
	journal = filepath.Join(tmp, "journal.jsonl")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("PULUMI_HOME", filepath.Join(tmp, "home"))
	t.Setenv("PULUMI_SKIP_UPDATE_CHECK", "true")
	t.Setenv("STANDIN_JOURNAL", journal)
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "backend"), 0o755))
	t.Setenv("PULUMI_BACKEND_URL", "file://"+filepath.Join(tmp, "backend"))
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "journey")
	return journal
}

// TestDeployUpdatesOwnStacksInParallel: ten own-stack tenants, four at a
// time, one made to fail by the stand-in: the nine others succeed, the
// table names the failure, and the exit code says not all succeeded.
func TestDeployUpdatesOwnStacksInParallel(t *testing.T) {
	dir := ownStackProject(t)
	engineEnv(t)
	t.Setenv("STANDIN_FAIL_TAG", "TenantId=own-07")
	var out, errb bytes.Buffer
	code := run([]string{"deploy", "up", "--stack", "prod", "--dir", dir, "--all-own-stacks", "--parallel", "4"}, &out, &errb)
	assert.Equal(t, exitRuntime, code, "one stack failed: %s", errb.String())
	table := out.String()[strings.LastIndex(out.String(), "tenant  "):]
	lines := strings.Split(strings.TrimSpace(table), "\n")
	require.Len(t, lines, 11, table)
	for i := 1; i <= 10; i++ {
		id := fmt.Sprintf("own-%02d", i)
		line := lines[i]
		assert.True(t, strings.HasPrefix(line, id+"  prod-"+id+"  "), line)
		if id == "own-07" {
			assert.Contains(t, line, "failed")
			assert.Contains(t, line, "STANDIN_FAIL_TAG=TenantId=own-07")
		} else {
			assert.Contains(t, line, "succeeded")
			assert.Regexp(t, `\+\d+ ~0 -0 =0`, line, "a first up creates the stack")
		}
	}
	assert.Contains(t, out.String(), "own-03: ", "a progress line per tenant")
	assert.FileExists(t, filepath.Join(dir, "Pulumi.prod-own-01.yaml"))
	stackFile, err := os.ReadFile(filepath.Join(dir, "Pulumi.prod-own-01.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(stackFile), "tenancy:tenant: own-01")
	assert.Contains(t, string(stackFile), "tenancy:accountBaselineStack: prod")

	// status lists the stacks and their last update.
	out.Reset()
	errb.Reset()
	require.Equal(t, exitOK, run([]string{"deploy", "status", "--stack", "prod", "--dir", dir}, &out, &errb), errb.String())
	assert.Regexp(t, `own-01\s+prod-own-01\s+update\s+succeeded`, out.String())
	assert.Regexp(t, `own-07\s+prod-own-07\s+update\s+failed`, out.String())
}

// TestDeployNeedsALoggedInBackendAndAPassphrase: with the CLI at hand, a
// backend that is not logged in, or a file backend without a passphrase,
// stops deploy before any stack is created.
func TestDeployNeedsALoggedInBackendAndAPassphrase(t *testing.T) {
	dir := ownStackProject(t)
	engineEnv(t)
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "")
	var out, errb bytes.Buffer
	assert.Equal(t, exitRuntime, run([]string{"deploy", "up", "--stack", "prod", "--dir", dir, "--all-own-stacks"}, &out, &errb))
	assert.Contains(t, errb.String(), "set PULUMI_CONFIG_PASSPHRASE")

	t.Setenv("PULUMI_BACKEND_URL", "")
	errb.Reset()
	assert.Equal(t, exitRuntime, run([]string{"deploy", "up", "--stack", "prod", "--dir", dir, "--all-own-stacks"}, &out, &errb))
	assert.Contains(t, errb.String(), "not logged in to a Pulumi backend: run `pulumi login`")
	matches, _ := filepath.Glob(filepath.Join(dir, "Pulumi.prod-*.yaml"))
	assert.Empty(t, matches, "nothing was run")
}
