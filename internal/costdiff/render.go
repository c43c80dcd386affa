package costdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
)

// Marker starts every comment, so the workflow finds and updates its own.
const Marker = "<!-- tenancy-cost-diff -->"

func money2(d decimal.Decimal) string { return cost.FormatUSD(d) }

func dollars(d decimal.Decimal) string {
	if d.IsNegative() && !d.Round(2).IsZero() {
		return "-$" + money2(d.Abs())
	}
	return "$" + money2(d)
}

func signedDollars(d decimal.Decimal) string {
	if d.Round(2).IsPositive() {
		return "+$" + money2(d)
	}
	return dollars(d)
}

func pct(change, base decimal.Decimal) string {
	if base.IsZero() {
		return ""
	}
	p := change.Div(base).Mul(decimal.NewFromInt(100))
	s := p.StringFixed(1) + "%"
	if p.Round(1).IsPositive() {
		s = "+" + s
	}
	return " (" + s + ")"
}

// maxUnpricedLines caps the unpriced components a comment lists.
const maxUnpricedLines = 10

// Headline says the total monthly change in Infracost's words.
func (r *Result) Headline() string {
	c := r.Change()
	switch {
	case c.Round(2).IsPositive():
		return fmt.Sprintf("Monthly cost will increase by %s%s", dollars(c), pct(c, r.Baseline()))
	case c.Round(2).IsNegative():
		return fmt.Sprintf("Monthly cost will decrease by %s%s", dollars(c.Abs()), pct(c, r.Baseline()))
	default:
		return "Monthly cost will not change"
	}
}

func (s StackDiff) label() string {
	switch {
	case s.Added:
		return s.Name + " (new stack)"
	case s.Removed:
		return s.Name + " (removed)"
	}
	return s.Name
}

func (t TenantChange) describe() string {
	switch t.Kind {
	case "added":
		return "added, " + t.To
	case "removed":
		return "removed, was " + t.From
	}
	return t.Kind + ": " + t.From + " → " + t.To
}

// WriteMarkdown writes the pull-request comment.
func (r *Result) WriteMarkdown(w io.Writer, violations []Violation) {
	fmt.Fprintln(w, Marker)
	fmt.Fprintln(w, "## tenancy cost diff")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "**%s**\n\n", r.Headline())
	if u := r.Unpriced(); len(u) > 0 {
		fmt.Fprintf(w, "> [!WARNING]\n> **%d components have no price**, so the figures below are off by an unknown amount:\n", len(u))
		for i, line := range u {
			if i == maxUnpricedLines {
				fmt.Fprintf(w, "> - and %d more (see the JSON artifact)\n", len(u)-maxUnpricedLines)
				break
			}
			fmt.Fprintf(w, "> - %s\n", line)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "| Stack | Baseline cost | Cost change | New monthly cost |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, s := range r.Stacks {
		fmt.Fprintf(w, "| %s | %s | %s%s | %s |\n", s.label(), dollars(s.Baseline), signedDollars(s.Change()), pct(s.Change(), s.Baseline), dollars(s.New))
	}
	if len(r.Stacks) > 1 {
		fmt.Fprintf(w, "| **All stacks** | **%s** | **%s%s** | **%s** |\n", dollars(r.Baseline()), signedDollars(r.Change()), pct(r.Change(), r.Baseline()), dollars(r.New()))
	}
	fmt.Fprintln(w)
	if len(violations) > 0 {
		fmt.Fprintln(w, "**Guardrails crossed:**")
		for _, v := range violations {
			fmt.Fprintf(w, "- %s\n", v)
		}
		fmt.Fprintln(w)
	}
	var tenantRows []string
	type group struct {
		stack, kind string
		n           int
		change      decimal.Decimal
	}
	var groups []*group
	find := func(stack, kind string) *group {
		for _, g := range groups {
			if g.stack == stack && g.kind == kind {
				return g
			}
		}
		g := &group{stack: stack, kind: kind}
		groups = append(groups, g)
		return g
	}
	for _, s := range r.Stacks {
		for _, t := range s.Tenants {
			before, after := dollars(t.Baseline), dollars(t.New)
			if t.Kind == "added" {
				before = "–"
			}
			if t.Kind == "removed" {
				after = "–"
			}
			tenantRows = append(tenantRows, fmt.Sprintf("| %s | `%s` | %s | %s | %s | %s | %s |", s.Name, t.ID, t.Tier, t.describe(), before, after, signedDollars(t.Change())))
			kind := t.Kind
			if t.Kind == "moved" {
				kind = "moved " + placementOf(t.From) + " → " + placementOf(t.To)
			}
			g := find(s.Name, kind)
			g.n++
			g.change = g.change.Add(t.Change())
		}
	}
	if len(tenantRows) > 0 {
		fmt.Fprintln(w, "### What changed by tenant")
		fmt.Fprintln(w)
		for _, g := range groups {
			noun := "tenants"
			if g.n == 1 {
				noun = "tenant"
			}
			fmt.Fprintf(w, "- %s: %d %s %s, %s a month\n", g.stack, g.n, noun, g.kind, signedDollars(g.change))
		}
		fmt.Fprintln(w)
		long := len(tenantRows) > 10
		if long {
			fmt.Fprintf(w, "<details><summary>Every tenant (%d)</summary>\n\n", len(tenantRows))
		}
		fmt.Fprintln(w, "| Stack | Tenant | Tier | Change | Monthly before | Monthly after | Difference |")
		fmt.Fprintln(w, "|---|---|---|---|---:|---:|---:|")
		for _, row := range tenantRows {
			fmt.Fprintln(w, row)
		}
		fmt.Fprintln(w)
		if long {
			fmt.Fprintln(w, "</details>")
			fmt.Fprintln(w)
		}
	}
	for _, s := range r.Stacks {
		if s.OtherTenants > 0 {
			fmt.Fprintf(w, "In %s, %d other tenants' share of the shared tier changed by %s in all.\n\n", s.Name, s.OtherTenants, signedDollars(s.OtherTenantsDelta))
		}
	}
	if len(r.Stacks) > 0 && !r.Change().Round(2).IsZero() {
		r.writeChart(w)
	}
	fmt.Fprintln(w, "<details><summary>Cost change by resource type</summary>")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| Stack | Resource type | Count | Baseline | New | Change |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|")
	rows := 0
	for _, s := range r.Stacks {
		for _, tc := range s.Types {
			rows++
			fmt.Fprintf(w, "| %s | `%s` | %d → %d | %s | %s | %s |\n", s.Name, tc.Type, tc.BaselineCount, tc.NewCount, dollars(tc.Baseline), dollars(tc.New), signedDollars(tc.Change()))
		}
	}
	if rows == 0 {
		fmt.Fprintln(w, "| | no resource type changed | | | | |")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "</details>")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Costs are USD a month at on-demand list prices, on the workload in `tenants/usage.yaml` (see docs/cost-model.md).")
}

// writeChart draws baseline and new cost per stack as a Mermaid chart,
// which GitHub renders.
func (r *Result) writeChart(w io.Writer) {
	var names, base, cur []string
	top := decimal.Zero
	for _, s := range r.Stacks {
		names = append(names, fmt.Sprintf("%q", s.Name))
		base = append(base, s.Baseline.StringFixed(0))
		cur = append(cur, s.New.StringFixed(0))
		top = decimal.Max(top, s.Baseline, s.New)
	}
	fmt.Fprintln(w, "```mermaid")
	fmt.Fprintln(w, "xychart-beta")
	fmt.Fprintln(w, `    title "Monthly cost by stack, USD (bars: new, line: baseline)"`)
	fmt.Fprintf(w, "    x-axis [%s]\n", strings.Join(names, ", "))
	fmt.Fprintf(w, "    y-axis \"USD a month\" 0 --> %s\n", top.Mul(decimal.NewFromFloat(1.1)).Ceil().String())
	fmt.Fprintf(w, "    bar [%s]\n", strings.Join(cur, ", "))
	fmt.Fprintf(w, "    line [%s]\n", strings.Join(base, ", "))
	fmt.Fprintln(w, "```")
	fmt.Fprintln(w)
}

// WriteTable writes the diff as plain text.
func (r *Result) WriteTable(w io.Writer, violations []Violation) {
	fmt.Fprintln(w, r.Headline())
	if u := r.Unpriced(); len(u) > 0 {
		fmt.Fprintf(w, "UNPRICED: %d components have no price; the figures below are off by an unknown amount:\n", len(u))
		for _, line := range u {
			fmt.Fprintf(w, "  - %s\n", line)
		}
	}
	fmt.Fprintln(w)
	width := len("All stacks")
	for _, s := range r.Stacks {
		width = max(width, len(s.label()))
	}
	fmt.Fprintf(w, "  %-*s  %14s  %22s  %16s\n", width, "Stack", "Baseline cost", "Cost change", "New monthly cost")
	for _, s := range r.Stacks {
		fmt.Fprintf(w, "  %-*s  %14s  %22s  %16s\n", width, s.label(), dollars(s.Baseline), signedDollars(s.Change())+pct(s.Change(), s.Baseline), dollars(s.New))
	}
	fmt.Fprintf(w, "  %-*s  %14s  %22s  %16s\n", width, "All stacks", dollars(r.Baseline()), signedDollars(r.Change())+pct(r.Change(), r.Baseline()), dollars(r.New()))
	for _, s := range r.Stacks {
		for _, t := range s.Tenants {
			fmt.Fprintf(w, "  %s: tenant %s (%s) %s: %s\n", s.Name, t.ID, t.Tier, t.describe(), signedDollars(t.Change()))
		}
		if s.OtherTenants > 0 {
			fmt.Fprintf(w, "  %s: %d other tenants' share changed by %s in all\n", s.Name, s.OtherTenants, signedDollars(s.OtherTenantsDelta))
		}
	}
	for _, v := range violations {
		fmt.Fprintf(w, "guardrail crossed: %s\n", v)
	}
}

// WriteJSON writes the diff and the guardrails crossed.
func (r *Result) WriteJSON(w io.Writer, violations []Violation) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if violations == nil {
		violations = []Violation{}
	}
	return enc.Encode(struct {
		Headline   string          `json:"headline"`
		Baseline   decimal.Decimal `json:"baseline"`
		New        decimal.Decimal `json:"new"`
		Change     decimal.Decimal `json:"change"`
		Unpriced   []string        `json:"unpriced"`
		Stacks     []StackDiff     `json:"stacks"`
		Guardrails []Violation     `json:"guardrailsCrossed"`
	}{r.Headline(), r.Baseline(), r.New(), r.Change(), r.Unpriced(), r.Stacks, violations})
}

// placementOf is the placement word of a describe() string.
func placementOf(desc string) string {
	p, _, _ := strings.Cut(desc, " ")
	return p
}
