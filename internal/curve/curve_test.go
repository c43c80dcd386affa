package curve

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// linear prices dedicated at $300 a tenant and the shared tier at a fixed
// $4,000 plus $100 a tenant: after is cheaper from 21 tenants on
// (4000+100n < 300n for n > 20).
func linear(calls *[]int) Price {
	return func(n int) (Point, error) {
		*calls = append(*calls, n)
		return Point{Tenants: n, Before: decimal.NewFromInt(int64(300 * n)), After: decimal.NewFromInt(int64(4000 + 100*n))}, nil
	}
}

func TestCounts(t *testing.T) {
	got, err := Counts(10, 1000, 3)
	require.NoError(t, err)
	assert.Equal(t, []int{10, 100, 1000}, got, "even on a log scale")
	got, err = Counts(1, 3, 10)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, got, "distinct counts only")
	for _, tc := range []struct {
		from, to, n int
		want        string
	}{
		{0, 10, 5, "--from 0: the range starts at 1 tenant or more"},
		{50, 10, 5, "--from 50 is above --to 10: give the smaller count first"},
		{1, 10, 1, "--points 1: give 2 or more"},
	} {
		_, err := Counts(tc.from, tc.to, tc.n)
		assert.EqualError(t, err, tc.want)
	}
}

func TestBreakEvenIsExact(t *testing.T) {
	var calls []int
	c, err := Build([]int{10, 100, 1000}, linear(&calls))
	require.NoError(t, err)
	assert.Equal(t, 21, c.BreakEven)
	assert.False(t, c.BreakEvenAtStart)
	assert.Len(t, c.Points, 3)
	for _, n := range calls[3:] {
		assert.True(t, n > 10 && n < 100, "bisection stays inside the straddling interval: %d", n)
	}
	assert.LessOrEqual(t, len(calls)-3, 7, "log2(90) evaluations at most")

	c, err = Build([]int{30, 60}, linear(&calls))
	require.NoError(t, err)
	assert.Equal(t, 30, c.BreakEven)
	assert.True(t, c.BreakEvenAtStart)
	assert.Contains(t, c.Summary(), "already cheaper per tenant at 30 tenants")

	c, err = Build([]int{2, 20}, linear(&calls))
	require.NoError(t, err)
	assert.Zero(t, c.BreakEven)
	c.Topology = "hybrid"
	assert.Equal(t, "Break-even: none from 2 to 20 tenants; hybrid stays dearer per tenant.", c.Summary())
}

func TestRenderings(t *testing.T) {
	var calls []int
	c, err := Build([]int{10, 30, 100, 300, 1000}, linear(&calls))
	require.NoError(t, err)
	c.Stack, c.Topology = "prod", "hybrid"
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"curve.table", func(b *bytes.Buffer) error { c.WriteTable(b); return nil }},
		{"curve.json", func(b *bytes.Buffer) error { return c.WriteJSON(b) }},
		{"curve.csv", func(b *bytes.Buffer) error { return c.WriteCSV(b) }},
		{"curve.svg", func(b *bytes.Buffer) error { c.WriteSVG(b); return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tc.write(&b))
			golden := filepath.Join("testdata", tc.name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), b.String())
		})
	}
	var svg bytes.Buffer
	c.WriteSVG(&svg)
	s := svg.String()
	assert.Equal(t, 2, strings.Count(s, "<polyline"), "both curves")
	assert.Equal(t, 10, strings.Count(s, "<circle"), "a marker at each point of each curve")
	assert.Contains(t, s, "break-even: 21 tenants")
	assert.Contains(t, s, "tenants (log scale)")
	assert.Contains(t, s, "USD a month per tenant")
}
