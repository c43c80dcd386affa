package curve

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// WriteTable writes the points and the break-even for a reader.
func (c *Curve) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "Monthly cost of stack %s along the tenant count: every tenant dedicated, and %s (USD a month, 730 hours)\n\n", c.Stack, c.Topology)
	fmt.Fprintf(w, "%8s  %14s  %12s  %14s  %12s\n", "tenants", "dedicated", "per tenant", c.Topology, "per tenant")
	for _, p := range c.Points {
		b, a := p.PerTenant()
		fmt.Fprintf(w, "%8d  %14s  %12s  %14s  %12s\n", p.Tenants, p.Before.StringFixed(2), b.StringFixed(2), p.After.StringFixed(2), a.StringFixed(2))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, c.Summary())
}

// Summary says where the break-even is.
func (c *Curve) Summary() string {
	first, last := c.Points[0].Tenants, c.Points[len(c.Points)-1].Tenants
	switch {
	case c.BreakEvenAtStart:
		return fmt.Sprintf("Break-even: %s is already cheaper per tenant at %d tenants, the start of the range.", c.Topology, first)
	case c.BreakEven == 0:
		return fmt.Sprintf("Break-even: none from %d to %d tenants; %s stays dearer per tenant.", first, last, c.Topology)
	}
	return fmt.Sprintf("Break-even: from %d tenants, %s costs less per tenant than a dedicated stack each.", c.BreakEven, c.Topology)
}

// WriteJSON writes the curve as JSON.
func (c *Curve) WriteJSON(w io.Writer) error {
	type point struct {
		Tenants            int             `json:"tenants"`
		Dedicated          decimal.Decimal `json:"dedicatedMonthlyUsd"`
		DedicatedPerTenant decimal.Decimal `json:"dedicatedPerTenantUsd"`
		After              decimal.Decimal `json:"afterMonthlyUsd"`
		AfterPerTenant     decimal.Decimal `json:"afterPerTenantUsd"`
	}
	doc := struct {
		Stack     string  `json:"stack"`
		Topology  string  `json:"topology"`
		Points    []point `json:"points"`
		BreakEven int     `json:"breakEvenTenants"`
		AtStart   bool    `json:"breakEvenAtStart"`
		Summary   string  `json:"summary"`
	}{Stack: c.Stack, Topology: c.Topology, BreakEven: c.BreakEven, AtStart: c.BreakEvenAtStart, Summary: c.Summary()}
	for _, p := range c.Points {
		b, a := p.PerTenant()
		doc.Points = append(doc.Points, point{p.Tenants, p.Before.Round(2), b.Round(2), p.After.Round(2), a.Round(2)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteCSV writes one row a point.
func (c *Curve) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"tenants", "dedicated_monthly_usd", "dedicated_per_tenant_usd", c.Topology + "_monthly_usd", c.Topology + "_per_tenant_usd"})
	for _, p := range c.Points {
		b, a := p.PerTenant()
		_ = cw.Write([]string{strconv.Itoa(p.Tenants), p.Before.StringFixed(2), b.StringFixed(2), p.After.StringFixed(2), a.StringFixed(2)})
	}
	cw.Flush()
	return cw.Error()
}

// The chart's frame, in SVG user units.
const (
	svgW, svgH                 = 800, 480
	padL, padR, padT, padB     = 90, 30, 50, 70
	dedicatedColor, afterColor = "#c0392b", "#2471a3"
)

// WriteSVG draws cost per tenant against the tenant count (log scale): both
// curves with their points, labelled axes, a legend and the break-even.
func (c *Curve) WriteSVG(w io.Writer) {
	first, last := float64(c.Points[0].Tenants), float64(c.Points[len(c.Points)-1].Tenants)
	if last == first {
		last = first + 1
	}
	top := 0.0
	for _, p := range c.Points {
		b, a := p.PerTenant()
		top = math.Max(top, math.Max(b.InexactFloat64(), a.InexactFloat64()))
	}
	top = niceCeil(top)
	x := func(n float64) float64 {
		return padL + (math.Log(n)-math.Log(first))/(math.Log(last)-math.Log(first))*(svgW-padL-padR)
	}
	y := func(v float64) float64 { return svgH - padB - v/top*(svgH-padT-padB) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", svgW, svgH, svgW, svgH)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", html.EscapeString(c.Summary()))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", svgW, svgH)
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" font-weight="bold">Stack %s: monthly cost per tenant, every tenant dedicated vs %s</text>`+"\n", padL, html.EscapeString(c.Stack), html.EscapeString(c.Topology))
	// Axes, with ticks and grid lines.
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", padL, svgH-padB, svgW-padR, svgH-padB)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", padL, padT, padL, svgH-padB)
	for i := 0; i <= 5; i++ {
		v := top * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">$%s</text>`+"\n",
			padL, y(v), svgW-padR, y(v), padL-6, y(v)+4, strconv.FormatFloat(v, 'f', -1, 64))
	}
	for _, p := range c.Points {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/><text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n",
			x(float64(p.Tenants)), svgH-padB, x(float64(p.Tenants)), svgH-padB+5, x(float64(p.Tenants)), svgH-padB+18, p.Tenants)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">tenants (log scale)</text>`+"\n", (padL+svgW-padR)/2, svgH-padB+42)
	fmt.Fprintf(&b, `<text x="20" y="%d" text-anchor="middle" transform="rotate(-90 20 %d)">USD a month per tenant</text>`+"\n", (padT+svgH-padB)/2, (padT+svgH-padB)/2)
	// The curves.
	for _, side := range []struct {
		name, color string
		pick        func(Point) float64
	}{
		{"every tenant dedicated", dedicatedColor, func(p Point) float64 { v, _ := p.PerTenant(); return v.InexactFloat64() }},
		{c.Topology, afterColor, func(p Point) float64 { _, v := p.PerTenant(); return v.InexactFloat64() }},
	} {
		var pts []string
		for _, p := range c.Points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(p.Tenants)), y(side.pick(p))))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2.5" points="%s"/>`+"\n", side.color, strings.Join(pts, " "))
		for _, p := range c.Points {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%d tenants: $%.2f a tenant</title></circle>`+"\n",
				x(float64(p.Tenants)), y(side.pick(p)), side.color, p.Tenants, side.pick(p))
		}
	}
	// The legend and the break-even.
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="4" fill="%s"/><text x="%d" y="%d">every tenant dedicated</text>`+"\n", svgW-padR-230, padT+4, dedicatedColor, svgW-padR-210, padT+9)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="4" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", svgW-padR-230, padT+22, afterColor, svgW-padR-210, padT+27, html.EscapeString(c.Topology))
	if c.BreakEven > 0 {
		bx := x(float64(c.BreakEven))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#555" stroke-dasharray="6 4"/>`+"\n", bx, padT, bx, svgH-padB)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="start" font-weight="bold">break-even: %d tenants</text>`+"\n", bx+6, padT+50, c.BreakEven)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#555">%s</text>`+"\n", padL, svgH-12, html.EscapeString(c.Summary()))
	b.WriteString("</svg>\n")
	io.WriteString(w, b.String())
}

// niceCeil rounds a positive value up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
