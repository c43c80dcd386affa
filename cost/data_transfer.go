package cost

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// InternetEgressFreeGB is AWS's free data transfer out to the internet per
// account and month.
const InternetEgressFreeGB = 100

// egressTiers are AWS's tiers of data transfer out to the internet.
var egressTiers = []struct {
	key  Key
	upTo float64 // GB, cumulative; 0: no limit
}{
	{Key{Service: "datatransfer", Item: "internet", Variant: "first-10tb"}, 10240},
	{Key{Service: "datatransfer", Item: "internet", Variant: "next-40tb"}, 51200},
	{Key{Service: "datatransfer", Item: "internet", Variant: "next-100tb"}, 153600},
	{Key{Service: "datatransfer", Item: "internet", Variant: "over-150tb"}, 0},
}

// BlendedEgressKey names the blended internet egress rate: not a list
// price, but the account's tiered prices averaged over its total.
var BlendedEgressKey = Key{Service: "datatransfer", Item: "internet (blended)"}

// InternetEgress is a month's data transfer out to the internet for the whole
// account: the tiers apply to the total, so each resource carrying egress is
// priced at the blended rate of the total.
type InternetEgress struct {
	Region  string
	TotalGB float64
}

// MonthlyCost is the tiered cost of the total, after the free 100 GB, and
// whether every tier was priced.
func (e InternetEgress) MonthlyCost(c *Catalog) (decimal.Decimal, bool) {
	total, prev := decimal.Zero, float64(InternetEgressFreeGB)
	found := true
	for _, t := range egressTiers {
		if e.TotalGB <= prev {
			break
		}
		upper := e.TotalGB
		if t.upTo > 0 && t.upTo < upper {
			upper = t.upTo
		}
		p := c.Lookup(e.Region, t.key)
		if p == nil {
			found = false
		} else if upper > prev {
			total = total.Add(dec(upper - prev).Mul(p.USD))
		}
		prev = upper
		if t.upTo == 0 {
			break
		}
	}
	return total, found
}

// BlendedRate is the per-GB price of the total, as a Price the egress
// components carry; nil when a tier has no price.
func (e InternetEgress) BlendedRate(c *Catalog) *Price {
	cost, found := e.MonthlyCost(c)
	if !found {
		return nil
	}
	rate := decimal.Zero
	if e.TotalGB > 0 {
		rate = cost.Div(dec(e.TotalGB))
	}
	src := c.Lookup(e.Region, egressTiers[0].key)
	return &Price{Key: BlendedEgressKey.String(), Unit: "GB", USD: rate,
		Description: fmt.Sprintf("tiered rate for %.0f GB a month, first %d GB free", e.TotalGB, InternetEgressFreeGB),
		Source:      src.Source, Date: src.Date}
}

// InterAZ prices data an app server exchanges with a NAT gateway, a database
// or a cache node in another Availability Zone. AWS bills it on the
// instance's side, $0.01 a GB in each direction (in to and out of the
// instance); the managed side (RDS, ElastiCache, the NAT gateway) bills no
// regional transfer of its own, so each GB that crosses is billed once.
type InterAZ struct {
	Region     string
	Path       string  // what talks to what, e.g. "app servers to the NAT gateway"
	CrossingGB float64 // a month, both directions of the conversation added up
	Driver     Driver  // the workload quantity it follows
}

// Components prices the crossing traffic on the data transfer line.
func (x InterAZ) Components(c *Catalog) []Component {
	comp := c.Component(x.Region, "inter-AZ transfer: "+x.Path, "GB crossing (in and out)", Key{Service: "datatransfer", Item: "inter-az"}, dec(x.CrossingGB))
	comp.Line, comp.Driver = DataTransfer, x.Driver
	return []Component{comp}
}

// MetricRequests prices the PutMetricData calls that publish custom metrics.
type MetricRequests struct {
	Region   string
	Requests float64 // a month
}

// Components prices the calls on the monitoring line.
func (m MetricRequests) Components(c *Catalog) []Component {
	comp := c.Component(m.Region, "PutMetricData requests (custom metrics)", "1k requests", Key{Service: "cloudwatch", Item: "requests"}, dec(m.Requests/1000))
	comp.Line, comp.Driver = Monitoring, CustomMetrics
	return []Component{comp}
}
