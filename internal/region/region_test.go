package region

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/cost"
)

func TestTableIsWhole(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range table {
		assert.False(t, seen[r.Name], "%s listed twice", r.Name)
		seen[r.Name] = true
		assert.Regexp(t, regexp.MustCompile(`^[a-z]{2}-[a-z]+-[0-9]$`), r.Name)
		assert.Regexp(t, regexp.MustCompile(`^[0-9]{12}$`), r.ELBLogAccount, r.Name)
		if !r.Known {
			assert.Empty(t, r.UsagePrefix, "%s: a prefix is given but not marked known", r.Name)
		}
	}
	assert.Equal(t, "us-east-1", Names()[0], "Names keeps the table's order")
	_, ok := Lookup("us-east-9")
	assert.False(t, ok)
}

// Every region the catalog prices is supported, and its prices can be
// refreshed: the refresh needs its usage-type prefix.
func TestPricedRegionsAreSupported(t *testing.T) {
	cat, err := cost.DefaultCatalog()
	require.NoError(t, err)
	for _, name := range cat.Regions() {
		r, ok := Lookup(name)
		require.True(t, ok, "the catalog prices %s, which internal/region does not list", name)
		assert.True(t, r.Known, "%s: no Price List usage-type prefix, so `tenancy prices refresh` cannot refresh it", name)
	}
}
