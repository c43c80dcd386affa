package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestEveryRuleHasPassingAndFailingExamples runs each rule's table.
func TestEveryRuleHasPassingAndFailingExamples(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			require.False(t, seen[r.ID], "rule id %s is used twice", r.ID)
			seen[r.ID] = true
			assert.NotEmpty(t, r.Control)
			assert.NotEmpty(t, r.Fix)
			var pass, fail int
			for _, ex := range r.Examples {
				typ := ex.Type
				if typ == "" {
					typ = r.Types[0]
				}
				ok, why := r.Check(graph.Node{Type: typ, Custom: true, Inputs: ex.Inputs})
				assert.Equal(t, ex.Pass, ok, "%s: %s", ex.Name, why)
				if ex.Pass {
					pass++
				} else {
					fail++
					assert.NotEmpty(t, why, "%s: a failure says why", ex.Name)
				}
			}
			assert.Positive(t, pass, "a passing case")
			assert.Positive(t, fail, "a failing case")
		})
	}
}

// TestEveryControlIsCovered holds the rules to shared/reference/security-controls.md.
func TestEveryControlIsCovered(t *testing.T) {
	want := []string{"RDS.27", "RDS.3", "RDS.7", "RDS.8", "RDS.11", "RDS.15", "RDS.5", "RDS.12", "RDS.10", "RDS.2", "RDS.35", "RDS.13",
		"RDS.6", "RDS.9", "RDS.37", "RDS.16", "ElastiCache.4", "ElastiCache.5", "ElastiCache.6", "ElastiCache.1", "ElastiCache.3",
		"ElastiCache.2", "ElastiCache.7", "EC2.170", "AutoScaling.3", "EC2.8", "AutoScaling.4", "EC2.25", "AutoScaling.5", "EC2.181",
		"EC2.3", "EC2.7", "AutoScaling.1", "AutoScaling.2", "AutoScaling.9", "ELB.1", "ELB.17", "ELB.18", "ELB.4", "ELB.6", "ELB.5",
		"ELB.12", "ELB.13", "KMS.4", "KMS.3", "CloudWatch.16", "EC2.6", "EC2.2", "EC2.15", "data safety", "network", "Config.1", "GuardDuty.1"}
	var controls []string
	for _, r := range All() {
		controls = append(controls, strings.Split(r.Control, "/")...)
	}
	for _, r := range AllStack() {
		controls = append(controls, strings.Split(r.Control, "/")...)
	}
	joined := " " + strings.Join(controls, " ") + " "
	for _, c := range want {
		assert.Contains(t, joined, " "+c, "no rule enforces %s", c)
	}
}

func evaluate(t *testing.T, stack string, topology stacks.Topology) (*Report, *graph.Graph) {
	t.Helper()
	cfg, err := stacks.Load("../..", stack, stacks.LoadOptions{Topology: topology})
	require.NoError(t, err)
	p, err := offline.Run(cfg)
	require.NoError(t, err)
	g := p.Graph()
	return Evaluate(&Stack{Graph: g, Environment: string(cfg.Environment)}), g
}

// TestRepoStacksPass: dev and prod in every topology, no mandatory finding;
// dev's advisory findings are the accepted ones (no deletion protection).
func TestRepoStacksPass(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		for _, topo := range stacks.Topologies {
			t.Run(stack+"/"+string(topo), func(t *testing.T) {
				rep, _ := evaluate(t, stack, topo)
				for _, f := range rep.Findings {
					assert.NotEqual(t, Mandatory, f.Severity, "%s %s: %s", f.RuleID, f.URN, f.Message)
					if f.Severity == Advisory {
						assert.NotEmpty(t, f.Accepted)
						assert.Contains(t, []string{"rds-deletion-protection", "alb-deletion-protection", "monthly-budget", "account-baseline"}, f.RuleID)
						if f.RuleID == "account-baseline" {
							assert.Equal(t, "the account's baseline is stack prod's (tenancy:accountBaselineStack)", f.Accepted)
						}
					}
				}
				if stack == "prod" {
					assert.Empty(t, rep.Findings)
				}
				assert.Greater(t, rep.Checked, 100)
			})
		}
	}
}

// mutate returns a copy of g with one node's inputs changed.
func mutate(g *graph.Graph, keep func(graph.Node) bool, change func(map[string]any)) *graph.Graph {
	nodes := make([]graph.Node, len(g.Nodes))
	for i, n := range g.Nodes {
		nodes[i] = n
		if keep(n) {
			in := map[string]any{}
			for k, v := range n.Inputs {
				in[k] = v
			}
			change(in)
			nodes[i].Inputs = in
			keep = func(graph.Node) bool { return false }
		}
	}
	return graph.New(nodes)
}

func ruleIDs(rep *Report) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Severity == Mandatory {
			out = append(out, f.RuleID)
		}
	}
	return out
}

func TestStackRulesCatchWhatTheyGuard(t *testing.T) {
	_, g := evaluate(t, "prod", stacks.Hybrid)
	env := "prod"
	for _, tc := range []struct {
		name   string
		graph  *graph.Graph
		ruleID string
	}{
		{"database open to the internet", mutate(g, func(n graph.Node) bool {
			return n.Type == "aws:ec2/securityGroupRule:SecurityGroupRule" && strings.HasSuffix(n.Name, "-app-to-db-in")
		}, func(in map[string]any) { delete(in, "sourceSecurityGroupId"); in["cidrBlocks"] = []any{"0.0.0.0/0"} }), "data-reachable-only-from-app-tier"},
		{"cache open to the load balancer", mutate(g, func(n graph.Node) bool {
			return n.Type == "aws:ec2/securityGroupRule:SecurityGroupRule" && strings.HasSuffix(n.Name, "-app-to-cache-in")
		}, func(in map[string]any) { in["sourceSecurityGroupId"] = "shared-alb-id" }), "data-reachable-only-from-app-tier"},
		{"dedicated resource untagged", mutate(g, func(n graph.Node) bool { return n.Type == "aws:rds/instance:Instance" },
			func(in map[string]any) { in["tags"] = map[string]any{"Project": "tenancy"} }), "dedicated-resources-tagged"},
		{"flow log of rejects only", mutate(g, func(n graph.Node) bool { return n.Type == "aws:ec2/flowLog:FlowLog" },
			func(in map[string]any) { in["trafficType"] = "REJECT" }), "vpc-flow-logs-and-closed-default-sg"},
		{"database group with an inline ingress rule", mutate(g, func(n graph.Node) bool {
			return n.Type == "aws:ec2/securityGroup:SecurityGroup" && n.Name == "shared-db"
		}, func(in map[string]any) {
			in["ingress"] = []any{map[string]any{"fromPort": 5432.0, "cidrBlocks": []any{"10.0.0.0/8"}}}
		}), "data-reachable-only-from-app-tier"},
		{"aurora in one AZ", mutate(g, func(n graph.Node) bool { return n.Type == "aws:rds/clusterInstance:ClusterInstance" },
			func(in map[string]any) { in["availabilityZone"] = "us-east-1b" }), "aurora-multi-az"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := Evaluate(&Stack{Graph: tc.graph, Environment: env})
			assert.Contains(t, ruleIDs(rep), tc.ruleID)
		})
	}

	unprotected := make([]graph.Node, len(g.Nodes))
	copy(unprotected, g.Nodes)
	for i := range unprotected {
		if unprotected[i].Type == "aws:rds/cluster:Cluster" {
			unprotected[i].Protect = false
		}
	}
	assert.Contains(t, ruleIDs(Evaluate(&Stack{Graph: graph.New(unprotected), Environment: env})), "stateful-protected-in-prod")
	assert.NotContains(t, ruleIDs(Evaluate(&Stack{Graph: graph.New(unprotected), Environment: "dev"})), "stateful-protected-in-prod")

	deleting := graph.New(append([]graph.Node(nil), g.Nodes...))
	deleting.Deleted = []graph.Node{{URN: "urn:x", Type: "aws:rds/instance:Instance", Custom: true}}
	assert.Contains(t, ruleIDs(Evaluate(&Stack{Graph: deleting, Environment: env})), "no-stateful-deletion")

	over := Evaluate(&Stack{Graph: g, Environment: env, MonthlyCostUSD: 25000, BudgetUSD: 22000, CostKnown: true})
	require.Contains(t, ruleIDs(over), "monthly-budget")
	assert.Contains(t, over.Findings[0].Message+over.Findings[len(over.Findings)-1].Message, "over the budget of $22000.00 by $3000.00")
	under := Evaluate(&Stack{Graph: g, Environment: env, MonthlyCostUSD: 22000, BudgetUSD: 22000, CostKnown: true})
	assert.NotContains(t, ruleIDs(under), "monthly-budget", "at the budget is within it")
	// A total with unpriced components is not under budget: it is unknown
	// (an eu-west-1 stack priced at $0.00 used to pass).
	gaps := Evaluate(&Stack{Graph: g, Environment: env, MonthlyCostUSD: 0, BudgetUSD: 1500, CostKnown: true,
		Unpriced: []string{"urn:x: instance: no price for ec2:instance:m5.large in eu-west-1"}})
	require.Contains(t, ruleIDs(gaps), "monthly-budget")
	assert.Contains(t, gaps.Findings[len(gaps.Findings)-1].Message, "leaves out 1 components with no price (first: urn:x: instance: no price for ec2:instance:m5.large in eu-west-1)")
	unknown := Evaluate(&Stack{Graph: g, Environment: env, BudgetUSD: 1500})
	require.Contains(t, ruleIDs(unknown), "monthly-budget", "a stack that could not be priced is not under budget")
	noBudget := Evaluate(&Stack{Graph: g, Environment: env, Unpriced: []string{"x"}, CostKnown: true})
	assert.NotContains(t, ruleIDs(noBudget), "monthly-budget", "no budget, nothing to hold it to")
	whatIf := Evaluate(&Stack{Graph: g, Environment: env, MonthlyCostUSD: 25000, BudgetUSD: 22000, CostKnown: true, WhatIf: "multi-instance"})
	assert.NotContains(t, ruleIDs(whatIf), "monthly-budget", "a what-if topology is not what the budget is for")
	require.Len(t, whatIf.Findings, 1)
	assert.Contains(t, whatIf.Findings[0].Accepted, "what-if evaluation as multi-instance")
}

// TestSecurityServicesComplete: prod passes; the plan without its Config
// recorder, or with a GuardDuty plan left undeclared, fails.
func TestSecurityServicesComplete(t *testing.T) {
	rep, g := evaluate(t, "prod", "")
	assert.NotContains(t, ruleIDs(rep), "security-services-complete")
	assert.NotZero(t, rep.Resources["config-records-everything"]+rep.Resources["guardduty-enabled"], "the rules saw prod's recorder and detector")
	drop := func(match func(n graph.Node) bool) *graph.Graph {
		var kept []graph.Node
		for _, n := range g.Nodes {
			if !match(n) {
				kept = append(kept, n)
			}
		}
		return graph.New(kept)
	}
	noRecorder := Evaluate(&Stack{Graph: drop(func(n graph.Node) bool { return n.Type == configRecorder }), Environment: "prod"})
	require.Contains(t, ruleIDs(noRecorder), "security-services-complete")
	noFeature := Evaluate(&Stack{Graph: drop(func(n graph.Node) bool { return n.Type == guardDutyFeature && n.Str("name") == "S3_DATA_EVENTS" }), Environment: "prod"})
	require.Contains(t, ruleIDs(noFeature), "security-services-complete")
	var why []string
	for _, f := range noFeature.Findings {
		why = append(why, f.Message)
	}
	assert.Contains(t, strings.Join(why, "\n"), "GuardDuty feature S3_DATA_EVENTS is not declared")
	noDetector := Evaluate(&Stack{Graph: drop(func(n graph.Node) bool { return n.Type == guardDutyDetector }), Environment: "prod"})
	var complete []string
	for _, f := range noDetector.Findings {
		if f.RuleID == "security-services-complete" {
			complete = append(complete, f.Message)
		}
	}
	assert.Equal(t, []string{"no " + guardDutyDetector + " beside Security Hub"}, complete, "no detector: nothing to declare features on")
	dev, _ := evaluate(t, "dev", "")
	assert.NotContains(t, ruleIDs(dev), "security-services-complete", "dev runs no Security Hub, so nothing is required")
}

// TestThePlanBeforeLeastPrivilegeFails: dev's `preview --json` as the
// program wrote it before the app roles were scoped and the tenant-data key
// bound (testdata, gzipped) fails the rules that guard each: both managed
// policies on both app roles, the dbuser:* login in each app policy, the
// key that only asked for some tenant_id, the cluster and instance on the
// engine's default parameters (rds.force_ssl 0), and the five service roles
// (two RDS monitoring, the proxy, two flow-log) any account could have a
// service assume, both target groups on plain HTTP, and both log keys open
// to every log group of the account; and no CloudTrail (nor a stack named
// as the account's baseline), the dedicated ALB without a web ACL, the
// shared web ACL logging nothing, and the cluster and the dedicated
// instance outside AWS Backup.
func TestThePlanBeforeLeastPrivilegeFails(t *testing.T) {
	g, err := graph.ReadPreviewJSON(testproject.OpenGzip(t, testproject.PlanBeforeLeastPrivilege))
	require.NoError(t, err)
	rep := Evaluate(&Stack{Graph: g, Environment: "dev"})
	count := map[string]int{}
	for _, f := range rep.Findings {
		if f.Severity == Mandatory {
			count[f.RuleID]++
		}
	}
	assert.Equal(t, map[string]int{"no-broad-managed-policies": 4, "role-policy-scoped": 2, "tenant-data-key-bound": 1, "rds-own-parameter-group": 2,
		"service-trust-source-condition": 5, "target-group-https": 2, "kms-logs-grant-scoped": 2,
		"account-baseline": 1, "alb-web-acl": 1, "waf-logging": 1, "database-in-backup-plan": 2}, count)
}

// TestBudgetRule: within the budget passes; over it, unpriced or unknown
// fails, each saying why; a what-if topology is accepted; no budget, no rule.
func TestBudgetRule(t *testing.T) {
	var budget StackRule
	for _, r := range AllStack() {
		if r.ID == "monthly-budget" {
			budget = r
		}
	}
	require.NotNil(t, budget.Check)
	for _, tc := range []struct {
		name  string
		stack Stack
		want  string // "" passes
	}{
		{"within", Stack{MonthlyCostUSD: 1000, BudgetUSD: 1000, CostKnown: true}, ""},
		{"no budget", Stack{MonthlyCostUSD: 9e9, CostKnown: true}, ""},
		{"over", Stack{MonthlyCostUSD: 1000.01, BudgetUSD: 1000, CostKnown: true}, "$1000.01 a month is over the budget of $1000.00 by $0.01"},
		{"unpriced", Stack{MonthlyCostUSD: 10, BudgetUSD: 1000, CostKnown: true, Unpriced: []string{"a db.x9 instance"}},
			"$10.00 a month leaves out 1 components with no price (first: a db.x9 instance)"},
		{"not priced", Stack{BudgetUSD: 1000}, "the stack could not be priced"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.stack
			s.Graph = graph.New(nil)
			got := budget.Check(&s)
			if tc.want == "" {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Contains(t, got[0].Why, tc.want)
			assert.Empty(t, got[0].Accepted)
			s.WhatIf = "multi-instance"
			assert.Contains(t, budget.Check(&s)[0].Accepted, "what-if evaluation as multi-instance")
		})
	}
}

// TestReportCounts: what a report says it ran and found, in its order.
func TestReportCounts(t *testing.T) {
	nodes := []graph.Node{
		{URN: "urn:b", Type: kmsKey, Name: "b", Custom: true, Inputs: map[string]any{"enableKeyRotation": true, "deletionWindowInDays": 7.0}},
		{URN: "urn:a", Type: kmsKey, Name: "a", Custom: true, Inputs: map[string]any{"deletionWindowInDays": 7.0}},
		{URN: "urn:c", Type: rdsInstance, Name: "c", Custom: true, Inputs: map[string]any{"storageEncrypted": true, "kmsKeyId": "k"}},
		{URN: "urn:comp", Type: "tenancy:index:SharedTier", Name: "comp"},
	}
	rep := Evaluate(&Stack{Graph: graph.New(nodes), Environment: "dev"})
	assert.Equal(t, 3, rep.Checked, "cloud resources only")
	assert.Equal(t, 2, rep.Resources["kms-rotation"])
	assert.Equal(t, 1, rep.Resources["rds-instance-encrypted"])
	assert.Equal(t, len(All())+len(AllStack()), rep.RulesRun)
	mandatory := 0
	for i, f := range rep.Findings {
		if f.Severity == Mandatory {
			mandatory++
		}
		if i > 0 {
			prev := rep.Findings[i-1]
			assert.False(t, prev.Severity == Advisory && f.Severity == Mandatory, "mandatory first")
			if prev.Severity == f.Severity {
				assert.LessOrEqual(t, prev.RuleID+prev.URN, f.RuleID+f.URN, "then by rule and URN")
			}
		}
	}
	assert.Equal(t, mandatory, rep.Mandatory())
	var kms []string
	for _, f := range rep.Findings {
		if f.RuleID == "kms-no-unintended-deletion" {
			kms = append(kms, f.URN)
		}
	}
	assert.Equal(t, []string{"urn:a", "urn:b"}, kms)
	for _, f := range rep.Findings {
		if f.RuleID == "kms-rotation" {
			assert.Equal(t, "urn:a", f.URN)
			assert.Equal(t, "enableKeyRotation is not set, not true", f.Message)
		}
	}
}

// TestBaselineRulesCatchWhatTheyGuard: prod passes the baseline, edge and
// backup rules; each piece taken from its plan fails the rule that guards it.
func TestBaselineRulesCatchWhatTheyGuard(t *testing.T) {
	rep, g := evaluate(t, "prod", stacks.Hybrid)
	for _, id := range []string{"account-baseline", "alb-web-acl", "waf-logging", "database-in-backup-plan", "backup-vault-locked", "cloudtrail-multi-region"} {
		assert.NotContains(t, ruleIDs(rep), id)
	}
	assert.Equal(t, 1, rep.Resources["cloudtrail-multi-region"], "the rule saw prod's trail")
	drop := func(match func(n graph.Node) bool) *graph.Graph {
		var kept []graph.Node
		for _, n := range g.Nodes {
			if !match(n) {
				kept = append(kept, n)
			}
		}
		return graph.New(kept)
	}
	messages := func(rep *Report, id string) []string {
		var out []string
		for _, f := range rep.Findings {
			if f.RuleID == id && f.Severity == Mandatory {
				out = append(out, f.Message)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name, env, rule string
		graph           *graph.Graph
		want            []string
	}{
		{"no trail", "prod", "account-baseline", drop(func(n graph.Node) bool { return n.Type == trail }),
			[]string{"no CloudTrail trail, and no stack named as the account's baseline"}},
		{"a CIS filter missing", "prod", "account-baseline", drop(func(n graph.Node) bool { return n.Type == metricFilter && n.Str("name") == "root-usage" }),
			[]string{"no CIS metric filter root-usage on the trail's log group"}},
		{"an alarm that tells no one", "prod", "account-baseline", mutate(g, func(n graph.Node) bool { return n.Type == metricAlarm && n.Str("metricName") == "vpc-changes" },
			func(in map[string]any) { in["alarmActions"] = []any{} }), []string{"metric filter vpc-changes has no alarm with an action"}},
		{"a dedicated ALB without its web ACL", "prod", "alb-web-acl", drop(func(n graph.Node) bool { return n.Type == webACLAssociation && n.Name == "oak-realty-edge" }),
			[]string{"no web ACL is associated with it"}},
		{"a web ACL logging nothing", "prod", "waf-logging", drop(func(n graph.Node) bool { return n.Type == webACLLogging && n.Name == "shared-edge" }),
			[]string{"the web ACL logs nothing"}},
		{"a dedicated database untagged", "prod", "database-in-backup-plan", mutate(g, func(n graph.Node) bool { return n.Type == rdsInstance && n.Name == "oak-realty-db" },
			func(in map[string]any) { // a copy: mutate shares nested maps
				tags := map[string]any{}
				for k, v := range in["tags"].(map[string]any) {
					if k != backupPlanTag {
						tags[k] = v
					}
				}
				in["tags"] = tags
			}), []string{"no AWS Backup selection holds it (tag tenancy:backup-plan is not set)"}},
		{"the cluster's selection gone", "prod", "database-in-backup-plan", drop(func(n graph.Node) bool { return n.Type == backupSelection && n.Name == "shared-backup" }),
			[]string{"no AWS Backup selection holds it (tag tenancy:backup-plan is tenancy-prod-shared)"}},
		{"a vault without its lock", "prod", "backup-vault-locked", drop(func(n graph.Node) bool { return n.Type == backupVaultLock && n.Name == "shared-dr" }),
			[]string{"no vault lock"}},
		{"a lock in governance mode in prod", "prod", "backup-vault-locked", mutate(g, func(n graph.Node) bool { return n.Type == backupVaultLock && n.Name == "database-backups" },
			func(in map[string]any) { delete(in, "changeableForDays") }),
			[]string{"the vault lock is in governance mode (no changeableForDays): an administrator can delete recovery points"}},
		{"a lock without a minimum", "dev", "backup-vault-locked", mutate(g, func(n graph.Node) bool { return n.Type == backupVaultLock && n.Name == "database-backups" },
			func(in map[string]any) { delete(in, "minRetentionDays"); delete(in, "changeableForDays") }),
			[]string{"the vault lock has no minimum retention"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, messages(Evaluate(&Stack{Graph: tc.graph, Environment: tc.env}), tc.rule))
		})
	}
	governance := mutate(g, func(n graph.Node) bool { return n.Type == backupVaultLock }, func(in map[string]any) { delete(in, "changeableForDays") })
	assert.Empty(t, messages(Evaluate(&Stack{Graph: governance, Environment: "dev"}), "backup-vault-locked"), "governance mode is dev's, so dev can be torn down")
}

// TestABaselineOwnedElsewhereIsAccepted: a stack that names another as its
// account's baseline builds no trail, and the rule accepts it, naming the owner.
func TestABaselineOwnedElsewhereIsAccepted(t *testing.T) {
	dir := testproject.CopyRepo(t)
	testproject.Edit(t, dir, "Pulumi.dev.yaml", "  tenancy:securityServices: false\n", "  tenancy:securityServices: false\n  tenancy:accountBaselineStack: prod\n")
	cfg, err := stacks.Load(dir, "dev", stacks.LoadOptions{})
	require.NoError(t, err)
	p, err := offline.Run(cfg)
	require.NoError(t, err)
	g := p.Graph()
	assert.Empty(t, g.OfType(trail))
	rep := Evaluate(&Stack{Graph: g, Environment: "dev"})
	var found []Finding
	for _, f := range rep.Findings {
		if f.RuleID == "account-baseline" {
			found = append(found, f)
		}
	}
	require.Len(t, found, 1)
	assert.Equal(t, Advisory, found[0].Severity)
	assert.Equal(t, "the account's baseline is stack prod's (tenancy:accountBaselineStack)", found[0].Accepted)
	assert.True(t, strings.HasSuffix(found[0].URN, "tenancy:index:AccountBaseline::account-baseline@prod"), found[0].URN)
}
