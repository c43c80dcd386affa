package costing

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// autoScalingGroup prices the shared tier's app servers at the group's
// desired size (its minimum when no desired size is set).
func (p *pricer) autoScalingGroup(n graph.Node, served []string) ([]cost.Component, error) {
	t := p.appTierOf(n)
	metrics := p.sum(served, func(x stacks.Workload) float64 { return x.CustomMetrics })
	desired, ok := n.Num("desiredCapacity")
	if !ok {
		desired, _ = n.Num("minSize")
	}
	minSize, _ := n.Num("minSize")
	comps := cost.AutoScalingGroup{Region: p.region, InstanceType: t.instanceType, Instances: int64(desired), RootVolumeGB: t.rootGB,
		VolumeType: t.volumeType, CustomMetrics: metrics}.Components(p.cat)
	comps = p.committed(comps, t.instanceType, int64(min(minSize, desired)))
	return p.appTierTraffic(n, served, comps, metrics), nil
}

// committed prices the always-on baseline of a component list's instance
// hours (the group's minimum) at the stack's commitment term, the rest at
// on-demand. Without a commitment price in the catalog the hours stay
// on-demand, and the report says so (commitmentNotes).
func (p *pricer) committed(comps []cost.Component, instanceType string, baseline int64) []cost.Component {
	if p.cfg.Pricing == "" || p.cfg.Pricing == "on-demand" || baseline <= 0 {
		return comps
	}
	od := cost.EC2InstanceKey(instanceType)
	key := od
	key.Option = p.cfg.Pricing
	price := p.cat.Lookup(p.region, key)
	for i, c := range comps {
		if c.PriceKey != od {
			continue
		}
		if price == nil {
			p.onDemandOnly[instanceType] += baseline
			return comps
		}
		all := c.Quantity
		committed := cost.HoursPerMonth.Mul(decimal.NewFromInt(baseline))
		c.Quantity = all.Sub(committed)
		reserved := p.cat.Component(p.region, fmt.Sprintf("instance usage (Linux, %s reserved, %s), the group's minimum", p.cfg.Pricing, instanceType), "hours", key, committed)
		out := append(append(append([]cost.Component{}, comps[:i]...), reserved), comps[i:]...)
		out[i+1] = c
		return out
	}
	return comps
}

// commitmentNotes says which always-on instances a commitment term left
// on-demand, for want of a price.
func (p *pricer) commitmentNotes() []string {
	var out []string
	for t, n := range p.onDemandOnly {
		out = append(out, fmt.Sprintf("%d always-on %s stay on-demand: the catalog has no %s price for it (add ec2:instance:%s:%s to cost/prices with its source)", n, t, p.cfg.Pricing, t, p.cfg.Pricing))
	}
	sort.Strings(out)
	return out
}
