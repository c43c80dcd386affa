package costing

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/stacks"
)

// allocate gives every tenant its cost: a dedicated tenant its own stack; a
// shared tenant its share of each shared component by the workload quantity
// that component follows (its Driver: storage by dbStorageGb, LCUs and egress
// by dataOutGb...; fixed costs such as instance hours by requests). Stack-wide
// resources (the certificate, the access-log bucket) are split the same way
// over every tenant.
func (p *pricer) allocate(resources []cost.Resource) ([]TenantCost, error) {
	byID := map[string]decimal.Decimal{}
	// Pool the shared costs by who shares them and what they follow, then
	// split each pool once: linear in resources plus tenants.
	type pool struct {
		shared bool
		driver cost.Driver
	}
	pools := map[pool]decimal.Decimal{}
	for _, r := range resources {
		if r.Tenant != "" {
			byID[r.Tenant] = byID[r.Tenant].Add(r.MonthlyCost())
			continue
		}
		for _, c := range r.Components {
			if amount := c.MonthlyCost(); !amount.IsZero() {
				k := pool{r.Shared, c.Follows()}
				pools[k] = pools[k].Add(amount)
			}
		}
	}
	keys := make([]pool, 0, len(pools))
	for k := range pools {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].shared != keys[j].shared {
			return keys[i].shared
		}
		return keys[i].driver < keys[j].driver
	})
	for _, k := range keys {
		over := p.all
		if k.shared {
			over = p.shared
		}
		if len(over) == 0 {
			continue
		}
		values := make([]float64, len(over))
		total := 0.0
		for i, id := range over {
			v, ok := p.workload[id].Quantity(k.driver)
			if !ok {
				return nil, fmt.Errorf("costing: a cost follows %q, which is no workload quantity; add it to stacks.Workload.Quantity", k.driver)
			}
			values[i] = v
			total += v
		}
		amount := pools[k]
		for i, id := range over {
			share := decimal.NewFromInt(1).Div(decimal.NewFromInt(int64(len(over))))
			if total > 0 {
				share = decimal.NewFromFloat(values[i] / total)
			}
			byID[id] = byID[id].Add(amount.Mul(share))
		}
	}
	dedicated := map[string]bool{}
	for _, id := range p.g.DedicatedTenantIDs() {
		dedicated[id] = true
	}
	var out []TenantCost
	for _, t := range p.cfg.Tenants {
		if _, ok := byID[t.ID]; !ok {
			continue
		}
		tc := TenantCost{ID: t.ID, Tier: t.Tier, Placement: stacks.Shared, Monthly: byID[t.ID], Decommission: t.Decommission}
		if t.Migration != nil {
			tc.Phase = t.Phase()
		}
		if dedicated[t.ID] && !p.isShared[t.ID] {
			s := t.Sizing.Resolved()
			tc.Placement = stacks.Dedicated
			tc.Sizing = fmt.Sprintf("%s, %s %d GB, %s", s.AppInstanceType, s.DBInstanceClass, t.DedicatedDBStorageGB(), s.CacheNodeType)
		}
		out = append(out, tc)
	}
	return out, nil
}

// Total is the monthly cost of every resource.
func (e *Estimate) Total() decimal.Decimal {
	total := decimal.Zero
	for _, r := range e.Resources {
		total = total.Add(r.MonthlyCost())
	}
	return total
}

// ByLine sums the cost per article line item.
func (e *Estimate) ByLine() map[cost.Line]decimal.Decimal {
	out := map[cost.Line]decimal.Decimal{}
	for _, r := range e.Resources {
		for _, c := range r.Components {
			l := r.LineOf(c)
			out[l] = out[l].Add(c.MonthlyCost())
		}
	}
	return out
}

// TypeCost is the cost and count of one resource type.
type TypeCost struct {
	Type    string
	Count   int
	Monthly decimal.Decimal
}

// ByType sums the cost per resource type, most expensive first.
func (e *Estimate) ByType() []TypeCost {
	m := map[string]*TypeCost{}
	for _, r := range e.Resources {
		tc := m[r.Type]
		if tc == nil {
			tc = &TypeCost{Type: r.Type}
			m[r.Type] = tc
		}
		tc.Count++
		tc.Monthly = tc.Monthly.Add(r.MonthlyCost())
	}
	out := make([]TypeCost, 0, len(m))
	for _, tc := range m {
		out = append(out, *tc)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].Monthly.Cmp(out[j].Monthly); c != 0 {
			return c > 0
		}
		return out[i].Type < out[j].Type
	})
	return out
}

// Missing is a component the catalog has no price for.
type Missing struct {
	Resource, Component, PriceKey, Region string
}

// NotFound lists components with no price: counted and shown, never priced
// as zero in silence.
func (e *Estimate) NotFound() []Missing {
	var out []Missing
	for _, r := range e.Resources {
		for _, c := range r.Components {
			if !c.PriceFound() {
				out = append(out, Missing{Resource: r.Name, Component: c.Name, PriceKey: c.PriceKey.String(), Region: c.Region})
			}
		}
	}
	return out
}

// Gaps lists everything the estimate could not price, one line each: the
// components the catalog has no price for, and the resource types with no
// pricer. When it is not empty the total is too low by an unknown amount.
func (e *Estimate) Gaps() []string {
	out := []string{}
	for _, m := range e.NotFound() {
		out = append(out, fmt.Sprintf("%s: %s: no price for %s in %s", m.Resource, m.Component, m.PriceKey, m.Region))
	}
	for _, t := range e.Unpriced {
		out = append(out, fmt.Sprintf("%s: no pricer for this resource type", t))
	}
	return out
}

// TierSummary is the cost per tenant of one tier and placement.
type TierSummary struct {
	Tier      stacks.Tier
	Placement stacks.Placement
	Tenants   int
	Total     decimal.Decimal
}

// Average is the cost of one tenant of the group.
func (t TierSummary) Average() decimal.Decimal {
	if t.Tenants == 0 {
		return decimal.Zero
	}
	return t.Total.Div(decimal.NewFromInt(int64(t.Tenants)))
}

// ByTier groups tenant costs by tier and placement.
func (e *Estimate) ByTier() []TierSummary {
	var out []TierSummary
	for _, placement := range []stacks.Placement{stacks.Dedicated, stacks.Shared} {
		for _, tier := range stacks.Tiers {
			s := TierSummary{Tier: tier, Placement: placement}
			for _, t := range e.Tenants {
				if t.Tier == tier && t.Placement == placement {
					s.Tenants++
					s.Total = s.Total.Add(t.Monthly)
				}
			}
			if s.Tenants > 0 {
				out = append(out, s)
			}
		}
	}
	return out
}
