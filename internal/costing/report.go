package costing

import (
	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/vcs"
)

// Report compares the program's monthly cost before (every tenant dedicated)
// and after (the stack's topology) on the same workload.
type Report struct {
	Project       string
	Stack         string
	Region        string
	Before, After *Estimate
	// InvestmentUSD is the one-off migration cost the payback is measured against.
	InvestmentUSD decimal.Decimal
	// AfterSource names what the after was read from: "" for the program
	// evaluated under mocks, else the Pulumi file that was priced.
	AfterSource string
	// DR prices each disaster-recovery strategy for the stack's shared
	// database (empty: no shared tier).
	DR []DROption
	// UnpricedAccepted records that the user accepted unpriced components
	// knowingly (--allow-unpriced); the report says so.
	UnpricedAccepted bool
	// VCS is the git commit the report priced (zero outside git).
	VCS vcs.Facts
}

// Gaps lists what neither estimate could price, each line labelled with its
// estimate (before or after). Non-empty: the totals are too low by an
// unknown amount, and the command exits 4 unless accepted.
func (r *Report) Gaps() []string {
	out := []string{}
	for _, e := range []*Estimate{r.Before, r.After} {
		for _, g := range e.Gaps() {
			out = append(out, e.Label+": "+g)
		}
	}
	return out
}

// Savings is before minus after, a month.
func (r *Report) Savings() decimal.Decimal { return r.Before.Total().Sub(r.After.Total()) }

// SavingsPercent is the savings as a share of before.
func (r *Report) SavingsPercent() decimal.Decimal {
	b := r.Before.Total()
	if b.IsZero() {
		return decimal.Zero
	}
	return r.Savings().Div(b).Mul(decimal.NewFromInt(100))
}

// PaybackMonths is the investment over the monthly savings; false when
// nothing is saved.
func (r *Report) PaybackMonths() (decimal.Decimal, bool) {
	s := r.Savings()
	if !s.IsPositive() {
		return decimal.Zero, false
	}
	return r.InvestmentUSD.Div(s), true
}

// PublicIPv4 sums what an estimate pays for public IPv4 addresses, a charge
// AWS added on 2024-02-01 (the reports show it apart for comparison with
// figures from before then).
func (e *Estimate) PublicIPv4() decimal.Decimal {
	total := decimal.Zero
	for _, r := range e.Resources {
		for _, c := range r.Components {
			if c.PriceKey == cost.PublicIPv4Key {
				total = total.Add(c.MonthlyCost())
			}
		}
	}
	return total
}

// LineTotals returns the line items of an estimate in report order.
func (e *Estimate) LineTotals() []LineTotal {
	m := e.ByLine()
	out := make([]LineTotal, len(cost.Lines))
	for i, l := range cost.Lines {
		out[i] = LineTotal{Line: l, Monthly: m[l]}
	}
	return out
}

// LineTotal is one line item's monthly cost.
type LineTotal struct {
	Line    cost.Line
	Monthly decimal.Decimal
}
