package offline

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestInputsAreTheSameOnEveryRun: the program's inputs do not depend on Go's
// map order. Built from a map, the shared Auto Scaling group's tag list came
// out in a new order on each run, so a second `pulumi preview` after `up`
// was never empty. Each stack is evaluated several times and every
// resource's inputs must be byte for byte the same.
func TestInputsAreTheSameOnEveryRun(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		cfg, err := stacks.Load("../..", stack, stacks.LoadOptions{})
		require.NoError(t, err)
		var first map[string]string
		for run := 0; run < 4; run++ {
			p, err := Run(cfg) // not planFor: each run evaluates the program anew
			require.NoError(t, err)
			got := map[string]string{}
			for _, st := range p.PreviewJSON().Steps {
				b, err := json.Marshal(st.NewState.Inputs)
				require.NoError(t, err)
				got[st.URN] = string(b)
			}
			if first == nil {
				first = got
				continue
			}
			var changed []string
			for urn, in := range got {
				if first[urn] != in {
					changed = append(changed, urn)
				}
			}
			sort.Strings(changed)
			assert.Empty(t, changed, "%s run %d: inputs changed between runs:\n%s", stack, run, strings.Join(changed, "\n"))
		}
	}
}

// TestActiveDedicatedStacksAreProtectedWhole: in prod every resource of an
// active dedicated tenant is protected, so a registry edit that drops the
// tenant deletes nothing; dev's stay destroyable.
func TestActiveDedicatedStacksAreProtectedWhole(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	n := 0
	for _, r := range p.Resources {
		if id, placement := p.TenantOf(r); placement == stacks.Dedicated && id != "" {
			n++
			assert.True(t, r.Protect, "%s %s of %s", r.Type, r.Name, id)
		}
	}
	assert.Greater(t, n, 700, "the 10 dedicated stacks' resources")
	for _, r := range planFor(t, "dev", stacks.Hybrid).Resources {
		assert.False(t, r.Protect, "%s %s is protected in dev", r.Type, r.Name)
	}
}
