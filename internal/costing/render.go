package costing

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/table"
)

func percent(part, whole decimal.Decimal) string {
	if whole.IsZero() {
		return "n/a"
	}
	return part.Div(whole).Mul(decimal.NewFromInt(100)).StringFixed(1) + "%"
}

// sections builds the report's tables once for both text and markdown.
func (r *Report) sections() (lines, types, tiers *table.Table) {
	b, a := r.Before, r.After
	lines = table.New([]string{"line item", fmt.Sprintf("before (%s)", b.Topology), fmt.Sprintf("after (%s)", a.Topology), "change"}, 1, 2, 3)
	bl, al := b.LineTotals(), a.LineTotals()
	for i := range bl {
		lines.Add(string(bl[i].Line), cost.FormatUSD(bl[i].Monthly), cost.FormatUSD(al[i].Monthly), cost.SignedUSD(al[i].Monthly.Sub(bl[i].Monthly)))
	}
	lines.Add("total", cost.FormatUSD(b.Total()), cost.FormatUSD(a.Total()), cost.SignedUSD(a.Total().Sub(b.Total())))

	types = table.New([]string{"resource type", "count", "monthly"}, 1, 2)
	for _, tc := range a.ByType() {
		if tc.Monthly.IsZero() {
			continue
		}
		types.Add(tc.Type, fmt.Sprint(tc.Count), cost.FormatUSD(tc.Monthly))
	}

	tiers = table.New([]string{"topology", "tier", "placement", "tenants", "per tenant", "total"}, 3, 4, 5)
	for _, e := range []*Estimate{b, a} {
		for _, s := range e.ByTier() {
			tiers.Add(e.Topology, string(s.Tier), string(s.Placement), fmt.Sprint(s.Tenants), cost.FormatUSD(s.Average()), cost.FormatUSD(s.Total))
		}
	}
	return lines, types, tiers
}

func (r *Report) summaryLines() []string {
	b, a := r.Before, r.After
	out := []string{fmt.Sprintf("Savings: $%s a month (%s of before).", cost.FormatUSD(r.Savings()), r.SavingsPercent().StringFixed(1)+"%")}
	if r.InvestmentUSD.IsZero() {
		out = append(out, "Payback: no migration investment is configured (tenancy:migrationInvestmentUsd).")
	} else if m, ok := r.PaybackMonths(); ok {
		out = append(out, fmt.Sprintf("Payback of the $%s migration investment: %s months.", cost.FormatUSD(r.InvestmentUSD), m.StringFixed(1)))
	} else {
		out = append(out, fmt.Sprintf("Payback of the $%s migration investment: never (nothing is saved).", cost.FormatUSD(r.InvestmentUSD)))
	}
	out = append(out, fmt.Sprintf("Public IPv4 addresses, charged since 2024-02-01, are in the NAT and load balancer lines: $%s before, $%s after; before without them: $%s.",
		cost.FormatUSD(b.PublicIPv4()), cost.FormatUSD(a.PublicIPv4()), cost.FormatUSD(b.Total().Sub(b.PublicIPv4()))))
	for _, e := range []*Estimate{b, a} {
		if len(e.Gaps()) == 0 {
			out = append(out, fmt.Sprintf("%s: every component priced (price not found: 0).", e.Label))
		}
	}
	return out
}

const allocationNote = "Dedicated tenants cost their own stack. Shared tenants carry a share of each shared-tier cost by the workload it follows (storage by database GB, LCUs and egress by data out, NAT by NAT traffic, the rest by requests); stack-wide resources are shared by every tenant."

// drTitle introduces the disaster-recovery choices under the Backup & DR line.
func (r *Report) drTitle() string {
	return "Backup & DR: what each disaster-recovery strategy would cost the shared database a month " +
		"(the copies and the secondary only; its own continuous backups are the same under each), and its recovery objectives for the loss of the region"
}

func (r *Report) drTable() *table.Table {
	if len(r.DR) == 0 {
		return nil
	}
	t := table.New([]string{"strategy", "", "monthly", "RPO", "RTO"}, 2)
	for _, o := range r.DR {
		name := o.Strategy
		if o.Current {
			name += " (this stack)"
		}
		m := cost.FormatUSD(o.Monthly)
		if o.Unpriced > 0 {
			m += fmt.Sprintf(" + %d unpriced", o.Unpriced)
		}
		t.Add(name, o.Detail, m, o.RPO, o.RTO)
	}
	return t
}

// maxGapLines caps the unpriced components listed at the top of a report.
const maxGapLines = 20

// headLines are what a reader must see before any total: the file the after
// was read from, and every component that has no price.
func (r *Report) headLines() []string {
	var out []string
	if r.AfterSource != "" {
		out = append(out, "After is priced from "+r.AfterSource+", not from the program.")
	}
	if p := r.After.Pricing; p != "" && p != "on-demand" {
		out = append(out, "Pricing "+p+": each always-on instance (the shared group's minimum, every dedicated server) at its "+p+" price where the catalog has one; everything else on-demand.")
		seen := map[string]bool{}
		for _, e := range []*Estimate{r.Before, r.After} {
			for _, n := range e.PricingNotes {
				if n = e.Label + ": " + n; !seen[n] {
					seen[n] = true
					out = append(out, "  - "+n)
				}
			}
		}
	}
	gaps := r.Gaps()
	if len(gaps) == 0 {
		return out
	}
	verdict := "exit 4; --allow-unpriced accepts them"
	if r.UnpricedAccepted {
		verdict = "accepted with --allow-unpriced"
	}
	out = append(out, fmt.Sprintf("UNPRICED: %d components have no price and are not in the totals below, which are too low by an unknown amount (%s):", len(gaps), verdict))
	for i, g := range gaps {
		if i == maxGapLines {
			out = append(out, fmt.Sprintf("  - and %d more", len(gaps)-maxGapLines))
			break
		}
		out = append(out, "  - "+g)
	}
	return out
}

// WriteTable writes the plain-text report.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "tenancy cost: project %s, stack %s, region %s, USD a month (730 hours)\n\n", r.Project, r.Stack, r.Region)
	if head := r.headLines(); len(head) > 0 {
		fmt.Fprintln(w, strings.Join(head, "\n")+"\n")
	}
	lines, types, tiers := r.sections()
	lines.Text(w, "  ")
	fmt.Fprintln(w)
	if dr := r.drTable(); dr != nil {
		fmt.Fprintln(w, r.drTitle()+":")
		dr.Text(w, "  ")
		fmt.Fprintln(w)
	}
	for _, l := range r.summaryLines() {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintf(w, "\nAfter (%s), by resource type (every component, so an ALB includes the egress it carries):\n", r.After.Topology)
	types.Text(w, "  ")
	fmt.Fprintln(w, "\nCost per tenant:")
	tiers.Text(w, "  ")
	fmt.Fprintln(w, allocationNote)
}

// WriteMarkdown writes the report as GitHub markdown.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "## tenancy cost: `%s/%s` (%s)\n\nUSD a month (730 hours). Before: every tenant dedicated (`%s`); after: `%s`.\n\n",
		r.Project, r.Stack, r.Region, r.Before.Topology, r.After.Topology)
	for _, l := range r.headLines() {
		if strings.HasPrefix(l, "  - ") {
			fmt.Fprintln(w, l)
			continue
		}
		fmt.Fprintln(w, "> **"+l+"**")
	}
	if len(r.headLines()) > 0 {
		fmt.Fprintln(w)
	}
	lines, types, tiers := r.sections()
	lines.Markdown(w)
	fmt.Fprintln(w)
	if dr := r.drTable(); dr != nil {
		fmt.Fprintln(w, r.drTitle()+":")
		fmt.Fprintln(w)
		dr.Markdown(w)
		fmt.Fprintln(w)
	}
	for _, l := range r.summaryLines() {
		if strings.HasPrefix(l, "  - ") {
			fmt.Fprintln(w, l)
			continue
		}
		fmt.Fprintln(w, "- "+l)
	}
	fmt.Fprintf(w, "\n<details><summary>After (%s), by resource type (every component, so an ALB includes the egress it carries)</summary>\n\n", r.After.Topology)
	types.Markdown(w)
	fmt.Fprintln(w, "\n</details>\n\n### Cost per tenant")
	fmt.Fprintln(w)
	tiers.Markdown(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, allocationNote)
}
