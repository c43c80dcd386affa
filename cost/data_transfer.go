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
	key  string
	upTo float64 // GB, cumulative; 0: no limit
}{
	{"datatransfer:internet:first-10tb", 10240},
	{"datatransfer:internet:next-40tb", 51200},
	{"datatransfer:internet:next-100tb", 153600},
	{"datatransfer:internet:over-150tb", 0},
}

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
	return &Price{Key: "datatransfer:internet (blended)", Unit: "GB", USD: rate,
		Description: fmt.Sprintf("tiered rate for %.0f GB a month, first %d GB free", e.TotalGB, InternetEgressFreeGB),
		Source:      src.Source, Date: src.Date}
}
