// The tenancy policy pack: `pulumi preview --policy-pack ./policies` runs the
// rules of policies/rules on every resource and on the stack as a whole.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/policies/rules"
	"github.com/tenancy-dev/tenancy/stacks"
)

func main() {
	if err := policyx.Main(func(*pulumi.Context) (policyx.PolicyPack, error) { return pack() }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// node is the rules' view of an analyzed resource.
func node(r policyx.AnalyzerResource) graph.Node {
	return graph.Node{URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent, Custom: !strings.HasPrefix(r.Type, "tenancy:") && r.Type != graph.TypeStack,
		Protect: r.Options.Protect, RetainOnDelete: r.Options.RetainOnDelete, Inputs: PlainMap(r.Properties)}
}

// environment is the stack's environment, from the tag the program puts on
// every taggable resource.
func environment(n graph.Node) string {
	if env, ok := graph.Path(n.Inputs, "tags", "Environment").(string); ok {
		return env
	}
	return ""
}

func pack() (policyx.PolicyPack, error) {
	var policies []policyx.Policy
	for _, r := range rules.All() {
		policies = append(policies, policyx.NewResourceValidationPolicy(r.ID, policyx.ResourceValidationPolicyArgs{
			Description:      r.Control + ": " + r.Description,
			EnforcementLevel: policyx.EnforcementLevelMandatory,
			ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
				n := node(args.Resource)
				if !slices.Contains(r.Types, n.Type) {
					return nil
				}
				// The engine's violations block, so only mandatory findings are
				// reported; an accepted one is what policy check shows as advisory.
				if f := rules.Judge(r, n, environment(n)); f != nil && f.Severity == rules.Mandatory {
					args.Manager.ReportViolation(fmt.Sprintf("%s (%s): %s. Fix: %s", f.RuleID, f.Control, f.Message, f.Fix), f.URN)
				}
				return nil
			},
		}))
	}
	for _, sr := range rules.AllStack() {
		policies = append(policies, policyx.NewStackValidationPolicy(sr.ID, policyx.StackValidationPolicyArgs{
			Description:      sr.Control + ": " + sr.Description,
			EnforcementLevel: policyx.EnforcementLevelMandatory,
			ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
				s := stackOf(args.Resources, sr.ID == "monthly-budget")
				for _, f := range rules.JudgeStack(sr, s) {
					if f.Severity == rules.Mandatory {
						args.Manager.ReportViolation(fmt.Sprintf("%s (%s): %s. Fix: %s", f.RuleID, f.Control, f.Message, f.Fix), f.URN)
					}
				}
				return nil
			},
		}))
	}
	return policyx.NewPolicyPack("tenancy", semver.MustParse("0.1.0"), policyx.EnforcementLevelMandatory, policies)
}

// stackOf builds the stack rules' view; for the budget it prices the stack
// with the cost model, reading the stack's config and registry from the
// project folder (TENANCY_PROJECT_DIR, or the folder above the pack).
func stackOf(resources []policyx.AnalyzerResource, priced bool) *rules.Stack {
	nodes := make([]graph.Node, 0, len(resources))
	env := ""
	for _, r := range resources {
		n := node(r)
		nodes = append(nodes, n)
		if e := environment(n); e != "" {
			env = e
		}
	}
	s := &rules.Stack{Graph: graph.New(nodes), Environment: env}
	if !priced || len(resources) == 0 {
		return s
	}
	dir := os.Getenv("TENANCY_PROJECT_DIR")
	if dir == "" {
		dir = filepath.Join("..")
	}
	// urn:pulumi:<stack>::<project>::...
	parts := strings.Split(resources[0].URN, "::")
	stack := strings.TrimPrefix(parts[0], "urn:pulumi:")
	cfg, err := stacks.Load(dir, stack, stacks.LoadOptions{})
	if err != nil {
		return s
	}
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return s
	}
	est, err := costing.Price("after", s.Graph, cfg, cat)
	if err != nil {
		return s
	}
	s.MonthlyCostUSD, _ = est.Total().Float64()
	s.BudgetUSD, s.CostKnown, s.Unpriced = float64(cfg.MonthlyBudgetUSD), true, est.Gaps()
	return s
}
