package costing

import (
	"encoding/json"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/vcs"
)

// Infracost's current JSON format (its schema/infracost.schema.json at
// commit 95ba4f4, output version 0.2), so Infracost's own CLI (`infracost
// output`) and tools built for `infracost breakdown --format json` read
// tenancy's output. Before is pastBreakdown, after is breakdown. Costs
// estimated from the workload model are usage costs, as Infracost splits
// them from the baseline a configuration fixes.

type icRoot struct {
	Version                   string      `json:"version"`
	Metadata                  icMetadata  `json:"metadata"`
	Currency                  string      `json:"currency"`
	Projects                  []icProject `json:"projects"`
	TotalHourlyCost           *string     `json:"totalHourlyCost"`
	TotalMonthlyCost          *string     `json:"totalMonthlyCost"`
	TotalMonthlyUsageCost     *string     `json:"totalMonthlyUsageCost"`
	PastTotalHourlyCost       *string     `json:"pastTotalHourlyCost"`
	PastTotalMonthlyCost      *string     `json:"pastTotalMonthlyCost"`
	PastTotalMonthlyUsageCost *string     `json:"pastTotalMonthlyUsageCost"`
	DiffTotalHourlyCost       *string     `json:"diffTotalHourlyCost"`
	DiffTotalMonthlyCost      *string     `json:"diffTotalMonthlyCost"`
	DiffTotalMonthlyUsageCost *string     `json:"diffTotalMonthlyUsageCost"`
	TimeGenerated             string      `json:"timeGenerated"`
	Summary                   icSummary   `json:"summary"`
}

// icMetadata is the run's VCS facts, which Infracost requires; a diff's
// comment names its base and head commits from them.
type icMetadata struct {
	Command     string `json:"infracostCommand"`
	Branch      string `json:"vcsBranch"`
	Commit      string `json:"vcsCommitSha"`
	AuthorName  string `json:"vcsCommitAuthorName"`
	AuthorEmail string `json:"vcsCommitAuthorEmail"`
	Timestamp   string `json:"vcsCommitTimestamp"`
	Message     string `json:"vcsCommitMessage"`
}

type icProject struct {
	Name          string            `json:"name"`
	DisplayName   string            `json:"displayName"`
	Metadata      map[string]string `json:"metadata"`
	PastBreakdown icBreakdown       `json:"pastBreakdown"`
	Breakdown     icBreakdown       `json:"breakdown"`
	Diff          icBreakdown       `json:"diff"`
	Summary       icSummary         `json:"summary"`
}

type icBreakdown struct {
	Resources             []icResource `json:"resources"`
	TotalHourlyCost       *string      `json:"totalHourlyCost"`
	TotalMonthlyCost      *string      `json:"totalMonthlyCost"`
	TotalMonthlyUsageCost *string      `json:"totalMonthlyUsageCost"`
}

type icResource struct {
	Name             string            `json:"name"`
	ResourceType     string            `json:"resourceType,omitempty"`
	Tags             map[string]string `json:"tags,omitempty"`
	Metadata         map[string]any    `json:"metadata"`
	HourlyCost       *string           `json:"hourlyCost"`
	MonthlyCost      *string           `json:"monthlyCost"`
	MonthlyUsageCost *string           `json:"monthlyUsageCost,omitempty"`
	CostComponents   []icComponent     `json:"costComponents,omitempty"`
}

type icComponent struct {
	Name            string  `json:"name"`
	Unit            string  `json:"unit"`
	HourlyQuantity  *string `json:"hourlyQuantity"`
	MonthlyQuantity *string `json:"monthlyQuantity"`
	Price           *string `json:"price"`
	HourlyCost      *string `json:"hourlyCost"`
	MonthlyCost     *string `json:"monthlyCost"`
	UsageBased      bool    `json:"usageBased,omitempty"`
	PriceNotFound   bool    `json:"priceNotFound"`
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

// resourceCost is one resource's monthly cost and the part of it that is
// usage, by URN: what the project's diff subtracts.
type resourceCost struct{ monthly, usage decimal.Decimal }

// breakdown is one estimate's resources; dirty marks the stack resource of
// a report that priced uncommitted changes.
func breakdown(e *Estimate, dirty bool) (icBreakdown, map[string]resourceCost) {
	out := icBreakdown{Resources: []icResource{}}
	costs := map[string]resourceCost{}
	names := addresses(e.Resources)
	usageTotal := decimal.Zero
	for _, r := range e.Resources {
		if r.FreeReason != "" {
			continue
		}
		m := r.MonthlyCost()
		res := icResource{Name: names[r.Name], ResourceType: r.Type, HourlyCost: hourly(m), MonthlyCost: str(m),
			Metadata: map[string]any{"urn": r.Name, "resourceType": r.Type, "line": string(r.Line), "tenant": r.Tenant,
				"sharedTier": r.Shared, "topology": e.Topology, "attributes": attributesOf(r)}}
		u := decimal.Zero
		for _, c := range r.Components {
			q := c.Quantity
			ic := icComponent{Name: c.Name, Unit: c.Unit, MonthlyQuantity: str(q), HourlyQuantity: str(q.Div(cost.HoursPerMonth)),
				UsageBased: c.UsageBased(), PriceNotFound: !c.PriceFound()}
			if c.PriceFound() {
				ic.Price, ic.MonthlyCost, ic.HourlyCost = str(c.Price.USD), str(c.MonthlyCost()), hourly(c.MonthlyCost())
			}
			if c.UsageBased() {
				u = u.Add(c.MonthlyCost())
			}
			res.CostComponents = append(res.CostComponents, ic)
		}
		res.MonthlyUsageCost = str(u)
		usageTotal = usageTotal.Add(u)
		costs[r.Name] = resourceCost{m, u}
		out.Resources = append(out.Resources, res)
	}
	out.Resources = append(out.Resources, stackResource(e, dirty))
	t := e.Total()
	out.TotalMonthlyCost, out.TotalHourlyCost, out.TotalMonthlyUsageCost = str(t), hourly(t), str(usageTotal)
	return out, costs
}

func attributesOf(r cost.Resource) map[string]string {
	if r.Attributes == nil {
		return map[string]string{}
	}
	return r.Attributes
}

// addresses names each priced resource by its short address, by URN; two
// resources of one address (a database and its parameter group, say) are
// told apart by their type's module and name: "acme/acme-db[rds/instance]".
func addresses(rs []cost.Resource) map[string]string {
	count, seen := map[string]int{}, map[string]bool{}
	for _, r := range rs {
		if r.FreeReason == "" && !seen[r.Name] {
			seen[r.Name] = true
			count[addressOf(r)]++
		}
	}
	out := make(map[string]string, len(rs))
	for _, r := range rs {
		a := addressOf(r)
		if count[a] > 1 {
			module, _, _ := strings.Cut(strings.TrimPrefix(r.Type, "aws:"), ":")
			a += "[" + module + "]"
		}
		out[r.Name] = a
	}
	return out
}

func addressOf(r cost.Resource) string {
	if r.Address == "" {
		return r.Name
	}
	return r.Address
}

// StackResourceName names the zero-cost resource whose metadata carries what
// Infracost's format has no field for: each tenant's tier, placement, sizing
// and allocated cost, and the stack's budget. It costs nothing, so every
// total stays right for tools that sum resources.
const StackResourceName = cost.StackResourceName

func stackResource(e *Estimate, dirty bool) icResource {
	tenants := make([]map[string]any, len(e.Tenants))
	for i, t := range e.Tenants {
		tenants[i] = map[string]any{"id": t.ID, "tier": string(t.Tier), "placement": string(t.Placement),
			"monthlyCost": t.Monthly.StringFixed(6), "sizing": t.Sizing, "migration": string(t.Phase),
			"decommission": t.Decommission}
	}
	zero := decimal.Zero
	return icResource{Name: StackResourceName, HourlyCost: str(zero), MonthlyCost: str(zero), Metadata: map[string]any{
		"kind": "tenancy-stack", "stack": e.Stack, "topology": e.Topology, "region": e.Region,
		"budgetUsd": e.BudgetUSD, "tenants": tenants, "unpriced": e.Gaps(), "uncommittedChanges": dirty,
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

// metadataOf is Infracost's run metadata from the commit priced. Outside git
// the facts are empty and the time is Go's zero time, as Infracost writes it.
func metadataOf(f vcs.Facts) icMetadata {
	return icMetadata{Command: "tenancy cost", Branch: f.Branch, Commit: f.Commit, AuthorName: f.AuthorName,
		AuthorEmail: f.AuthorEmail, Timestamp: f.Time.UTC().Format(time.RFC3339), Message: f.Message}
}

// WriteJSON writes the report in Infracost's JSON format.
func (r *Report) WriteJSON(w io.Writer, now time.Time) error {
	past, pastCosts := breakdown(r.Before, r.VCS.Dirty)
	cur, curCosts := breakdown(r.After, r.VCS.Dirty)
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
	addrs := addresses(append(append([]cost.Resource{}, r.Before.Resources...), r.After.Resources...))
	usageDiff := decimal.Zero
	for _, n := range sorted {
		d := curCosts[n].monthly.Sub(pastCosts[n].monthly)
		u := curCosts[n].usage.Sub(pastCosts[n].usage)
		usageDiff = usageDiff.Add(u)
		if d.IsZero() {
			continue
		}
		diff.Resources = append(diff.Resources, icResource{Name: addrs[n], Metadata: map[string]any{"urn": n}, HourlyCost: hourly(d),
			MonthlyCost: str(d), MonthlyUsageCost: str(u)})
	}
	dt := r.After.Total().Sub(r.Before.Total())
	diff.TotalMonthlyCost, diff.TotalHourlyCost, diff.TotalMonthlyUsageCost = str(dt), hourly(dt), str(usageDiff)
	sum := summary(r.After)
	name := r.Project + "/" + r.Stack
	doc := icRoot{
		Version: "0.2", Currency: "USD", Metadata: metadataOf(r.VCS),
		Projects: []icProject{{Name: name, DisplayName: name, Metadata: map[string]string{"path": ".", "type": "pulumi"},
			PastBreakdown: past, Breakdown: cur, Diff: diff, Summary: sum}},
		TotalMonthlyCost: cur.TotalMonthlyCost, TotalHourlyCost: cur.TotalHourlyCost, TotalMonthlyUsageCost: cur.TotalMonthlyUsageCost,
		PastTotalMonthlyCost: past.TotalMonthlyCost, PastTotalHourlyCost: past.TotalHourlyCost, PastTotalMonthlyUsageCost: past.TotalMonthlyUsageCost,
		DiffTotalMonthlyCost: diff.TotalMonthlyCost, DiffTotalHourlyCost: diff.TotalHourlyCost, DiffTotalMonthlyUsageCost: diff.TotalMonthlyUsageCost,
		TimeGenerated: now.UTC().Format(time.RFC3339), Summary: sum,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}
