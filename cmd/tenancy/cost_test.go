package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/internal/testproject"

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
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--format", "xml"}, 2, `invalid argument "xml" for "--format" flag: "xml": use table, markdown, json`},
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--preview-json", "a", "--state", "b"}, 2, "not both"},
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--state", "missing.json"}, 5, "missing.json"},
		{[]string{"cost", "--stack", "dev", "--dir", "../..", "--preview-json", "../../go.mod"}, 5, "not a `pulumi preview --json` document"},
		{[]string{"prices"}, 2, "tenancy prices needs a subcommand: refresh"},
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
	assert.Equal(t, 5, code, "a runtime failure, not a config error")
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
	// $1,760.90 - $1,277.27 as the table shows them: every figure is made of shown cents.
	assert.Contains(t, out, "**Monthly cost will increase by $483.63")
	b, err := os.ReadFile(dir + "/diff.json")
	require.NoError(t, err)
	assert.Contains(t, string(b), `"headline": "Monthly cost will increase by $483.63 (+37.9%)"`)

	code, _, errOut = runCLI("cost", "diff", "--base", base, "--head", head, "--fail-on-increase-usd", "100", "--no-budgets", "--format", "table")
	assert.Equal(t, 3, code, "a crossed guardrail exits 3")
	assert.Contains(t, errOut, "guardrail crossed: the monthly increase of $483.63 is over the limit of $100.00 (the command line) by $383.63")

	code, _, errOut = runCLI("cost", "diff", "--base", base)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give --base and --head files, or --against REF")
	code, _, errOut = runCLI("cost", "diff", "--base", base, "--head", head, "--fail-on-increase-percent", "-3")
	assert.Equal(t, 2, code, errOut)
}

// worktree checks HEAD of this repository out in a temporary folder, a
// working tree a test may break.
func worktree(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed for --against: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "tree")
	out, err := exec.Command("git", "-C", "../..", "worktree", "add", "--detach", dir, "HEAD").CombinedOutput()
	require.NoError(t, err, string(out))
	t.Cleanup(func() { _ = exec.Command("git", "-C", "../..", "worktree", "remove", "--force", dir).Run() })
	return dir
}

// headBase prices HEAD once for the tests of --against, into a cache they
// share: the first diff against HEAD, which builds HEAD's CLI, and what it
// printed. Built once, not per test: a build of the CLI is the slow part.
var headBase = sync.OnceValues(func() (string, [3]string) {
	cache, err := os.MkdirTemp("", "tenancy-test-base-")
	if err != nil {
		panic(err)
	}
	code, out, errOut := runCLI("cost", "diff", "--against", "HEAD", "--dir", "../..", "--format", "json", "--no-budgets", "--cache-dir", cache)
	return cache, [3]string{fmt.Sprint(code), out, errOut}
})

// TestCostDiffAgainstAGitRef runs the one-step form against HEAD: the base is
// priced by HEAD's own code from a git worktree, once, then read from the
// cache; the comment names both commits.
func TestCostDiffAgainstAGitRef(t *testing.T) {
	dir := worktree(t)
	head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	require.NoError(t, err)
	sha := strings.TrimSpace(string(head))
	cache, first := headBase()
	code, out, errOut := first[0], first[1], first[2]
	require.Equal(t, "0", code, errOut)
	assert.Contains(t, errOut, "building the CLI at "+sha[:7]+" to price the base with its own code")
	assert.Contains(t, errOut, "pricing prod at "+sha[:7])
	var doc struct {
		BaseCommit, HeadCommit string
		Stacks                 []struct {
			Name string `json:"name"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	var names []string
	for _, s := range doc.Stacks {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"tenancy/dev", "tenancy/prod"}, names)
	assert.Equal(t, sha, doc.BaseCommit)
	assert.Equal(t, sha, doc.HeadCommit)

	// Again, from a worktree: nothing is built, the base comes from the
	// cache, and the one-line comment names both commits.
	n, out, errOut := runCLI("cost", "diff", "--against", "HEAD", "--dir", dir, "--no-budgets", "--cache-dir", cache)
	require.Equal(t, 0, n, errOut)
	assert.Contains(t, errOut, "base "+sha[:7]+" read from the cache")
	assert.NotContains(t, errOut, "building the CLI")
	assert.Equal(t, "<!-- tenancy-cost-diff -->**tenancy cost diff:** monthly cost will not change (2 stacks, $26,340.63 a month; base `"+
		sha[:7]+"`, head `"+sha[:7]+"`).\n", out)

	n, _, errOut = runCLI("cost", "diff", "--against", "no-such-ref", "--dir", dir)
	assert.Equal(t, 5, n, "a bad git ref is a runtime failure")
	assert.Contains(t, errOut, "--against no-such-ref: not a commit here")
}

// TestCostDiffFailsOnABrokenHeadBeforePricingTheBase: a typo in the head is
// named at once (exit 1), before any base is built.
func TestCostDiffFailsOnABrokenHeadBeforePricingTheBase(t *testing.T) {
	dir := worktree(t)
	testproject.Edit(t, dir, "Pulumi.prod.yaml", "tenancy:asgDesired: 6", "tenancy:asgDesierd: 6")
	code, out, errOut := runCLI("cost", "diff", "--against", "HEAD", "--dir", dir, "--cache-dir", t.TempDir())
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, errOut, "stack prod: ")
	assert.Contains(t, errOut, "tenancy:asgDesierd")
	assert.NotContains(t, errOut, "building the CLI")
	assert.Empty(t, out)
}

// TestCostDiffReadsTheGuardrailsAtTheBase: the limits are the base's
// cost-guardrails.yaml, so a pull request that loosens the file is still
// held to the old limit; a flag overrides it.
func TestCostDiffReadsTheGuardrailsAtTheBase(t *testing.T) {
	dir := worktree(t)
	cache, _ := headBase()
	// The base (HEAD) allows $2,000 more a month; the head runs 8 app
	// servers of twice the size instead of 6 (+$2,802.56 in instance hours
	// alone) and lifts its own limits.
	testproject.Edit(t, dir, "Pulumi.prod.yaml", "tenancy:asgDesired: 6", "tenancy:asgDesired: 8")
	testproject.Edit(t, dir, "Pulumi.prod.yaml", "tenancy:appInstanceType: m5.2xlarge", "tenancy:appInstanceType: m5.4xlarge")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cost-guardrails.yaml"), []byte("failOnIncreasePercent: 50\nfailOnIncreaseUsd: 100000\n"), 0o644))
	rails, err := os.ReadFile("../../cost-guardrails.yaml")
	require.NoError(t, err)
	require.Contains(t, string(rails), "failOnIncreaseUsd: 2000 ", "the committed limit this test relies on")
	code, out, errOut := runCLI("cost", "diff", "--against", "HEAD", "--dir", dir, "--cache-dir", cache, "--no-budgets")
	assert.Equal(t, 3, code, errOut)
	assert.Contains(t, errOut, "guardrail crossed: the monthly increase of $")
	assert.Contains(t, errOut, "is over the limit of $2,000.00 (cost-guardrails.yaml at the base, ")
	assert.Contains(t, out, "> [!CAUTION]")
	code, _, errOut = runCLI("cost", "diff", "--against", "HEAD", "--dir", dir, "--cache-dir", cache, "--no-budgets", "--fail-on-increase-usd", "100000")
	assert.Equal(t, 0, code, errOut)
}

// TestUnpricedExitsFourAndIsNamedFirst: a plan read from a file can hold a
// class the catalog does not price (validation never saw it). cost and cost
// diff name it before any total and exit 4; --allow-unpriced accepts it.
func TestUnpricedExitsFourAndIsNamedFirst(t *testing.T) {
	dir := t.TempDir()
	code, plan, errOut := runCLI("preview", "--stack", "dev", "--dir", "../..", "--json")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, plan, `"instanceClass": "db.t4g.medium"`)
	unpriced := strings.Replace(plan, `"instanceClass": "db.t4g.medium"`, `"instanceClass": "db.r6g.16xlarge"`, 1)
	planFile := filepath.Join(dir, "plan.json")
	require.NoError(t, os.WriteFile(planFile, []byte(unpriced), 0o644))

	code, out, errOut := runCLI("cost", "--stack", "dev", "--dir", "../..", "--preview-json", planFile)
	assert.Equal(t, 4, code)
	assert.Contains(t, errOut, "1 components have no price (first: after: ")
	assert.Contains(t, out, "After is priced from the `pulumi preview --json` file "+planFile+", not from the program.")
	assert.Less(t, strings.Index(out, "UNPRICED: 1 components"), strings.Index(out, "line item"))
	assert.Contains(t, out, "no price for aurora:postgres:db.r6g.16xlarge in us-east-1")

	code, out, errOut = runCLI("cost", "--stack", "dev", "--dir", "../..", "--preview-json", planFile, "--allow-unpriced", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "accepted with --allow-unpriced")
	head := filepath.Join(dir, "head.json")
	require.NoError(t, os.WriteFile(head, []byte(out), 0o644))
	code, out, errOut = runCLI("cost", "--stack", "dev", "--dir", "../..", "--format", "json")
	require.Equal(t, 0, code, errOut)
	base := filepath.Join(dir, "base.json")
	require.NoError(t, os.WriteFile(base, []byte(out), 0o644))

	code, out, errOut = runCLI("cost", "diff", "--base", base, "--head", head)
	assert.Equal(t, 4, code, errOut)
	first := strings.SplitN(out, "\n", 8)
	assert.Contains(t, strings.Join(first, "\n"), "**1 component has no price**", "named in the comment's first lines")
	assert.Contains(t, strings.Join(first, "\n"), "tenancy/dev (head): urn:pulumi:dev::tenancy::tenancy:index:SharedTier$aws:rds/clusterInstance:ClusterInstance::shared-db-0: database instance (db.r6g.16xlarge): no price for aurora:postgres:db.r6g.16xlarge in us-east-1")
	assert.Contains(t, errOut, "Pass --allow-unpriced")

	code, _, errOut = runCLI("cost", "diff", "--base", base, "--head", head, "--allow-unpriced", "--no-budgets")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "accepted with --allow-unpriced")
}

// TestABiggerAuroraClassIsPricedNotZero is the audit's case: db.r6g.4xlarge
// used to pass validation with no price and show a decrease.
func TestABiggerAuroraClassIsPricedNotZero(t *testing.T) {
	dir := t.TempDir()
	project := testproject.CopyRepo(t)
	code, out, errOut := runCLI("cost", "--stack", "prod", "--dir", project, "--format", "json")
	require.Equal(t, 0, code, errOut)
	base := filepath.Join(dir, "base.json")
	require.NoError(t, os.WriteFile(base, []byte(out), 0o644))
	testproject.Edit(t, project, "Pulumi.prod.yaml", "tenancy:dbInstanceClass: db.r6g.xlarge", "tenancy:dbInstanceClass: db.r6g.4xlarge")
	code, out, errOut = runCLI("cost", "--stack", "prod", "--dir", project, "--format", "json")
	require.Equal(t, 0, code, errOut)
	head := filepath.Join(dir, "head.json")
	require.NoError(t, os.WriteFile(head, []byte(out), 0o644))
	code, out, errOut = runCLI("cost", "diff", "--base", base, "--head", head, "--format", "json", "--no-budgets")
	require.Equal(t, 0, code, errOut)
	var res struct {
		Change   string   `json:"change"`
		Unpriced []string `json:"unpriced"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Empty(t, res.Unpriced)
	// Two instances, $0.519 -> $2.076 an hour: +$2,273.22; RDS Proxy bills
	// 12 more vCPUs on each (4 -> 16) at $0.015 an hour: +$262.80; GuardDuty
	// RDS Protection bills the same 24 vCPUs at $1.00 a month: +$24.00.
	assert.Equal(t, "2560.02", decimal.RequireFromString(res.Change).StringFixed(2))
}

// TestCostExplain: a resource's cost traced to quantity × unit price, the
// workload it follows and the price's source; a wrong name says what exists.
func TestCostExplain(t *testing.T) {
	code, out, errOut := runCLI("cost", "explain", "--stack", "prod", "--dir", "../..", "aws:autoscaling/group:Group::shared-app")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "urn:pulumi:prod::tenancy::tenancy:index:SharedTier$aws:autoscaling/group:Group::shared-app")
	assert.Contains(t, out, "4,380 hours × $0.384 = $1,681.92 a month") // 6 instances x 730 h
	assert.Contains(t, out, "price: ec2:instance:m5.2xlarge, us-east-1: shared/reference/aws-prices-us-east-1.md")
	assert.Contains(t, out, "inter-AZ transfer: app servers to the database writer [data transfer]")
	assert.Contains(t, out, "total: $2,437.39 a month")
	assert.NotContains(t, out, "LaunchTemplate", "the type narrows the name to one resource")

	code, out, errOut = runCLI("cost", "explain", "--stack", "prod", "--dir", "../..", "--before", "--format", "json", "oak-realty-db")
	require.Equal(t, 0, code, errOut)
	var xs []struct {
		Type       string `json:"type"`
		Estimate   string `json:"estimate"`
		Monthly    string `json:"monthlyCost"`
		Components []struct {
			Quantity  string  `json:"quantity"`
			UnitPrice *string `json:"unitPriceUsd"`
			Monthly   string  `json:"monthlyCost"`
			Source    string  `json:"source"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &xs))
	require.NotEmpty(t, xs)
	assert.Equal(t, "aws:rds/instance:Instance", xs[0].Type, "priced resources come first")
	assert.Equal(t, "before", xs[0].Estimate)
	sum := decimal.Zero
	for _, c := range xs[0].Components {
		require.NotNil(t, c.UnitPrice)
		assert.NotEmpty(t, c.Source)
		want := decimal.RequireFromString(c.Quantity).Mul(decimal.RequireFromString(*c.UnitPrice))
		assert.True(t, want.Equal(decimal.RequireFromString(c.Monthly)), "%s x %s != %s", c.Quantity, *c.UnitPrice, c.Monthly)
		sum = sum.Add(want)
	}
	assert.True(t, sum.Equal(decimal.RequireFromString(xs[0].Monthly)))

	code, _, errOut = runCLI("cost", "explain", "--stack", "prod", "--dir", "../..", "shared-ap")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no cloud resource of prod (after) is named "shared-ap"; did you mean`)
	assert.Contains(t, errOut, "shared-app")
	code, _, errOut = runCLI("cost", "explain", "--stack", "prod", "--dir", "../..")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "name a resource")
}
