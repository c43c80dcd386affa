// Package costdiff compares two sets of tenancy cost reports (Infracost's
// JSON, as `tenancy cost --format json` writes it) stack by stack: what a
// pull request does to the monthly bill, by tenant and by resource type.
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
	Projects []Project `json:"projects"`
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

// TenantChange is one tenant whose place or size changed.
type TenantChange struct {
	ID   string `json:"id"`
	Tier string `json:"tier"`
	// Kind is added, removed, moved (between shared and dedicated) or resized.
	Kind          string          `json:"kind"`
	From          string          `json:"from,omitempty"` // placement or sizing before
	To            string          `json:"to,omitempty"`
	Baseline      decimal.Decimal `json:"baseline"`
	New           decimal.Decimal `json:"new"`
	BaselineKnown bool            `json:"-"`
}

// Change is new minus baseline.
func (t TenantChange) Change() decimal.Decimal { return cents(t.New).Sub(cents(t.Baseline)) }

// cents is an amount as the comment shows it. Changes and totals are made
// of shown amounts, so every total equals the sum of its shown rows (a
// total of unrounded amounts was off by a cent from its rows).
func cents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// TypeChange is the cost change of one resource type.
type TypeChange struct {
	Type          string          `json:"type"`
	BaselineCount int             `json:"baselineCount"`
	NewCount      int             `json:"newCount"`
	Baseline      decimal.Decimal `json:"baseline"`
	New           decimal.Decimal `json:"new"`
}

// Change is new minus baseline.
func (t TypeChange) Change() decimal.Decimal { return t.New.Sub(t.Baseline) }

// StackDiff is one stack's change.
type StackDiff struct {
	Name      string          `json:"name"`
	Added     bool            `json:"added"`   // a new stack: no baseline
	Removed   bool            `json:"removed"` // the stack is gone
	Baseline  decimal.Decimal `json:"baseline"`
	New       decimal.Decimal `json:"new"`
	BudgetUSD int             `json:"budgetUsd"`
	Tenants   []TenantChange  `json:"tenants"`
	// OtherTenants counts tenants whose allocated share changed only because
	// the shared tier's cost or population changed, and by how much in all.
	OtherTenants      int             `json:"otherTenants"`
	OtherTenantsDelta decimal.Decimal `json:"otherTenantsChange"`
	Types             []TypeChange    `json:"types"`
	// Unpriced lists what the head's (and, apart, the base's) cost model
	// could not price: the change is then off by an unknown amount.
	Unpriced     []string `json:"unpriced"`
	BaseUnpriced []string `json:"baseUnpriced"`
}

// Change is new minus baseline.
func (s StackDiff) Change() decimal.Decimal { return cents(s.New).Sub(cents(s.Baseline)) }

// Result is the whole diff.
type Result struct {
	Stacks []StackDiff `json:"stacks"`
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

// unpriced reads the list the cost report keeps in its stack resource.
func unpriced(p *Project) []string {
	out := []string{}
	if p == nil {
		return out
	}
	for _, r := range p.Breakdown.Resources {
		if r.Name != StackResourceName {
			continue
		}
		list, _ := r.Metadata["unpriced"].([]any)
		for _, item := range list {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

type tenantInfo struct {
	tier, placement, sizing string
	cost                    decimal.Decimal
}

func tenants(p *Project) (map[string]tenantInfo, int) {
	out := map[string]tenantInfo{}
	budget := 0
	for _, r := range p.Breakdown.Resources {
		if r.Name != StackResourceName {
			continue
		}
		if b, ok := r.Metadata["budgetUsd"].(float64); ok {
			budget = int(b)
		}
		list, _ := r.Metadata["tenants"].([]any)
		for _, item := range list {
			m, _ := item.(map[string]any)
			id, _ := m["id"].(string)
			tier, _ := m["tier"].(string)
			placement, _ := m["placement"].(string)
			sizing, _ := m["sizing"].(string)
			c, _ := m["monthlyCost"].(string)
			out[id] = tenantInfo{tier: tier, placement: placement, sizing: sizing, cost: money(&c)}
		}
	}
	return out, budget
}

func types(p *Project) map[string]*TypeChange {
	out := map[string]*TypeChange{}
	if p == nil {
		return out
	}
	for _, r := range p.Breakdown.Resources {
		t, _ := r.Metadata["resourceType"].(string)
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

// Diff compares base with head, stack by stack (projects are matched by name).
func Diff(base, head []*Doc) (*Result, error) {
	index := func(docs []*Doc) (map[string]*Project, error) {
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
	b, err := index(base)
	if err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	h, err := index(head)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	names := map[string]bool{}
	for n := range b {
		names[n] = true
	}
	for n := range h {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	res := &Result{}
	for _, n := range sorted {
		bp, hp := b[n], h[n]
		s := StackDiff{Name: n, Added: bp == nil, Removed: hp == nil}
		var bt, ht map[string]tenantInfo
		if bp != nil {
			s.Baseline = money(bp.Breakdown.TotalMonthlyCost)
			bt, _ = tenants(bp)
		}
		if hp != nil {
			s.New = money(hp.Breakdown.TotalMonthlyCost)
			ht, s.BudgetUSD = tenants(hp)
		}
		s.Tenants, s.OtherTenants, s.OtherTenantsDelta = tenantChanges(bt, ht)
		s.Types = typeChanges(types(bp), types(hp))
		s.Unpriced, s.BaseUnpriced = unpriced(hp), unpriced(bp)
		res.Stacks = append(res.Stacks, s)
	}
	return res, nil
}

func tenantChanges(base, head map[string]tenantInfo) ([]TenantChange, int, decimal.Decimal) {
	ids := map[string]bool{}
	for id := range base {
		ids[id] = true
	}
	for id := range head {
		ids[id] = true
	}
	var out []TenantChange
	others, delta := 0, decimal.Zero
	for id := range ids {
		b, inBase := base[id]
		h, inHead := head[id]
		switch {
		case !inBase:
			out = append(out, TenantChange{ID: id, Tier: h.tier, Kind: "added", To: describe(h), New: h.cost})
		case !inHead:
			out = append(out, TenantChange{ID: id, Tier: b.tier, Kind: "removed", From: describe(b), Baseline: b.cost})
		case b.placement != h.placement:
			out = append(out, TenantChange{ID: id, Tier: h.tier, Kind: "moved", From: describe(b), To: describe(h), Baseline: b.cost, New: h.cost})
		case b.sizing != h.sizing:
			out = append(out, TenantChange{ID: id, Tier: h.tier, Kind: "resized", From: describe(b), To: describe(h), Baseline: b.cost, New: h.cost})
		case b.tier != h.tier:
			out = append(out, TenantChange{ID: id, Tier: h.tier, Kind: "tier " + b.tier + " → " + h.tier, From: describe(b), To: describe(h), Baseline: b.cost, New: h.cost})
		default:
			if d := h.cost.Sub(b.cost); d.Abs().GreaterThanOrEqual(decimal.NewFromFloat(0.005)) {
				others++
				delta = delta.Add(d)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out, others, delta
}

func describe(t tenantInfo) string {
	if t.placement == "dedicated" && t.sizing != "" {
		return "dedicated (" + t.sizing + ")"
	}
	return t.placement
}

func typeChanges(base, head map[string]*TypeChange) []TypeChange {
	names := map[string]bool{}
	for n := range base {
		names[n] = true
	}
	for n := range head {
		names[n] = true
	}
	var out []TypeChange
	for n := range names {
		tc := TypeChange{Type: n}
		if b := base[n]; b != nil {
			tc.BaselineCount, tc.Baseline = b.NewCount, b.New
		}
		if h := head[n]; h != nil {
			tc.NewCount, tc.New = h.NewCount, h.New
		}
		if tc.BaselineCount != tc.NewCount || !tc.Change().Round(2).IsZero() {
			out = append(out, tc)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].Change().Abs().Cmp(out[j].Change().Abs()); c != 0 {
			return c > 0
		}
		return out[i].Type < out[j].Type
	})
	return out
}
