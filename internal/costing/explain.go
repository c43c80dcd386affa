package costing

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
)

// Find returns the cloud resources a query names: a whole URN, a type and
// name ("aws:autoscaling/group:Group::shared-app"), or a name alone
// ("shared-app"), which may match several resources of different types.
// Priced resources come first, then free ones.
func (e *Estimate) Find(query string) []cost.Resource {
	var priced, free []cost.Resource
	for _, r := range e.Resources {
		if r.Name == query || resourceName(r.Name) == query || strings.HasSuffix(r.Name, "$"+query) || strings.HasSuffix(r.Name, "::"+query) {
			if r.FreeReason != "" {
				free = append(free, r)
			} else {
				priced = append(priced, r)
			}
		}
	}
	return append(priced, free...)
}

// Suggest lists up to n resource names that contain query, for a query that
// matched nothing.
func (e *Estimate) Suggest(query string, n int) []string {
	var out []string
	for _, r := range e.Resources {
		if name := resourceName(r.Name); strings.Contains(name, query) || strings.Contains(query, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func resourceName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// Explanation is one resource's cost, component by component, each traced
// to its quantity, unit price and the price's source.
type Explanation struct {
	Resource   string               `json:"resource"`
	Type       string               `json:"type"`
	Estimate   string               `json:"estimate"` // before or after
	Topology   string               `json:"topology"`
	Owner      string               `json:"owner"` // who carries the cost
	Monthly    decimal.Decimal      `json:"monthlyCost"`
	FreeReason string               `json:"freeReason,omitempty"`
	Components []ExplainedComponent `json:"components"`
}

// ExplainedComponent is quantity × unit price = monthly.
type ExplainedComponent struct {
	Name      string           `json:"name"`
	Line      cost.Line        `json:"line"`
	Quantity  decimal.Decimal  `json:"quantity"`
	Unit      string           `json:"unit"`
	UnitPrice *decimal.Decimal `json:"unitPriceUsd"` // null: price not found
	Monthly   decimal.Decimal  `json:"monthlyCost"`
	Follows   string           `json:"follows"` // the workload quantity it follows
	PriceKey  string           `json:"priceKey"`
	Region    string           `json:"region"`
	Source    string           `json:"source,omitempty"`
	Date      string           `json:"date,omitempty"`
}

// Explain traces a resource of e.
func (e *Estimate) Explain(r cost.Resource) Explanation {
	x := Explanation{Resource: r.Name, Type: r.Type, Estimate: e.Label, Topology: e.Topology, Monthly: r.MonthlyCost(), FreeReason: r.FreeReason}
	switch {
	case r.Tenant != "":
		x.Owner = "tenant " + r.Tenant + " (its dedicated stack)"
	case r.Shared:
		x.Owner = "the shared tier, allocated to its shared tenants by what each component follows"
	default:
		x.Owner = "the stack, allocated to every tenant by what each component follows"
	}
	for _, c := range r.Components {
		follows := string(c.Follows())
		if r.Tenant != "" {
			follows = "the tenant's own workload"
		}
		ec := ExplainedComponent{Name: c.Name, Line: r.LineOf(c), Quantity: c.Quantity, Unit: c.Unit, Monthly: c.MonthlyCost(),
			Follows: follows, PriceKey: c.PriceKey.String(), Region: c.Region}
		if c.Price != nil {
			usd := c.Price.USD
			ec.UnitPrice, ec.Source, ec.Date = &usd, c.Price.Source, c.Price.Date
		}
		x.Components = append(x.Components, ec)
	}
	return x
}

// WriteExplanations renders explanations for a terminal.
func WriteExplanations(w io.Writer, xs []Explanation) {
	for i, x := range xs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n  type %s, %s (%s); carried by %s\n", x.Resource, x.Type, x.Estimate, x.Topology, x.Owner)
		if x.FreeReason != "" {
			fmt.Fprintf(w, "  free: %s\n", x.FreeReason)
			continue
		}
		for j, c := range x.Components {
			fmt.Fprintf(w, "  %d. %s [%s]\n", j+1, c.Name, c.Line)
			if c.UnitPrice == nil {
				fmt.Fprintf(w, "     %s %s × PRICE NOT FOUND (%s in %s): not in the total\n", quantityText(c.Quantity), c.Unit, c.PriceKey, c.Region)
				continue
			}
			fmt.Fprintf(w, "     %s %s × $%s = $%s a month\n", quantityText(c.Quantity), c.Unit, c.UnitPrice.String(), cost.FormatUSD(c.Monthly))
			fmt.Fprintf(w, "     follows: %s\n", c.Follows)
			fmt.Fprintf(w, "     price: %s, %s: %s (%s)\n", c.PriceKey, c.Region, c.Source, c.Date)
		}
		fmt.Fprintf(w, "  total: $%s a month\n", cost.FormatUSD(x.Monthly))
	}
}

// WriteExplanationsJSON renders explanations as JSON.
func WriteExplanationsJSON(w io.Writer, xs []Explanation) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(xs)
}

// quantityText writes a quantity with thousands separators and at most four
// decimals, trailing zeros dropped.
func quantityText(q decimal.Decimal) string {
	s := q.Round(4).String()
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
