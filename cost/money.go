// Package cost prices AWS resources from plain structs. It knows nothing of
// Pulumi: internal/costing maps a resource's type token and inputs to these
// structs. One file per priced AWS resource type, as Infracost keeps them.
package cost

import "github.com/shopspring/decimal"

// HoursPerMonth is the month every hourly price is multiplied by, as in
// Infracost and AWS's own calculator.
var HoursPerMonth = decimal.NewFromInt(730)

// Line is one of the article's line items; every cost lands on one.
type Line string

// The article's line items, in its order. Public IPv4 addresses are billed
// with the resource that holds them (a NAT's Elastic IP under NAT, an ALB's
// addresses under load balancers).
const (
	Compute       Line = "compute"
	Database      Line = "database"
	Cache         Line = "cache"
	LoadBalancers Line = "load balancers"
	NAT           Line = "NAT"
	Monitoring    Line = "monitoring"
	DataTransfer  Line = "data transfer"
	Security      Line = "security & compliance"
	Backup        Line = "backup & DR"
)

// Lines lists the line items in report order.
var Lines = []Line{Compute, Database, Cache, LoadBalancers, NAT, Monitoring, DataTransfer, Security, Backup}

// Component is one priced quantity of a resource: what AWS bills as one line.
type Component struct {
	Name     string
	Unit     string          // e.g. "hours", "GB", "1M requests"
	Quantity decimal.Decimal // per month
	Price    *Price          // nil when the catalog has no price: "price not found"
	PriceKey Key             // the catalog key looked up
	Region   string          // the region whose price list was read
	// Line overrides the resource's line item (a database's Secrets Manager
	// secret is security & compliance).
	Line Line
	// Driver is the workload quantity this cost follows; the per-tenant
	// allocation of a shared resource splits it by that. Empty: requests.
	Driver Driver
	// Usage marks a quantity estimated from the workload model
	// (tenants/usage.yaml and the platform's usage) that no driver
	// allocates: KMS requests, AWS Config items, GuardDuty's logs.
	Usage bool
}

// UsageBased reports whether the quantity is an estimate from the workload
// model rather than a fact of the configuration (instance hours, keys,
// alarms): Infracost's "usage cost". Every component with a driver is.
func (c Component) UsageBased() bool { return c.Usage || c.Driver != "" }

// usage marks components as workload estimates.
func usage(cs ...Component) []Component {
	for i := range cs {
		cs[i].Usage = true
	}
	return cs
}

// PriceFound reports whether the catalog priced the component.
func (c Component) PriceFound() bool { return c.Price != nil }

// MonthlyCost is quantity times price; zero, and counted as not found, when
// there is no price.
func (c Component) MonthlyCost() decimal.Decimal {
	if c.Price == nil {
		return decimal.Zero
	}
	return c.Quantity.Mul(c.Price.USD)
}

// Resource is one priced cloud resource.
type Resource struct {
	Name string // a stable, unique name (the URN in tenancy)
	// Address is the short name a reader scans: the parent component's
	// name and the resource's ("acme/acme-db"), like a Terraform address.
	Address string
	// Attributes are the configuration its price depends on (instance
	// class, node type, counts), so a diff can say what changed.
	Attributes map[string]string
	Type       string // the resource's type token
	Line       Line   // where its components go unless they say otherwise
	Tenant     string // the dedicated tenant it belongs to, or ""
	Shared     bool   // part of the shared tier (allocated to shared tenants)
	Components []Component
	// FreeReason says why a resource costs nothing, for the types AWS does
	// not charge for (security groups, route tables, IAM roles...).
	FreeReason string
}

// MonthlyCost sums the resource's components.
func (r Resource) MonthlyCost() decimal.Decimal {
	total := decimal.Zero
	for _, c := range r.Components {
		total = total.Add(c.MonthlyCost())
	}
	return total
}

// LineOf is the line item a component lands on.
func (r Resource) LineOf(c Component) Line {
	if c.Line != "" {
		return c.Line
	}
	return r.Line
}

// hours is a component billed per hour for the whole month.
func hours(cat *Catalog, region, name string, key Key, count int64) Component {
	return cat.Component(region, name, "hours", key, HoursPerMonth.Mul(decimal.NewFromInt(count)))
}

// dec converts a float workload quantity to a decimal.
func dec(f float64) decimal.Decimal { return decimal.NewFromFloat(f) }

// FormatUSD writes dollars with two decimals and thousands separators:
// 45,012.34 (and -1,234.50).
func FormatUSD(d decimal.Decimal) string {
	neg := d.IsNegative()
	s := d.Abs().StringFixed(2)
	whole, frac := s[:len(s)-3], s[len(s)-2:]
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, whole[i])
	}
	str := string(out) + "." + frac
	if neg && !d.Round(2).IsZero() {
		return "-" + str
	}
	return str
}

// SignedUSD is FormatUSD with a plus sign on an amount that rounds above
// zero: +1,234.50, -3.00, 0.00.
func SignedUSD(d decimal.Decimal) string {
	if d.Round(2).IsPositive() {
		return "+" + FormatUSD(d)
	}
	return FormatUSD(d)
}

// Dollars is FormatUSD with the dollar sign after any minus: -$1,234.50.
func Dollars(d decimal.Decimal) string {
	if d.IsNegative() && !d.Round(2).IsZero() {
		return "-$" + FormatUSD(d.Abs())
	}
	return "$" + FormatUSD(d)
}

// SignedDollars is Dollars with a plus sign on an amount that rounds above
// zero: +$1,234.50, -$3.00, $0.00.
func SignedDollars(d decimal.Decimal) string {
	if d.Round(2).IsPositive() {
		return "+" + Dollars(d)
	}
	return Dollars(d)
}

// StackResourceName names the zero-cost resource of a cost report (Infracost's
// JSON) whose metadata carries the tenants and the budget: internal/costing
// writes it, internal/costdiff reads it.
const StackResourceName = "tenancy/stack"
