package costing

import (
	"encoding/json"
	"io"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
)

// The Infracost JSON format (schema/infracost.schema.json), so tools built
// for `infracost breakdown --format json` read tenancy's output unchanged.
// Before is pastBreakdown, after is breakdown.

type icRoot struct {
	Version              string      `json:"version"`
	Currency             string      `json:"currency"`
	Projects             []icProject `json:"projects"`
	TotalHourlyCost      *string     `json:"totalHourlyCost"`
	TotalMonthlyCost     *string     `json:"totalMonthlyCost"`
	PastTotalHourlyCost  *string     `json:"pastTotalHourlyCost"`
	PastTotalMonthlyCost *string     `json:"pastTotalMonthlyCost"`
	DiffTotalHourlyCost  *string     `json:"diffTotalHourlyCost"`
	DiffTotalMonthlyCost *string     `json:"diffTotalMonthlyCost"`
	TimeGenerated        string      `json:"timeGenerated"`
	Summary              icSummary   `json:"summary"`
}

type icProject struct {
	Name          string            `json:"name"`
	Metadata      map[string]string `json:"metadata"`
	PastBreakdown icBreakdown       `json:"pastBreakdown"`
	Breakdown     icBreakdown       `json:"breakdown"`
	Diff          icBreakdown       `json:"diff"`
	Summary       icSummary         `json:"summary"`
}

type icBreakdown struct {
	Resources        []icResource `json:"resources"`
	TotalHourlyCost  *string      `json:"totalHourlyCost"`
	TotalMonthlyCost *string      `json:"totalMonthlyCost"`
}

type icResource struct {
	Name           string            `json:"name"`
	Tags           map[string]string `json:"tags,omitempty"`
	Metadata       map[string]any    `json:"metadata"`
	HourlyCost     *string           `json:"hourlyCost"`
	MonthlyCost    *string           `json:"monthlyCost"`
	CostComponents []icComponent     `json:"costComponents,omitempty"`
}

type icComponent struct {
	Name            string  `json:"name"`
	Unit            string  `json:"unit"`
	HourlyQuantity  *string `json:"hourlyQuantity"`
	MonthlyQuantity *string `json:"monthlyQuantity"`
	Price           *string `json:"price"`
	HourlyCost      *string `json:"hourlyCost"`
	MonthlyCost     *string `json:"monthlyCost"`
}

type icSummary struct {
	TotalResources          int            `json:"totalResources"`
	TotalSupportedResources int            `json:"totalSupportedResources"`
	TotalNoPriceResources   int            `json:"totalNoPriceResources"`
	TotalUnsupported        int            `json:"totalUnsupportedResources"`
	SupportedResourceCounts map[string]int `json:"supportedResourceCounts"`
	NoPriceResourceCounts   map[string]int `json:"noPriceResourceCounts"`
	UnsupportedCounts       map[string]int `json:"unsupportedResourceCounts"`
}

func str(d decimal.Decimal) *string {
	s := d.StringFixed(6)
	return &s
}

func hourly(monthly decimal.Decimal) *string { return str(monthly.Div(cost.HoursPerMonth)) }

func breakdown(e *Estimate) (icBreakdown, map[string]decimal.Decimal) {
	out := icBreakdown{Resources: []icResource{}}
	costs := map[string]decimal.Decimal{}
	for _, r := range e.Resources {
		if r.FreeReason != "" {
			continue
		}
		m := r.MonthlyCost()
		costs[r.Name] = m
		res := icResource{Name: r.Name, HourlyCost: hourly(m), MonthlyCost: str(m),
			Metadata: map[string]any{"resourceType": r.Type, "line": string(r.Line), "tenant": r.Tenant, "sharedTier": r.Shared, "topology": e.Topology}}
		for _, c := range r.Components {
			q := c.Quantity
			ic := icComponent{Name: c.Name, Unit: c.Unit, MonthlyQuantity: str(q), HourlyQuantity: str(q.Div(cost.HoursPerMonth))}
			if c.PriceFound() {
				ic.Price, ic.MonthlyCost, ic.HourlyCost = str(c.Price.USD), str(c.MonthlyCost()), hourly(c.MonthlyCost())
			}
			res.CostComponents = append(res.CostComponents, ic)
		}
		out.Resources = append(out.Resources, res)
	}
	out.Resources = append(out.Resources, stackResource(e))
	t := e.Total()
	out.TotalMonthlyCost, out.TotalHourlyCost = str(t), hourly(t)
	return out, costs
}

// StackResourceName names the zero-cost resource whose metadata carries what
// Infracost's format has no field for: each tenant's tier, placement, sizing
// and allocated cost, and the stack's budget. It costs nothing, so every
// total stays right for tools that sum resources.
const StackResourceName = cost.StackResourceName

func stackResource(e *Estimate) icResource {
	tenants := make([]map[string]any, len(e.Tenants))
	for i, t := range e.Tenants {
		tenants[i] = map[string]any{"id": t.ID, "tier": string(t.Tier), "placement": string(t.Placement),
			"monthlyCost": t.Monthly.StringFixed(6), "sizing": t.Sizing}
	}
	zero := decimal.Zero
	return icResource{Name: StackResourceName, HourlyCost: str(zero), MonthlyCost: str(zero), Metadata: map[string]any{
		"kind": "tenancy-stack", "stack": e.Stack, "topology": e.Topology, "region": e.Region,
		"budgetUsd": e.BudgetUSD, "tenants": tenants, "unpriced": e.Gaps(),
	}}
}

func summary(e *Estimate) icSummary {
	s := icSummary{SupportedResourceCounts: map[string]int{}, NoPriceResourceCounts: map[string]int{}, UnsupportedCounts: map[string]int{}}
	for _, r := range e.Resources {
		s.TotalResources++
		if r.FreeReason != "" {
			s.NoPriceResourceCounts[r.Type]++
			s.TotalNoPriceResources++
		} else {
			s.SupportedResourceCounts[r.Type]++
			s.TotalSupportedResources++
		}
	}
	for _, t := range e.Unpriced {
		s.UnsupportedCounts[t]++
		s.TotalUnsupported++
	}
	return s
}

// WriteJSON writes the report in Infracost's JSON format.
func (r *Report) WriteJSON(w io.Writer, now time.Time) error {
	past, pastCosts := breakdown(r.Before)
	cur, curCosts := breakdown(r.After)
	diff := icBreakdown{Resources: []icResource{}}
	names := map[string]bool{}
	for n := range pastCosts {
		names[n] = true
	}
	for n := range curCosts {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		d := curCosts[n].Sub(pastCosts[n])
		if d.IsZero() {
			continue
		}
		diff.Resources = append(diff.Resources, icResource{Name: n, Metadata: map[string]any{}, HourlyCost: hourly(d), MonthlyCost: str(d)})
	}
	dt := r.After.Total().Sub(r.Before.Total())
	diff.TotalMonthlyCost, diff.TotalHourlyCost = str(dt), hourly(dt)
	sum := summary(r.After)
	doc := icRoot{
		Version: "0.2", Currency: "USD",
		Projects: []icProject{{Name: r.Project + "/" + r.Stack, Metadata: map[string]string{"path": ".", "type": "pulumi"},
			PastBreakdown: past, Breakdown: cur, Diff: diff, Summary: sum}},
		TotalMonthlyCost: cur.TotalMonthlyCost, TotalHourlyCost: cur.TotalHourlyCost,
		PastTotalMonthlyCost: past.TotalMonthlyCost, PastTotalHourlyCost: past.TotalHourlyCost,
		DiffTotalMonthlyCost: diff.TotalMonthlyCost, DiffTotalHourlyCost: diff.TotalHourlyCost,
		TimeGenerated: now.UTC().Format(time.RFC3339), Summary: sum,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}
