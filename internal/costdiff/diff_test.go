package costdiff

import (
	"bytes"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/deploy"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// doc prices a stack of a project folder and returns its report as a diff reads it.
func doc(t *testing.T, dir, stack string, topology stacks.Topology) *Doc {
	t.Helper()
	e, err := costing.PriceStack(dir, stack, topology, offline.Evaluate)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, (&costing.Report{Project: "tenancy", Stack: stack, Region: e.Region, Before: e, After: e}).WriteJSON(&b, time.Unix(0, 0)))
	d, err := Read(&b)
	require.NoError(t, err)
	return d
}

func golden(t *testing.T, name, got string) { testproject.Golden(t, name, got, *update) }

var prodBase *Doc

func base(t *testing.T) *Doc {
	if prodBase == nil {
		prodBase = doc(t, testproject.Root(), "prod", "")
	}
	return prodBase
}

// delta is prod's dedicated delta-telecom, as the registry has it.
const delta = "    placement: dedicated\n    compliance: [hipaa, dedicated-required]"

// migrating puts delta-telecom at a step of its move to the shared tier.
func migrating(t *testing.T, dir, entry string) {
	testproject.VerifiedRecord(t, dir, "delta-telecom")
	testproject.Edit(t, dir, "tenants/prod.yaml", delta, "    placement: shared\n    compliance: [hipaa]"+entry)
}

type goldenCase struct {
	name     string
	base     func(t *testing.T, dir string) // nil: prod as it is
	edit     func(t *testing.T, dir string)
	stacks   []string // stacks priced besides prod
	rails    Guardrails
	unpriced []string // made unpriced in the head's report
	headline string
}

func TestDiffGolden(t *testing.T) {
	one := decimal.NewFromInt(1)
	for _, tc := range []goldenCase{
		{name: "no-change", edit: func(*testing.T, string) {}, headline: "Monthly cost will not change"},
		{name: "increase", edit: func(t *testing.T, dir string) {
			testproject.Edit(t, dir, "Pulumi.prod.yaml", "tenancy:asgDesired: 6", "tenancy:asgDesired: 8")
		}, headline: "Monthly cost will increase by $576.69"}, // 2 x m5.2xlarge ($560.64), their volumes, NAT traffic (half of it across AZs) and logs,
		{name: "bigger-class", edit: func(t *testing.T, dir string) {
			testproject.Edit(t, dir, "Pulumi.prod.yaml", "tenancy:dbInstanceClass: db.r6g.xlarge", "tenancy:dbInstanceClass: db.r6g.2xlarge")
		}, headline: "Monthly cost will increase by"},
		{name: "decrease", edit: func(t *testing.T, dir string) {
			// A smaller database class: the capacity model still finds 26
			// busy connections well within db.r6g.large's 1,802.
			testproject.Edit(t, dir, "Pulumi.prod.yaml", "tenancy:dbInstanceClass: db.r6g.xlarge", "tenancy:dbInstanceClass: db.r6g.large")
		}, headline: "Monthly cost will decrease by $425.94"},
		{name: "guardrail", edit: func(t *testing.T, dir string) {
			testproject.Edit(t, dir, "Pulumi.prod.yaml", "tenancy:asgDesired: 6", "tenancy:asgDesired: 8")
		}, rails: Guardrails{MaxIncreasePercent: &one, Budgets: true, Source: "cost-guardrails.yaml at the base"}, headline: "Monthly cost will increase by $576.69"},
		{name: "unpriced", edit: func(*testing.T, string) {}, unpriced: []string{"after: cache nodes (cache.r6g.large): no price for elasticache:redis:cache.r6g.large in us-east-1"},
			headline: "Monthly cost will not change"},
		{name: "tenant-added-dedicated", edit: func(t *testing.T, dir string) {
			testproject.Edit(t, dir, "tenants/prod.yaml", "tenants:\n", "tenants:\n  - id: nova-bank\n    name: Nova Bank\n    tier: enterprise\n    placement: dedicated\n    compliance: [pci, dedicated-required]\n")
		}, headline: "Monthly cost will increase by"},
		{name: "tenant-moved-to-shared", edit: func(t *testing.T, dir string) { migrating(t, dir, "") }, headline: "Monthly cost will decrease by"},
		{name: "migration-1-started", edit: func(t *testing.T, dir string) {
			migrating(t, dir, "\n    migration: {from: dedicated}")
		}, headline: "Monthly cost will increase by"},
		{name: "migration-2-verified", base: func(t *testing.T, dir string) {
			migrating(t, dir, "\n    migration: {from: dedicated}")
		}, edit: func(t *testing.T, dir string) {
			migrating(t, dir, "\n    migration: {from: dedicated, dataVerified: true, record: tenants/records/delta-telecom.migration.json}")
		}, headline: "Monthly cost will"},
		{name: "migration-3-finished", base: func(t *testing.T, dir string) {
			migrating(t, dir, "\n    migration: {from: dedicated, dataVerified: true, record: tenants/records/delta-telecom.migration.json}")
		}, edit: func(t *testing.T, dir string) { migrating(t, dir, "") }, headline: "Monthly cost will decrease by"},
		{name: "own-stack", edit: ownStack, stacks: []string{"prod-delta-telecom"}, headline: "Monthly cost will"},
		{name: "new-stack", edit: func(*testing.T, string) {}, stacks: []string{"dev"}, headline: "Monthly cost will increase by $1,277.27"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.diff(t)
			assert.True(t, strings.HasPrefix(res.Headline(), tc.headline), res.Headline())
			var md, text bytes.Buffer
			res.WriteMarkdown(&md, res.Check(tc.rails))
			golden(t, tc.name+".md", md.String())
			res.WriteTable(&text, res.Check(tc.rails))
			golden(t, tc.name+".txt", text.String())
			assert.Less(t, md.Len(), MaxCommentBytes)
		})
	}
}

func (tc goldenCase) diff(t *testing.T) *Result {
	b := base(t)
	if tc.base != nil {
		dir := testproject.CopyRepo(t)
		tc.base(t, dir)
		b = doc(t, dir, "prod", "")
	}
	dir := testproject.CopyRepo(t)
	tc.edit(t, dir)
	head := []*Doc{doc(t, dir, "prod", "")}
	for _, s := range tc.stacks {
		head = append(head, doc(t, dir, s, ""))
	}
	if tc.unpriced != nil {
		for i, r := range head[0].Projects[0].Breakdown.Resources {
			if r.Name == StackResourceName {
				list := []any{}
				for _, u := range tc.unpriced {
					list = append(list, u)
				}
				head[0].Projects[0].Breakdown.Resources[i].Metadata["unpriced"] = list
			}
		}
	}
	b.Metadata.Commit, head[0].Metadata.Commit = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	res, err := Diff([]*Doc{b}, head)
	require.NoError(t, err)
	return res
}

// ownStack gives delta-telecom a stack of its own beside prod.
func ownStack(t *testing.T, dir string) {
	testproject.Edit(t, dir, "tenants/prod.yaml", delta, delta+"\n    ownStack: true")
	cfg, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	require.NoError(t, deploy.WriteStackFile(cfg, "delta-telecom", deploy.StackName("prod", "delta-telecom")))
}

// TestTwoThousandTenantsFitOneComment: a comment GitHub would refuse is cut
// to fit, and says what it cut and where the rest is.
func TestTwoThousandTenantsFitOneComment(t *testing.T) {
	if testing.Short() {
		t.Skip("prices a stack of 2,200 tenants: not in -short")
	}
	dir := testproject.CopyRepo(t)
	var b strings.Builder
	b.WriteString("tenants:\n")
	for i := range 2000 {
		tier := [...]string{"free", "free", "pro"}[i%3]
		fmt.Fprintf(&b, "  - {id: added-%04d, name: Added %d, tier: %s, placement: shared}\n", i, i, tier)
	}
	testproject.Edit(t, dir, "tenants/prod.yaml", "tenants:\n", b.String())
	// 2,190 tenants' rate limits need more WAF capacity than a web ACL has.
	testproject.Edit(t, dir, "Pulumi.prod.yaml", "  tenancy:asgDesired: 6\n", "  tenancy:asgDesired: 6\n  tenancy:edgeRateLimits: false\n")
	res, err := Diff([]*Doc{base(t)}, []*Doc{doc(t, dir, "prod", "")})
	require.NoError(t, err)
	require.Len(t, res.Stacks[0].Tenants, 2000)
	full := res.markdown(nil, limits{unlimited, unlimited, unlimited})
	require.Greater(t, len(full), 65536, "the uncut comment is over GitHub's limit, or this test proves nothing")
	var md bytes.Buffer
	res.WriteMarkdown(&md, nil)
	assert.LessOrEqual(t, md.Len(), MaxCommentBytes)
	has := func(s string) { assert.True(t, strings.Contains(md.String(), s), "the comment says %q", s) }
	has("This comment is cut to stay under GitHub's 65,536-character limit: 1,500 tenant rows not shown. Every row is in `cost-diff.json`")
	has("- 2,000 tenants added: +$") // the count by kind stays
	has("<details><summary>Every tenant change (2,000)</summary>")
	assert.Equal(t, 500, strings.Count(md.String(), "| tenancy/prod | `added-"), "500 tenant rows kept")
	golden(t, "two-thousand-tenants.md", md.String())
}

// TestAddingADedicatedTenantNamesItAndItsCost: the done-when of the issue.
func TestAddingADedicatedTenantNamesItAndItsCost(t *testing.T) {
	dir := testproject.CopyRepo(t)
	testproject.Edit(t, dir, "tenants/prod.yaml", "tenants:\n", "tenants:\n  - id: nova-bank\n    name: Nova Bank\n    tier: enterprise\n    placement: dedicated\n")
	res, err := Diff([]*Doc{base(t)}, []*Doc{doc(t, dir, "prod", "")})
	require.NoError(t, err)
	require.Len(t, res.Stacks, 1)
	require.Len(t, res.Stacks[0].Tenants, 1)
	nova := res.Stacks[0].Tenants[0]
	assert.Equal(t, "nova-bank", nova.ID)
	assert.Equal(t, "added", nova.Kind)
	// It costs $484.49 a month: its own stack $475.34, of which its cache
	// nodes on cache.t3.medium, the size its 1 GB working set needs,
	// 2 x 730 h x $0.068 = $99.28 (its web ACL $22.00:
	// $5 + 5 rules + 20M requests x $0.60; its blocked-request log $0.15;
	// its database's AWS Backup snapshots $29.45; no secret for its cache,
	// whose logins are IAM's) and $9.15, its share by requests of the account
	// baseline, which every tenant's traffic uses.
	// The stack as a whole grows by $486.88: GuardDuty analyses one more
	// VPC's flows (5 GB + 6 million connections x 6 records x 130 bytes =
	// 9.68 GB, $9.68) and watches its database's 2 vCPUs ($2.00), AWS
	// Config records its resources, and the account's egress moves down the
	// tiers.
	assert.Equal(t, "484.49", nova.New.StringFixed(2))
	assert.Equal(t, "486.88", res.Change().StringFixed(2))
	var guardDuty decimal.Decimal
	for _, tc := range res.Stacks[0].Types {
		if tc.Type == "aws:guardduty/detector:Detector" {
			guardDuty = tc.Change()
		}
	}
	assert.Equal(t, "9.68", guardDuty.StringFixed(2))
}

func TestMultiInstanceDiffStatesTheIncrease(t *testing.T) {
	res, err := Diff([]*Doc{base(t)}, []*Doc{doc(t, testproject.Root(), "prod", stacks.MultiInstance)})
	require.NoError(t, err)
	assert.Equal(t, "Monthly cost will increase by $33,287.86 (+132.8%)", res.Headline())
}

func TestGuardrails(t *testing.T) {
	res := &Result{Stacks: []StackDiff{{Name: "tenancy/prod", Baseline: decimal.NewFromInt(1000), New: decimal.NewFromInt(1150), BudgetUSD: 1100}}}
	usd, pctLimit := decimal.NewFromInt(100), decimal.NewFromInt(10)
	v := res.Check(Guardrails{MaxIncreaseUSD: &usd, MaxIncreasePercent: &pctLimit, Budgets: true, Source: "cost-guardrails.yaml at the base"})
	require.Len(t, v, 3)
	assert.Equal(t, "the monthly increase of $150.00 is over the limit of $100.00 (cost-guardrails.yaml at the base) by $50.00", string(v[0]))
	assert.Equal(t, "the monthly increase of 15.0% is over the limit of 10% (cost-guardrails.yaml at the base) by 5.0 points", string(v[1]))
	assert.Equal(t, "tenancy/prod would cost $1,150.00 a month, over its budget of $1,100.00 (tenancy:monthlyBudgetUsd at the base) by $50.00", string(v[2]))
	assert.Empty(t, res.Check(Guardrails{}), "no guardrail asked, none crossed")
	big := decimal.NewFromInt(200)
	assert.Empty(t, res.Check(Guardrails{MaxIncreaseUSD: &big}))
	newStack := &Result{Stacks: []StackDiff{{Name: "tenancy/eu", Added: true, New: decimal.NewFromInt(10)}}}
	assert.Len(t, newStack.Check(Guardrails{MaxIncreasePercent: &pctLimit}), 1, "a new stack has no baseline: any increase is over a percent limit")
}

func TestReadRejectsOtherDocuments(t *testing.T) {
	_, err := Read(strings.NewReader(`{"steps": []}`))
	assert.ErrorContains(t, err, "no projects")
	_, err = Diff([]*Doc{{Projects: []Project{{Name: "a"}, {Name: "a"}}}}, nil)
	assert.ErrorContains(t, err, "stack a is given twice")
}

// The JSON's lists are [] when empty, never null.
func TestDiffJSONHasNoNullLists(t *testing.T) {
	res, err := Diff([]*Doc{base(t)}, []*Doc{base(t)})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, res.WriteJSON(&b, nil))
	assert.NotContains(t, b.String(), "null", b.String())
	assert.Contains(t, b.String(), `"tenants": []`)
}

func TestParseGuardrails(t *testing.T) {
	g, err := ParseGuardrails("cost-guardrails.yaml", []byte("failOnIncreasePercent: 20\nfailOnIncreaseUsd: 0\n"), "src")
	require.NoError(t, err)
	require.NotNil(t, g.MaxIncreasePercent)
	assert.Equal(t, "20", g.MaxIncreasePercent.String())
	assert.Nil(t, g.MaxIncreaseUSD, "0 is no limit")
	assert.True(t, g.Budgets, "budgets hold unless the file says otherwise")
	assert.Equal(t, "src", g.Source)
	g, err = ParseGuardrails("f", []byte("budgets: false\n"), "")
	require.NoError(t, err)
	assert.False(t, g.Budgets)
	_, err = ParseGuardrails("cost-guardrails.yaml", []byte("failOnIncreasePercnt: 20\n"), "")
	assert.ErrorContains(t, err, "cost-guardrails.yaml: ")
	assert.ErrorContains(t, err, "failOnIncreasePercnt")
	assert.ErrorContains(t, err, "fix: the fields are failOnIncreasePercent, failOnIncreaseUsd and budgets")
	_, err = ParseGuardrails("cost-guardrails.yaml", []byte("failOnIncreaseUsd: -5\n"), "")
	assert.EqualError(t, err, "cost-guardrails.yaml: failOnIncreaseUsd is -5 (fix: a limit is positive; 0 or no field means none)")
	g, err = ParseGuardrails("empty", nil, "")
	require.NoError(t, err)
	assert.True(t, g.Budgets)
}
