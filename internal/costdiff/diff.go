// Package costdiff compares two sets of tenancy cost reports (Infracost's
// JSON, as `tenancy cost --format json` writes it) stack by stack: what a
// pull request does to the monthly bill, by tenant, by resource and by
// resource type, and why.
package costdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
)

// StackResourceName is the zero-cost resource whose metadata carries the
// tenants and the budget (internal/costing writes it).
const StackResourceName = cost.StackResourceName

// Doc is the part of a cost report a diff reads.
type Doc struct {
	Metadata Metadata  `json:"metadata"`
	Projects []Project `json:"projects"`
}

// Metadata is the run's VCS facts (Infracost's top-level metadata).
type Metadata struct {
	Commit string `json:"vcsCommitSha"`
	Branch string `json:"vcsBranch"`
}

// Project is one stack's report; after is its breakdown.
type Project struct {
	Name      string    `json:"name"`
	Breakdown Breakdown `json:"breakdown"`
}

// Breakdown is a list of priced resources and their total.
type Breakdown struct {
	Resources        []Resource `json:"resources"`
	TotalMonthlyCost *string    `json:"totalMonthlyCost"`
}

// Resource is one priced resource.
type Resource struct {
	Name        string         `json:"name"`
	Metadata    map[string]any `json:"metadata"`
	MonthlyCost *string        `json:"monthlyCost"`
}

func (r Resource) meta(k string) string {
	s, _ := r.Metadata[k].(string)
	return s
}

// Read parses a report.
func Read(r io.Reader) (*Doc, error) {
	var d Doc
	if err := json.NewDecoder(r).Decode(&d); err != nil {
		return nil, fmt.Errorf("not a cost report (tenancy cost --format json): %w", err)
	}
	if d.Projects == nil {
		return nil, fmt.Errorf("not a cost report (tenancy cost --format json): no projects")
	}
	return &d, nil
}

func money(s *string) decimal.Decimal {
	if s == nil {
		return decimal.Zero
	}
	d, err := decimal.NewFromString(*s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// cents is an amount as the comment shows it. Changes and totals are made
// of shown amounts, so every total equals the sum of its shown rows (a
// total of unrounded amounts was off by a cent from its rows).
func cents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// Kinds of tenant change.
const (
	KindAdded     = "added"
	KindRemoved   = "removed"
	KindMoved     = "moved"   // between shared and dedicated, with no migration entry
	KindResized   = "resized" // a dedicated stack's sizes
	KindTier      = "tier"    // its tier changed
	KindStarted   = "migration started"
	KindVerified  = "migration verified"
	KindFinished  = "migration finished"
	KindMoveStack = "moved stack" // out of one stack into another (ownStack)
)

// TenantChange is one tenant whose place, size, tier or migration changed.
type TenantChange struct {
	ID   string `json:"id"`
	Tier string `json:"tier"`
	// Kind is one of the Kind constants.
	Kind     string          `json:"kind"`
	From     string          `json:"from,omitempty"` // placement, sizing, tier or stack before
	To       string          `json:"to,omitempty"`
	Baseline decimal.Decimal `json:"baseline"`
	New      decimal.Decimal `json:"new"`
	// KeptUSD is what the tenant's dedicated stack costs a month in the
	// head while a migration keeps it.
	KeptUSD decimal.Decimal `json:"keptStack"`
	// Unsafe is set on a move off a dedicated stack with no migration
	// entry: the stack and its data go at once.
	Unsafe bool `json:"unsafe,omitempty"`
}

// Change is new minus baseline.
func (t TenantChange) Change() decimal.Decimal { return cents(t.New).Sub(cents(t.Baseline)) }

// AttributeChange is one sizing input of a resource, before and after.
type AttributeChange struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// ResourceChange is a resource whose sizing changed, or that was added or
// removed without a tenant change to explain it.
type ResourceChange struct {
	Address    string            `json:"address"`
	URN        string            `json:"urn"`
	Type       string            `json:"type"`
	Kind       string            `json:"kind"` // changed, added or removed
	Attributes []AttributeChange `json:"attributes"`
	Baseline   decimal.Decimal   `json:"baseline"`
	New        decimal.Decimal   `json:"new"`
}

// Change is new minus baseline.
func (r ResourceChange) Change() decimal.Decimal { return cents(r.New).Sub(cents(r.Baseline)) }

// TypeChange is the cost change of one resource type.
type TypeChange struct {
	Type          string          `json:"type"`
	BaselineCount int             `json:"baselineCount"`
	NewCount      int             `json:"newCount"`
	Baseline      decimal.Decimal `json:"baseline"`
	New           decimal.Decimal `json:"new"`
}

// Change is new minus baseline.
func (t TypeChange) Change() decimal.Decimal { return cents(t.New).Sub(cents(t.Baseline)) }

// StackDiff is one stack's change.
type StackDiff struct {
	Name    string `json:"name"`
	Added   bool   `json:"added"`   // a new stack: no baseline
	Removed bool   `json:"removed"` // the stack is gone
	// Baseline and New are the stack's monthly cost before and after.
	Baseline decimal.Decimal `json:"baseline"`
	New      decimal.Decimal `json:"new"`
	// BudgetUSD is the stack's budget at the base (a pull request cannot
	// raise the budget it is held to); a new stack's is its own.
	BudgetUSD int              `json:"budgetUsd"`
	Tenants   []TenantChange   `json:"tenants"`
	Resources []ResourceChange `json:"resources"`
	// OtherTenants counts shared tenants whose allocated share changed only
	// because the shared tier's cost or population changed, and by how
	// much in all; OtherDedicated the same for dedicated tenants (their
	// share of the account baseline).
	OtherTenants        int             `json:"otherTenants"`
	OtherTenantsDelta   decimal.Decimal `json:"otherTenantsChange"`
	OtherDedicated      int             `json:"otherDedicatedTenants"`
	OtherDedicatedDelta decimal.Decimal `json:"otherDedicatedTenantsChange"`
	Types               []TypeChange    `json:"types"`
	// Unpriced lists what the head's (and, apart, the base's) cost model
	// could not price: the change is then off by an unknown amount.
	Unpriced     []string `json:"unpriced"`
	BaseUnpriced []string `json:"baseUnpriced"`

	bp, hp *Project              // the two reports, for what a join of moves recomputes
	bt, ht map[string]tenantInfo // their tenants
}

// Change is new minus baseline.
func (s StackDiff) Change() decimal.Decimal { return cents(s.New).Sub(cents(s.Baseline)) }

// KeptUSD is what the dedicated stacks kept by migrations in progress cost
// a month in the head.
func (s StackDiff) KeptUSD() decimal.Decimal {
	t := decimal.Zero
	for _, tc := range s.Tenants {
		if tc.Kind == KindStarted || tc.Kind == KindVerified {
			t = t.Add(cents(tc.KeptUSD))
		}
	}
	return t
}

// Changed reports whether the stack's cost or what it holds changed.
func (s StackDiff) Changed() bool {
	return s.Added || s.Removed || !s.Change().IsZero() || len(s.Tenants) > 0 || len(s.Resources) > 0 ||
		len(s.Unpriced) > 0 || len(s.BaseUnpriced) > 0
}

// Result is the whole diff.
type Result struct {
	Stacks []StackDiff `json:"stacks"`
	// BaseCommit and HeadCommit are the commits compared, from the reports'
	// metadata ("" when unknown); HeadDirty: the head has uncommitted changes.
	BaseCommit string `json:"baseCommit"`
	HeadCommit string `json:"headCommit"`
	HeadDirty  bool   `json:"headUncommitted"`
}

// Baseline is the cost of every stack before.
func (r *Result) Baseline() decimal.Decimal {
	t := decimal.Zero
	for _, s := range r.Stacks {
		t = t.Add(cents(s.Baseline))
	}
	return t
}

// New is the cost of every stack after.
func (r *Result) New() decimal.Decimal {
	t := decimal.Zero
	for _, s := range r.Stacks {
		t = t.Add(cents(s.New))
	}
	return t
}

// Change is the monthly change over all stacks.
func (r *Result) Change() decimal.Decimal { return r.New().Sub(r.Baseline()) }

// Changed lists the stacks that changed; Unchanged counts the others.
func (r *Result) Changed() []StackDiff {
	var out []StackDiff
	for _, s := range r.Stacks {
		if s.Changed() {
			out = append(out, s)
		}
	}
	return out
}

// Unpriced lists every component that either side could not price, each
// named with its stack and side; non-empty: the change cannot be trusted.
func (r *Result) Unpriced() []string {
	out := []string{}
	for _, s := range r.Stacks {
		for _, u := range s.Unpriced {
			out = append(out, s.Name+" (head): "+u)
		}
		for _, u := range s.BaseUnpriced {
			out = append(out, s.Name+" (base): "+u)
		}
	}
	return out
}

// Diff compares base with head, stack by stack (projects are matched by name).
func Diff(base, head []*Doc) (*Result, error) {
	b, err := index(base)
	if err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	h, err := index(head)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	res := &Result{BaseCommit: commitOf(base), HeadCommit: commitOf(head), HeadDirty: dirty(head)}
	for _, n := range unionKeys(b, h) {
		res.Stacks = append(res.Stacks, diffStack(n, b[n], h[n]))
	}
	res.joinStackMoves()
	return res, nil
}

func index(docs []*Doc) (map[string]*Project, error) {
	out := map[string]*Project{}
	for _, d := range docs {
		for i := range d.Projects {
			p := &d.Projects[i]
			if _, dup := out[p.Name]; dup {
				return nil, fmt.Errorf("stack %s is given twice", p.Name)
			}
			out[p.Name] = p
		}
	}
	return out, nil
}

func unionKeys[V any](a, b map[string]V) []string {
	names := map[string]bool{}
	for n := range a {
		names[n] = true
	}
	for n := range b {
		names[n] = true
	}
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func commitOf(docs []*Doc) string {
	for _, d := range docs {
		if d.Metadata.Commit != "" {
			return d.Metadata.Commit
		}
	}
	return ""
}

// dirty reports whether any report priced uncommitted changes (the stack
// resource says so).
func dirty(docs []*Doc) bool {
	for _, d := range docs {
		for i := range d.Projects {
			if s := stackMeta(&d.Projects[i]); s != nil {
				if v, _ := s["uncommittedChanges"].(bool); v {
					return true
				}
			}
		}
	}
	return false
}

func stackMeta(p *Project) map[string]any {
	if p == nil {
		return nil
	}
	for _, r := range p.Breakdown.Resources {
		if r.Name == StackResourceName {
			return r.Metadata
		}
	}
	return nil
}

func diffStack(name string, bp, hp *Project) StackDiff {
	s := StackDiff{Name: name, Added: bp == nil, Removed: hp == nil, bp: bp, hp: hp}
	var budget int
	if bp != nil {
		s.Baseline = money(bp.Breakdown.TotalMonthlyCost)
		s.bt, s.BudgetUSD = tenants(bp)
	}
	if hp != nil {
		s.New = money(hp.Breakdown.TotalMonthlyCost)
		s.ht, budget = tenants(hp)
		if bp == nil {
			s.BudgetUSD = budget
		}
	}
	s.tenantChanges(s.bt, s.ht)
	s.explainResources(nil)
	s.Types = typeChanges(types(bp), types(hp))
	s.Unpriced, s.BaseUnpriced = unpriced(hp), unpriced(bp)
	return s
}

// unpriced reads the list the cost report keeps in its stack resource.
func unpriced(p *Project) []string {
	out := []string{}
	list, _ := stackMeta(p)["unpriced"].([]any)
	for _, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func types(p *Project) map[string]*TypeChange {
	out := map[string]*TypeChange{}
	if p == nil {
		return out
	}
	for _, r := range p.Breakdown.Resources {
		t := r.meta("resourceType")
		if t == "" {
			continue
		}
		tc := out[t]
		if tc == nil {
			tc = &TypeChange{Type: t}
			out[t] = tc
		}
		tc.NewCount++
		tc.New = tc.New.Add(money(r.MonthlyCost))
	}
	return out
}

func typeChanges(base, head map[string]*TypeChange) []TypeChange {
	var out []TypeChange
	for _, n := range unionKeys(base, head) {
		tc := TypeChange{Type: n}
		if b := base[n]; b != nil {
			tc.BaselineCount, tc.Baseline = b.NewCount, b.New
		}
		if h := head[n]; h != nil {
			tc.NewCount, tc.New = h.NewCount, h.New
		}
		if tc.BaselineCount != tc.NewCount || !tc.Change().IsZero() {
			out = append(out, tc)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Change().Abs().GreaterThan(out[j].Change().Abs()) })
	return out
}
