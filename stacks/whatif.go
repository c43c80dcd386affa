package stacks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// What-if tenants: `tenancy cost --tenants N` and `--add free=300,pro=50`
// price a grown stack. Synthetic tenants carry their tier's workload and
// nothing else; a what-if is always sized automatically, since it has no
// sizes of its own.

// ParseAdd reads --add's "tier=count,..." into counts per tier.
func ParseAdd(s string) (map[Tier]int, error) {
	out := map[Tier]int{}
	for _, part := range strings.Split(s, ",") {
		name, count, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("--add: %q is not tier=count (e.g. --add free=300,pro=50)", part)
		}
		tier := Tier(strings.TrimSpace(name))
		known := false
		for _, t := range Tiers {
			known = known || t == tier
		}
		if !known {
			return nil, fmt.Errorf("--add: unknown tier %q: use free, pro or enterprise", name)
		}
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("--add: %s=%s: the count must be a whole number of 1 or more", name, count)
		}
		if _, dup := out[tier]; dup {
			return nil, fmt.Errorf("--add: tier %s is given twice", tier)
		}
		out[tier] = n
	}
	return out, nil
}

// mixKey is one tier and placement of the registry.
type mixKey struct {
	tier      Tier
	placement Placement
}

// scaleTenants replaces the registry with n synthetic tenants in its tier
// and placement mix (largest remainder, so the counts add up to n).
func scaleTenants(ts []Tenant, n int) []Tenant {
	counts := map[mixKey]int{}
	for _, t := range ts {
		counts[mixKey{t.Tier, t.Placement}]++
	}
	keys := make([]mixKey, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].tier != keys[j].tier {
			return tierRank(keys[i].tier) < tierRank(keys[j].tier)
		}
		return keys[i].placement > keys[j].placement // shared first
	})
	share := make([]int, len(keys))
	type rest struct {
		i    int
		frac float64
	}
	var rests []rest
	given := 0
	for i, k := range keys {
		exact := float64(n) * float64(counts[k]) / float64(len(ts))
		share[i] = int(exact)
		given += share[i]
		rests = append(rests, rest{i, exact - float64(share[i])})
	}
	sort.SliceStable(rests, func(a, b int) bool { return rests[a].frac > rests[b].frac })
	for j := 0; given < n; j++ {
		share[rests[j%len(rests)].i]++
		given++
	}
	var out []Tenant
	for i, k := range keys {
		out = append(out, synthetic(k.tier, k.placement, share[i], len(out))...)
	}
	return out
}

// synthetic makes count tenants of a tier and placement, numbered from base.
func synthetic(tier Tier, placement Placement, count, base int) []Tenant {
	out := make([]Tenant, count)
	for i := range out {
		id := fmt.Sprintf("sim-%s-%04d", tier, base+i+1)
		out[i] = Tenant{ID: id, Name: "what-if " + id, Tier: tier, Placement: placement}
	}
	return out
}

func tierRank(t Tier) int {
	for i, x := range Tiers {
		if x == t {
			return i
		}
	}
	return len(Tiers)
}

// applyWhatIf grows or replaces the registry as the options ask.
func applyWhatIf(c *Config, opts LoadOptions) {
	if opts.Tenants > 0 && len(c.Tenants) > 0 {
		c.Tenants = scaleTenants(c.Tenants, opts.Tenants)
	}
	base := len(c.Tenants)
	for _, tier := range Tiers {
		if n := opts.Add[tier]; n > 0 {
			c.Tenants = append(c.Tenants, synthetic(tier, Shared, n, base)...)
			base += n
		}
	}
}
