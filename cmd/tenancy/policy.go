package main

import (
	"fmt"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"io"
	"os"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/policies/rules"
)

// policyCmd: tenancy policy check --stack S [--topology T] [--preview-json FILE]
type policyOptions struct {
	sf          stackFlags
	previewJSON string
}

func policyCheckCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o policyOptions
	return command("check", "check the stack, or a `pulumi preview --json`, against the policy pack's rules",
		"Check the security and data-safety rules (the policy pack's) on the stack evaluated under mocks, or on a\n"+
			"real `pulumi preview --json`. Exits 1 on any mandatory violation.",
		noArgs, func(fs *pflag.FlagSet) {
			o.sf.register(fs)
			fs.StringVar(&o.previewJSON, "preview-json", "", "check this `pulumi preview --json` file instead of evaluating the program")
		}, func([]string) int { return o.run(stdout, stderr) }, code)
}

func (o *policyOptions) run(stdout, stderr io.Writer) int {
	sf, previewJSON := o.sf, &o.previewJSON
	cfg, code := sf.load(stderr)
	if cfg == nil {
		return code
	}
	var g *graph.Graph
	source := "the program under mocks"
	if *previewJSON != "" {
		f, err := os.Open(*previewJSON)
		if err != nil {
			fmt.Fprintf(stderr, "tenancy policy: %v\n", err)
			return exitRuntime
		}
		g, err = graph.ReadPreviewJSON(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "tenancy policy: %s: %v\n", *previewJSON, err)
			return exitRuntime
		}
		source = *previewJSON
	} else {
		plan, err := offline.Run(cfg)
		if err != nil {
			fmt.Fprintf(stderr, "tenancy policy: %v\n", err)
			return exitRuntime
		}
		g = plan.Graph()
	}
	s := &rules.Stack{Graph: g, Environment: string(cfg.Environment), BudgetUSD: float64(cfg.MonthlyBudgetUSD), WhatIf: sf.topology}
	if cat, err := cost.DefaultCatalog(); err == nil {
		if est, err := costing.Price("after", g, cfg, cat); err == nil {
			s.MonthlyCostUSD, _ = est.Total().Float64()
			s.CostKnown, s.Unpriced = true, est.Gaps()
		} else {
			fmt.Fprintf(stderr, "tenancy policy: the budget rule cannot price the stack: %v\n", err)
		}
	}
	rep := rules.Evaluate(s)
	writePolicyReport(stdout, cfg.Stack, string(cfg.Topology), source, s, rep)
	if rep.Mandatory() > 0 {
		return exitInvalid
	}
	return exitOK
}

func writePolicyReport(w io.Writer, stack, topology, source string, s *rules.Stack, rep *rules.Report) {
	fmt.Fprintf(w, "tenancy policy check: stack %s (%s, %s), %d resources from %s, %d rules\n\n", stack, topology, s.Environment, rep.Checked, source, rep.RulesRun)
	failed := map[string]rules.Severity{}
	for _, f := range rep.Findings {
		if failed[f.RuleID] != rules.Mandatory {
			failed[f.RuleID] = f.Severity
		}
	}
	type row struct{ id, control, checks, result string }
	var rows []row
	add := func(id, control string) {
		result := "pass"
		switch failed[id] {
		case rules.Mandatory:
			result = "FAIL"
		case rules.Advisory:
			result = "advisory"
		}
		checks := fmt.Sprint(rep.Resources[id])
		rows = append(rows, row{id, control, checks, result})
	}
	for _, r := range rules.All() {
		add(r.ID, r.Control)
	}
	for _, r := range rules.AllStack() {
		add(r.ID, r.Control)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].result == "FAIL" && rows[j].result != "FAIL" })
	fmt.Fprintf(w, "  %-36s %-38s %7s  %s\n", "rule", "control", "checked", "result")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-36s %-38s %7s  %s\n", r.id, r.control, r.checks, r.result)
	}
	if s.CostKnown && s.BudgetUSD > 0 {
		fmt.Fprintf(w, "\n  monthly cost $%s against a budget of $%s", cost.FormatUSD(decimalOf(s.MonthlyCostUSD)), cost.FormatUSD(decimalOf(s.BudgetUSD)))
		if len(s.Unpriced) > 0 {
			fmt.Fprintf(w, " (leaves out %d components with no price)", len(s.Unpriced))
		}
		fmt.Fprintln(w)
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w, "\nFindings")
		for _, f := range rep.Findings {
			fmt.Fprintf(w, "  %s %s (%s)\n    resource: %s\n    problem:  %s\n    fix:      %s\n", upper(f.Severity), f.RuleID, f.Control, f.URN, f.Message, f.Fix)
			if f.Accepted != "" {
				fmt.Fprintf(w, "    accepted: %s\n", f.Accepted)
			}
		}
	}
	advisory := len(rep.Findings) - rep.Mandatory()
	fmt.Fprintf(w, "\n%d mandatory violations, %d advisory findings\n", rep.Mandatory(), advisory)
}

func upper(s rules.Severity) string {
	if s == rules.Mandatory {
		return "MANDATORY"
	}
	return "advisory"
}

func decimalOf(f float64) decimal.Decimal { return decimal.NewFromFloat(f) }
