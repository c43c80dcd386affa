// Package curve prices a stack along a range of tenant counts and finds the
// break-even: the count from which the shared tier costs less per tenant
// than a dedicated stack each. It knows nothing of how a point is priced;
// the CLI passes a function that evaluates the program at n tenants.
package curve

import (
	"fmt"
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// Point is the monthly cost of both topologies at a tenant count.
type Point struct {
	Tenants int
	Before  decimal.Decimal // every tenant dedicated
	After   decimal.Decimal // the stack's topology
}

// PerTenant is each side's monthly cost per tenant.
func (p Point) PerTenant() (before, after decimal.Decimal) {
	n := decimal.NewFromInt(int64(p.Tenants))
	return p.Before.Div(n), p.After.Div(n)
}

// cheaper reports whether after costs less per tenant than before.
func (p Point) cheaper() bool { return p.After.LessThan(p.Before) }

// Curve is the priced points and the break-even.
type Curve struct {
	Stack, Topology string
	Points          []Point
	// BreakEven is the smallest tenant count in the range at which after
	// costs less than before (per tenant, which at one count is the same as
	// in total), found exactly by bisection between two points; 0 when
	// after is never cheaper in the range. BreakEvenAtStart: it already is
	// at the first count.
	BreakEven        int
	BreakEvenAtStart bool
}

// Price is one evaluation of the stack at n tenants.
type Price func(n int) (Point, error)

// Counts are n points from from to to, spaced evenly on a log scale (a
// tenant count's effect is multiplicative), each distinct.
func Counts(from, to, n int) ([]int, error) {
	switch {
	case from < 1:
		return nil, fmt.Errorf("--from %d: the range starts at 1 tenant or more", from)
	case from > to:
		return nil, fmt.Errorf("--from %d is above --to %d: give the smaller count first", from, to)
	case n < 2:
		return nil, fmt.Errorf("--points %d: give 2 or more", n)
	}
	seen := map[int]bool{}
	var out []int
	for i := 0; i < n; i++ {
		f := math.Exp(math.Log(float64(from)) + (math.Log(float64(to))-math.Log(float64(from)))*float64(i)/float64(n-1))
		c := int(math.Round(f))
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Ints(out)
	return out, nil
}

// Build prices each count, then bisects the first interval where after
// becomes cheaper to find the break-even exactly.
func Build(counts []int, price Price) (*Curve, error) {
	c := &Curve{}
	for _, n := range counts {
		p, err := price(n)
		if err != nil {
			return nil, fmt.Errorf("%d tenants: %w", n, err)
		}
		c.Points = append(c.Points, p)
	}
	for i, p := range c.Points {
		if !p.cheaper() {
			continue
		}
		if i == 0 {
			c.BreakEven, c.BreakEvenAtStart = p.Tenants, true
			return c, nil
		}
		lo, hi := c.Points[i-1].Tenants, p.Tenants // after is dearer at lo, cheaper at hi
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			q, err := price(mid)
			if err != nil {
				return nil, fmt.Errorf("%d tenants: %w", mid, err)
			}
			if q.cheaper() {
				hi = mid
			} else {
				lo = mid
			}
		}
		c.BreakEven = hi
		return c, nil
	}
	return c, nil
}
