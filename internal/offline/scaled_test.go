package offline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestScaledEvaluationIsTheFullOne holds the scaled evaluation to the full
// one, node for node, on a 20-tenant stack in each topology and on prod.
func TestScaledEvaluationIsTheFullOne(t *testing.T) {
	small := testproject.Write(t, "big", testproject.BigStack, testproject.SyntheticRegistry(20))
	for _, tc := range []struct {
		dir, stack string
		topology   stacks.Topology
		groups     int
	}{
		{small, "big", stacks.MultiInstance, 3},
		{small, "big", stacks.Hybrid, -1},
		{"../..", "prod", stacks.MultiInstance, -1},
		{"../..", "prod", stacks.Hybrid, -1},
		{"../..", "dev", stacks.MultiInstance, -1},
	} {
		t.Run(tc.stack+"/"+string(tc.topology), func(t *testing.T) {
			cfg, err := stacks.Load(tc.dir, tc.stack, stacks.LoadOptions{Topology: tc.topology})
			require.NoError(t, err)
			if tc.groups >= 0 {
				assert.Len(t, shapeGroups(cfg, true), tc.groups)
			} else {
				assert.NotEmpty(t, shapeGroups(cfg, true))
			}
			full, err := Evaluate(cfg)
			require.NoError(t, err)
			scaled, copied, err := evaluateScaled(cfg)
			require.NoError(t, err)
			assert.Equal(t, tc.groups != 0, copied, "the copies are used wherever tenants share a shape")
			require.Equal(t, len(full.Nodes), len(scaled.Nodes))
			for i := range full.Nodes {
				require.Equal(t, full.Nodes[i], scaled.Nodes[i], "node %d", i)
			}
		})
	}
}
