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
	"github.com/tenancy-dev/tenancy/internal/vcs"
)

// Marker starts every comment, so the workflow finds and updates its own.
const Marker = "<!-- tenancy-cost-diff -->"

// MaxCommentBytes keeps a comment under GitHub's limit of 65,536 characters
// (counted here in bytes, which are never fewer), with room to spare.
const MaxCommentBytes = 65000

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

// maxTenantLines is how many tenant changes of a stack "what changed"
// names one by one; beyond it, it counts them by kind.
const maxTenantLines = 10

// Headline says the total monthly change in Infracost's words.
func (r *Result) Headline() string {
	c := r.Change()
	switch {
	case c.IsPositive():
		return fmt.Sprintf("Monthly cost will increase by %s%s", cost.Dollars(c), pct(c, r.Baseline()))
	case c.IsNegative():
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

func perMonth(d decimal.Decimal) string { return cost.SignedDollars(d) + " a month" }

// plural counts things, with thousands separators: "1 tenant", "2,000 tenants".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strings.TrimSuffix(cost.FormatUSD(decimal.NewFromInt(int64(n))), ".00") + " " + many
}

// sentence says one tenant change and its monthly effect; a migration step
// says its phase, what is kept and until when.
func (t TenantChange) sentence() string {
	who := fmt.Sprintf("tenant `%s` (%s)", t.ID, t.Tier)
	effect := perMonth(t.Change())
	switch t.Kind {
	case KindAdded:
		return fmt.Sprintf("%s added, %s: %s", who, t.To, effect)
	case KindRemoved:
		return fmt.Sprintf("%s removed, was %s: %s", who, t.From, effect)
	case KindStarted:
		return fmt.Sprintf("%s: **migration started** (step 1 of 3), %s → shared: %s. Its dedicated stack is kept whole and protected "+
			"(%s a month, idle) until its data is verified (`dataVerified: true`).", who, t.From, effect, cost.Dollars(t.KeptUSD))
	case KindVerified:
		return fmt.Sprintf("%s: **migration verified** (step 2 of 3): %s. Its dedicated stack (%s a month) is kept, unprotected, with a final "+
			"snapshot, until the migration entry is removed.", who, effect, cost.Dollars(t.KeptUSD))
	case KindFinished:
		return fmt.Sprintf("%s: **migration finished** (step 3 of 3): its dedicated stack is removed: %s.", who, effect)
	case KindMoved:
		s := fmt.Sprintf("%s moved %s → %s: %s", who, t.From, t.To, effect)
		if t.Unsafe {
			s += ". :warning: **No migration entry**: its dedicated stack and its data would be deleted at once, and in prod " +
				"protection makes `pulumi up` refuse. Add `migration: {from: dedicated}` to keep the stack until the data is verified."
		}
		return s
	case KindMoveStack:
		return fmt.Sprintf("%s moved from stack `%s` to stack `%s`: %s", who, t.From, t.To, effect)
	case KindTier:
		return fmt.Sprintf("%s tier %s → %s: %s", who, t.From, t.To, effect)
	}
	return fmt.Sprintf("%s %s: %s → %s: %s", who, t.Kind, t.From, t.To, effect)
}

func (rc ResourceChange) sentence() string {
	what := fmt.Sprintf("`%s` (`%s`)", rc.Address, rc.Type)
	switch rc.Kind {
	case "added":
		return fmt.Sprintf("%s added: %s", what, perMonth(rc.Change()))
	case "removed":
		return fmt.Sprintf("%s removed: %s", what, perMonth(rc.Change()))
	}
	parts := make([]string, len(rc.Attributes))
	for i, a := range rc.Attributes {
		parts[i] = fmt.Sprintf("%s `%s` → `%s`", a.Name, a.From, a.To)
	}
	return fmt.Sprintf("%s: %s: %s", what, strings.Join(parts, ", "), perMonth(rc.Change()))
}

// section is one stack's "what changed": its lines, and how many of its
// resource lines a truncated comment left out.
type section struct {
	Stack string
	Lines []string
}

// whatChanged says, stack by stack, each resource whose sizing changed and
// each tenant change (or, past maxTenantLines, their count by kind), the
// end state of migrations in progress and the other tenants' shares.
func (r *Result) whatChanged(maxResources int) (out []section, cut int) {
	for _, s := range r.Changed() {
		sec := section{Stack: s.Name}
		if s.Added || s.Removed {
			// The stack table says it; its tenants are in the table below,
			// but a tenant that moved in or out is named.
			for _, t := range s.Tenants {
				if t.Kind == KindMoveStack {
					sec.Lines = append(sec.Lines, t.sentence())
				}
			}
			if len(sec.Lines) > 0 {
				out = append(out, sec)
			}
			continue
		}
		for i, rc := range s.Resources {
			if i >= maxResources {
				cut += len(s.Resources) - i
				sec.Lines = append(sec.Lines, fmt.Sprintf("and %s more (see the artifact)", plural(len(s.Resources)-i, "resource", "resources")))
				break
			}
			sec.Lines = append(sec.Lines, rc.sentence())
		}
		if len(s.Tenants) <= maxTenantLines {
			for _, t := range s.Tenants {
				sec.Lines = append(sec.Lines, t.sentence())
			}
		} else {
			sec.Lines = append(sec.Lines, groups(s)...)
		}
		if k := s.KeptUSD(); k.IsPositive() {
			sec.Lines = append(sec.Lines, fmt.Sprintf("End state: once the kept dedicated stacks (%s a month) are removed, this stack's change comes to %s.",
				cost.Dollars(k), perMonth(s.Change().Sub(k))))
		}
		if s.OtherTenants > 0 {
			sec.Lines = append(sec.Lines, fmt.Sprintf("%s' share of the shared tier: %s in all.",
				plural(s.OtherTenants, "other shared tenant", "other shared tenants"), cost.SignedDollars(s.OtherTenantsDelta)))
		}
		if s.OtherDedicated > 0 {
			sec.Lines = append(sec.Lines, fmt.Sprintf("%s' share of the account-wide resources: %s in all.",
				plural(s.OtherDedicated, "other dedicated tenant", "other dedicated tenants"), cost.SignedDollars(s.OtherDedicatedDelta)))
		}
		if len(sec.Lines) > 0 {
			out = append(out, sec)
		}
	}
	return out, cut
}

// groups counts a stack's tenant changes by kind.
func groups(s StackDiff) []string {
	var kinds []string
	n := map[string]int{}
	sum := map[string]decimal.Decimal{}
	for _, t := range s.Tenants {
		k := t.Kind
		if t.Kind == KindMoved || t.Kind == KindMoveStack {
			k += " " + placementOf(t.From) + " → " + placementOf(t.To)
		}
		if n[k] == 0 {
			kinds = append(kinds, k)
		}
		n[k]++
		sum[k] = sum[k].Add(t.Change())
	}
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = fmt.Sprintf("%s %s: %s", plural(n[k], "tenant", "tenants"), k, perMonth(sum[k]))
	}
	return out
}

//go:embed templates/comment.md.tmpl
var commentTemplate string

var comment = template.Must(template.New("comment").Parse(commentTemplate))

// commentView is what the pull-request comment shows, each part rendered:
// the template lays them out.
type commentView struct {
	Marker, Headline string
	Unpriced         []string
	UnpricedCount    string
	MoreUnpriced     int
	Violations       []Violation
	Stacks           string
	Unchanged        string
	Sections         []section
	TenantCount      string
	Tenants          string
	Types            string
	Truncated        string
	Footer           string
}

// limits cap the long parts of a comment.
type limits struct{ tenants, resources, types int }

const unlimited = 1 << 30

// WriteMarkdown writes the pull-request comment: one line when nothing
// changed, else cut to fit under GitHub's limit, saying what was cut.
func (r *Result) WriteMarkdown(w io.Writer, violations []Violation) {
	if len(r.Changed()) == 0 && len(violations) == 0 {
		fmt.Fprintf(w, "%s**tenancy cost diff:** monthly cost will not change (%s, %s a month; %s).\n",
			Marker, plural(len(r.Stacks), "stack", "stacks"), cost.Dollars(r.New()), r.commits())
		return
	}
	l := limits{unlimited, unlimited, unlimited}
	for _, next := range []limits{{500, unlimited, unlimited}, {100, 50, 100}, {20, 20, 30}, {0, 10, 10}, {0, 5, 0}} {
		if out := r.markdown(violations, l); len(out) <= MaxCommentBytes {
			io.WriteString(w, out)
			return
		}
		l = next
	}
	io.WriteString(w, r.markdown(violations, l))
}

func (r *Result) markdown(violations []Violation, l limits) string {
	v := commentView{Marker: Marker, Headline: r.Headline(), Violations: violations, Footer: r.commits()}
	v.Unpriced = r.Unpriced()
	v.UnpricedCount = plural(len(v.Unpriced), "component has", "components have")
	if len(v.Unpriced) > maxUnpricedLines {
		v.MoreUnpriced = len(v.Unpriced) - maxUnpricedLines
		v.Unpriced = v.Unpriced[:maxUnpricedLines]
	}
	v.Stacks, v.Unchanged = r.stackTable(true).MarkdownString(), r.unchangedLine()
	var cutResources int
	v.Sections, cutResources = r.whatChanged(l.resources)
	tenants := r.tenantTable()
	n := len(tenants.Rows)
	v.TenantCount = strings.TrimSpace(plural(n, "", ""))
	cutTenants := max(0, n-l.tenants)
	if n > maxTenantLines && l.tenants > 0 {
		tenants.Rows = tenants.Rows[:min(n, l.tenants)]
		v.Tenants = tenants.MarkdownString()
	} else if n <= maxTenantLines {
		cutTenants = 0 // each is named in "what changed"
	}
	types := r.typeTable()
	cutTypes := max(0, len(types.Rows)-l.types)
	types.Rows = types.Rows[:len(types.Rows)-cutTypes]
	if len(types.Rows) > 0 {
		v.Types = types.MarkdownString()
	}
	var cut []string
	for _, c := range []struct {
		n         int
		one, many string
	}{{cutTenants, "tenant row", "tenant rows"}, {cutResources, "resource line", "resource lines"}, {cutTypes, "resource-type row", "resource-type rows"}} {
		if c.n > 0 {
			cut = append(cut, plural(c.n, c.one, c.many))
		}
	}
	if len(cut) > 0 {
		v.Truncated = fmt.Sprintf("This comment is cut to stay under GitHub's 65,536-character limit: %s not shown. "+
			"Every row is in `cost-diff.json`, in this run's `cost-diff` artifact.", strings.Join(cut, " and "))
	}
	var b strings.Builder
	if err := comment.Execute(&b, v); err != nil {
		panic(err) // the template is embedded and its view fixed: a failure is a bug here
	}
	return b.String()
}

// commits names the base and head compared.
func (r *Result) commits() string {
	name := func(sha string) string {
		if sha == "" {
			return "unknown"
		}
		return "`" + vcs.ShortSHA(sha) + "`"
	}
	s := "base " + name(r.BaseCommit) + ", head " + name(r.HeadCommit)
	if r.HeadDirty {
		s += " with uncommitted changes"
	}
	return s
}

// stackTable is each changed stack's baseline, change and new cost, and,
// with more than one row (or always, in text), their total.
func (r *Result) stackTable(markdown bool) *table.Table {
	t := table.New([]string{"Stack", "Baseline cost", "Cost change", "New monthly cost"}, 1, 2, 3)
	changed := r.Changed()
	base, cur := decimal.Zero, decimal.Zero
	for _, s := range changed {
		t.Add(s.label(), cost.Dollars(s.Baseline), cost.SignedDollars(s.Change())+pct(s.Change(), s.Baseline), cost.Dollars(s.New))
		base, cur = base.Add(cents(s.Baseline)), cur.Add(cents(s.New))
	}
	label := "Changed stacks"
	if len(changed) == len(r.Stacks) {
		label = "All stacks"
	}
	total := []string{label, cost.Dollars(base), cost.SignedDollars(cur.Sub(base)) + pct(cur.Sub(base), base), cost.Dollars(cur)}
	switch {
	case !markdown:
		t.Add(total...)
	case len(changed) > 1:
		for i := range total {
			total[i] = "**" + total[i] + "**"
		}
		t.Add(total...)
	}
	return t
}

// unchangedLine counts the stacks left out of the table.
func (r *Result) unchangedLine() string {
	var names []string
	for _, s := range r.Stacks {
		if !s.Changed() {
			names = append(names, "`"+s.Name+"`")
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("%s unchanged: %s.", plural(len(names), "stack", "stacks"), strings.Join(names, ", "))
}

// tenantTable is every tenant change, stack by stack.
func (r *Result) tenantTable() *table.Table {
	t := table.New([]string{"Stack", "Tenant", "Tier", "Change", "Monthly before", "Monthly after", "Difference"}, 4, 5, 6)
	for _, s := range r.Stacks {
		for _, tc := range s.Tenants {
			before, after := cost.Dollars(tc.Baseline), cost.Dollars(tc.New)
			if tc.Kind == KindAdded {
				before = "–"
			}
			if tc.Kind == KindRemoved {
				after = "–"
			}
			change := tc.Kind
			if tc.From != "" || tc.To != "" {
				change += ": " + orDash(tc.From) + " → " + orDash(tc.To)
			}
			t.Add(s.Name, "`"+tc.ID+"`", tc.Tier, change, before, after, cost.SignedDollars(tc.Change()))
		}
	}
	return t
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
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
	return t
}

// WriteTable writes the diff as plain text.
func (r *Result) WriteTable(w io.Writer, violations []Violation) {
	fmt.Fprintln(w, r.Headline())
	if u := r.Unpriced(); len(u) > 0 {
		fmt.Fprintf(w, "UNPRICED: %s no price; the figures below are off by an unknown amount:\n", plural(len(u), "component has", "components have"))
		for _, line := range u {
			fmt.Fprintf(w, "  - %s\n", line)
		}
	}
	for _, v := range violations {
		fmt.Fprintf(w, "GUARDRAIL CROSSED: %s\n", v)
	}
	fmt.Fprintln(w)
	r.stackTable(false).Text(w, "  ")
	if u := r.unchangedLine(); u != "" {
		fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(u, "`", ""))
	}
	sections, _ := r.whatChanged(unlimited)
	for _, sec := range sections {
		fmt.Fprintf(w, "\n%s:\n", sec.Stack)
		for _, line := range sec.Lines {
			fmt.Fprintf(w, "  - %s\n", strings.NewReplacer("`", "", "**", "", ":warning: ", "WARNING: ").Replace(line))
		}
	}
	fmt.Fprintf(w, "\n%s\n", strings.ReplaceAll(r.commits(), "`", ""))
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
		s.Tenants, s.Types, s.Resources = nonNil(s.Tenants), nonNil(s.Types), nonNil(s.Resources)
		s.Unpriced, s.BaseUnpriced = nonNil(s.Unpriced), nonNil(s.BaseUnpriced)
		stacks[i] = s
	}
	return enc.Encode(struct {
		Headline   string          `json:"headline"`
		BaseCommit string          `json:"baseCommit"`
		HeadCommit string          `json:"headCommit"`
		HeadDirty  bool            `json:"headUncommitted"`
		Baseline   decimal.Decimal `json:"baseline"`
		New        decimal.Decimal `json:"new"`
		Change     decimal.Decimal `json:"change"`
		Unpriced   []string        `json:"unpriced"`
		Stacks     []StackDiff     `json:"stacks"`
		Guardrails []Violation     `json:"guardrailsCrossed"`
	}{r.Headline(), r.BaseCommit, r.HeadCommit, r.HeadDirty, r.Baseline(), r.New(), r.Change(), nonNil(r.Unpriced()), nonNil(stacks), violations})
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
