// Package rules holds tenancy's security and data-safety rules as data: each
// has an id, the AWS control it enforces (Security Hub FSBP / CIS), the type
// tokens it applies to, a check over the resource's inputs, the fix, and
// examples that pass and fail. The same rules run in the Pulumi policy pack
// (policies/), the unit tests and `tenancy policy check`.
package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

// Severity says whether a finding blocks a deployment.
type Severity string

// Severities.
const (
	Mandatory Severity = "mandatory"
	Advisory  Severity = "advisory"
)

// Example is an input map a rule must pass or fail, with the environment tag.
type Example struct {
	Name   string
	Type   string // defaults to the rule's first type
	Inputs map[string]any
	Pass   bool
}

// Rule checks one resource at a time.
type Rule struct {
	ID          string
	Control     string // e.g. "RDS.27"
	Types       []string
	Description string
	Fix         string
	// ProdOnly rules guard against loss (deletion protection, protect): in any
	// other environment a failure is an accepted advisory finding, because a
	// dev stack must be destroyable.
	ProdOnly bool
	Check    func(n graph.Node) (ok bool, why string)
	Examples []Example
}

// StackRule checks the stack as a whole.
type StackRule struct {
	ID          string
	Control     string
	Description string
	Fix         string
	Check       func(s *Stack) []Violation
}

// Violation is what a stack rule found on one resource.
type Violation struct {
	URN, Type, Why string
	// Accepted, when set, makes the finding advisory and says why.
	Accepted string
}

// Stack is what stack rules see: the graph and its environment.
type Stack struct {
	Graph       *graph.Graph
	Environment string
	// MonthlyCostUSD and BudgetUSD feed the budget rule (0 budget: none).
	MonthlyCostUSD float64
	BudgetUSD      float64
	CostKnown      bool
	// Unpriced lists what the cost model could not price: a total with gaps
	// cannot be held to a budget, so the budget rule fails on it.
	Unpriced []string
	// WhatIf names a topology evaluated instead of the stack's own
	// (tenancy --topology): the budget was not set for it.
	WhatIf string
}

// Finding is one rule's result on one resource.
type Finding struct {
	RuleID   string
	Control  string
	URN      string
	Type     string
	Severity Severity
	Message  string
	Fix      string
	// Accepted says why an advisory finding does not block (empty for mandatory).
	Accepted string
}

// Report is every finding of one evaluation.
type Report struct {
	Findings  []Finding
	Checked   int // resources checked
	RulesRun  int
	Resources map[string]int // checks per rule, for the pass/fail table
}

// Mandatory counts the findings that block.
func (r *Report) Mandatory() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == Mandatory {
			n++
		}
	}
	return n
}

// All are the rules, every service's.
func All() []Rule {
	var out []Rule
	for _, set := range [][]Rule{rdsRules, elastiCacheRules, ec2Rules, autoScalingRules, elbRules, kmsRules, cloudWatchRules, securityServiceRules, iamRules, baselineRules} {
		out = append(out, set...)
	}
	return out
}

// AllStack are the stack rules.
func AllStack() []StackRule {
	return append(append(append([]StackRule{}, stackRules...), securityServicesComplete), baselineStackRules...)
}

// Judge decides what rule r says of node n in a stack of environment env:
// nil when it passes, else a finding, advisory when it is accepted (a
// prod-only rule outside prod, a kept stack whose migration is verified).
// The CLI, the tests and the policy pack all decide through it.
func Judge(r Rule, n graph.Node, env string) *Finding {
	ok, why := r.Check(n)
	if ok {
		return nil
	}
	f := &Finding{RuleID: r.ID, Control: r.Control, URN: n.URN, Type: n.Type, Severity: Mandatory, Message: why, Fix: r.Fix}
	switch {
	case r.ProdOnly && env != "prod":
		f.Severity = Advisory
		f.Accepted = fmt.Sprintf("a %s stack must be destroyable; the rule is enforced in prod", env)
	case r.ProdOnly && migrationVerified(n):
		f.Severity, f.Accepted = Advisory, acceptedVerified
	}
	return f
}

// JudgeStack is Judge for a stack rule.
func JudgeStack(r StackRule, s *Stack) []Finding {
	var out []Finding
	for _, v := range r.Check(s) {
		f := Finding{RuleID: r.ID, Control: r.Control, URN: v.URN, Type: v.Type, Severity: Mandatory, Message: v.Why, Fix: r.Fix}
		if v.Accepted != "" {
			f.Severity, f.Accepted = Advisory, v.Accepted
		}
		out = append(out, f)
	}
	return out
}

// Evaluate runs every rule over a graph.
func Evaluate(s *Stack) *Report {
	rep := &Report{Resources: map[string]int{}}
	byType := map[string][]Rule{}
	for _, r := range All() {
		for _, t := range r.Types {
			byType[t] = append(byType[t], r)
		}
	}
	for _, n := range s.Graph.Nodes {
		if !n.Cloud() {
			continue
		}
		rep.Checked++
		for _, r := range byType[n.Type] {
			rep.Resources[r.ID]++
			if f := Judge(r, n, s.Environment); f != nil {
				rep.Findings = append(rep.Findings, *f)
			}
		}
	}
	for _, r := range AllStack() {
		rep.Resources[r.ID]++
		rep.Findings = append(rep.Findings, JudgeStack(r, s)...)
	}
	rep.RulesRun = len(All()) + len(AllStack())
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity == Mandatory
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.URN < b.URN
	})
	return rep
}

// helpers over inputs

func isTrue(n graph.Node, key string) (bool, string) {
	if n.Bool(key) {
		return true, ""
	}
	return false, fmt.Sprintf("%s is %v, not true", key, show(n.Inputs[key]))
}

func isFalse(n graph.Node, key string) (bool, string) {
	if v, ok := n.Inputs[key]; ok && v != nil && n.Bool(key) {
		return false, fmt.Sprintf("%s is true", key)
	}
	return true, ""
}

func isSet(n graph.Node, key string) (bool, string) {
	if v, ok := n.Inputs[key]; ok && v != nil && v != "" {
		return true, ""
	}
	return false, key + " is not set"
}

func all(checks ...func() (bool, string)) (bool, string) {
	var why []string
	for _, c := range checks {
		if ok, w := c(); !ok {
			why = append(why, w)
		}
	}
	return len(why) == 0, strings.Join(why, "; ")
}

func show(v any) string {
	if v == nil {
		return "not set"
	}
	return fmt.Sprint(v)
}

func minNum(n graph.Node, key string, min float64) (bool, string) {
	v, ok := n.Num(key)
	if ok && v >= min {
		return true, ""
	}
	return false, fmt.Sprintf("%s is %s, below %v", key, show(n.Inputs[key]), min)
}

// acceptedVerified says why a kept stack may go unprotected.
const acceptedVerified = "the tenant's data is verified on the shared tier (migration.dataVerified in the registry): its kept dedicated stack is unprotected to be removed, final snapshots on, key and logs retained"

// migrationVerified reports whether n belongs to a kept dedicated stack whose
// tenant's data was verified on the shared tier.
func migrationVerified(n graph.Node) bool {
	return graph.Path(n.Inputs, "tags", "Migration") == "verified"
}
