package costdiff

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/table"
)

// Marker starts every comment, so the workflow finds and updates its own.
const Marker = "<!-- tenancy-cost-diff -->"

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
		return fmt.Sprintf("Monthly cost will increase by %s%s", cost.Dollars(c), pct(c, r.Baseline()))
	case c.Round(2).IsNegative():
		return fmt.Sprintf("Monthly cost will decrease by %s%s", cost.Dollars(c.Abs()), pct(c, r.Baseline()))
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

//go:embed templates/comment.md.tmpl
var commentTemplate string

var comment = template.Must(template.New("comment").Parse(commentTemplate))

// commentView is what the pull-request comment shows, each part rendered:
// the template lays them out.
type commentView struct {
	Marker, Headline            string
	Unpriced                    []string
	UnpricedCount, MoreUnpriced int
	Stacks                      string
	Violations                  []Violation
	Groups                      []string
	Tenants                     string
	TenantCount                 int
	LongTenants                 bool
	Others                      []string
	Chart                       string
	Types                       string
}

// WriteMarkdown writes the pull-request comment.
func (r *Result) WriteMarkdown(w io.Writer, violations []Violation) {
	v := commentView{Marker: Marker, Headline: r.Headline(), Violations: violations, Stacks: r.stackTable(true).MarkdownString(),
		Types: r.typeTable().MarkdownString()}
	v.Unpriced = r.Unpriced()
	v.UnpricedCount = len(v.Unpriced)
	if len(v.Unpriced) > maxUnpricedLines {
		v.MoreUnpriced = len(v.Unpriced) - maxUnpricedLines
		v.Unpriced = v.Unpriced[:maxUnpricedLines]
	}
	tenants, groups := r.tenantTable()
	v.Groups = groups
	if v.TenantCount = len(tenants.Rows); v.TenantCount > 0 {
		v.Tenants, v.LongTenants = tenants.MarkdownString(), v.TenantCount > 10
	}
	for _, s := range r.Stacks {
		if s.OtherTenants > 0 {
			v.Others = append(v.Others, fmt.Sprintf("In %s, %d other tenants' share of the shared tier changed by %s in all.",
				s.Name, s.OtherTenants, cost.SignedDollars(s.OtherTenantsDelta)))
		}
	}
	if len(r.Stacks) > 0 && !r.Change().Round(2).IsZero() {
		var b strings.Builder
		r.writeChart(&b)
		v.Chart = b.String()
	}
	if err := comment.Execute(w, v); err != nil {
		panic(err) // the template is embedded and its view fixed: a failure is a bug here
	}
}

// stackTable is each stack's baseline, change and new cost, and with more
// than one stack (or always, in text) the total.
func (r *Result) stackTable(markdown bool) *table.Table {
	t := table.New([]string{"Stack", "Baseline cost", "Cost change", "New monthly cost"}, 1, 2, 3)
	for _, s := range r.Stacks {
		t.Add(s.label(), cost.Dollars(s.Baseline), cost.SignedDollars(s.Change())+pct(s.Change(), s.Baseline), cost.Dollars(s.New))
	}
	total := []string{"All stacks", cost.Dollars(r.Baseline()), cost.SignedDollars(r.Change()) + pct(r.Change(), r.Baseline()), cost.Dollars(r.New())}
	switch {
	case !markdown:
		t.Add(total...)
	case len(r.Stacks) > 1:
		for i := range total {
			total[i] = "**" + total[i] + "**"
		}
		t.Add(total...)
	}
	return t
}

// tenantTable is every tenant whose placement or cost changed, and a line
// per stack and kind of change.
func (r *Result) tenantTable() (*table.Table, []string) {
	t := table.New([]string{"Stack", "Tenant", "Tier", "Change", "Monthly before", "Monthly after", "Difference"}, 4, 5, 6)
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
		for _, tc := range s.Tenants {
			before, after := cost.Dollars(tc.Baseline), cost.Dollars(tc.New)
			if tc.Kind == "added" {
				before = "–"
			}
			if tc.Kind == "removed" {
				after = "–"
			}
			t.Add(s.Name, "`"+tc.ID+"`", string(tc.Tier), tc.describe(), before, after, cost.SignedDollars(tc.Change()))
			kind := tc.Kind
			if tc.Kind == "moved" {
				kind = "moved " + placementOf(tc.From) + " → " + placementOf(tc.To)
			}
			g := find(s.Name, kind)
			g.n++
			g.change = g.change.Add(tc.Change())
		}
	}
	lines := make([]string, len(groups))
	for i, g := range groups {
		noun := "tenants"
		if g.n == 1 {
			noun = "tenant"
		}
		lines[i] = fmt.Sprintf("%s: %d %s %s, %s a month", g.stack, g.n, noun, g.kind, cost.SignedDollars(g.change))
	}
	return t, lines
}

// typeTable is the cost change of each resource type, stack by stack.
func (r *Result) typeTable() *table.Table {
	t := table.New([]string{"Stack", "Resource type", "Count", "Baseline", "New", "Change"}, 2, 3, 4, 5)
	for _, s := range r.Stacks {
		for _, tc := range s.Types {
			t.Add(s.Name, "`"+tc.Type+"`", fmt.Sprintf("%d → %d", tc.BaselineCount, tc.NewCount), cost.Dollars(tc.Baseline),
				cost.Dollars(tc.New), cost.SignedDollars(tc.Change()))
		}
	}
	if len(t.Rows) == 0 {
		t.Add("", "no resource type changed", "", "", "", "")
	}
	return t
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
	r.stackTable(false).Text(w, "  ")
	for _, s := range r.Stacks {
		for _, t := range s.Tenants {
			fmt.Fprintf(w, "  %s: tenant %s (%s) %s: %s\n", s.Name, t.ID, t.Tier, t.describe(), cost.SignedDollars(t.Change()))
		}
		if s.OtherTenants > 0 {
			fmt.Fprintf(w, "  %s: %d other tenants' share changed by %s in all\n", s.Name, s.OtherTenants, cost.SignedDollars(s.OtherTenantsDelta))
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
	// A list is [] when empty, never null: a consumer can range over it.
	stacks := make([]StackDiff, len(r.Stacks))
	for i, s := range r.Stacks {
		s.Tenants, s.Types = nonNil(s.Tenants), nonNil(s.Types)
		s.Unpriced, s.BaseUnpriced = nonNil(s.Unpriced), nonNil(s.BaseUnpriced)
		stacks[i] = s
	}
	return enc.Encode(struct {
		Headline   string          `json:"headline"`
		Baseline   decimal.Decimal `json:"baseline"`
		New        decimal.Decimal `json:"new"`
		Change     decimal.Decimal `json:"change"`
		Unpriced   []string        `json:"unpriced"`
		Stacks     []StackDiff     `json:"stacks"`
		Guardrails []Violation     `json:"guardrailsCrossed"`
	}{r.Headline(), r.Baseline(), r.New(), r.Change(), nonNil(r.Unpriced()), nonNil(stacks), violations})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// placementOf is the placement word of a describe() string.
func placementOf(desc string) string {
	p, _, _ := strings.Cut(desc, " ")
	return p
}
