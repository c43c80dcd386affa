package journey

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/deploy"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestATenantMovesToItsOwnStackWithoutLosingAResource proves the README's
// path for a running tenant: set ownStack, create its stack, carry its
// resources across with `pulumi state move`, then up both. Nothing of the
// tenant is created or deleted on either side: its resources keep their
// identity (their physical names carry the main stack's name, NameStack).
func TestATenantMovesToItsOwnStackWithoutLosingAResource(t *testing.T) {
	ctx := context.Background()
	dir, e, main := smallProdUp(t)

	// 1. The registry says so; the tenant's stack is created beside prod.
	writeRegistry(t, dir, strings.Replace(prodRegistry, oakEntry,
		"  - {id: oak-realty, name: Oak Realty, tier: enterprise, placement: dedicated, ownStack: true}\n", 1))
	cfg, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	name := deploy.StackName("prod", "oak-realty")
	require.NoError(t, deploy.WriteStackFile(cfg, "oak-realty", name))
	own := e.stack(name)

	// 2. Its resources move: the DedicatedTenant component and everything under it.
	dep, err := main.Export(ctx)
	require.NoError(t, err)
	var d apitype.DeploymentV3
	require.NoError(t, json.Unmarshal(dep.Deployment, &d))
	args := []string{"state", "move", "--source", "prod", "--dest", name, "--yes"}
	moved := 0
	for _, r := range d.Resources {
		if urn := string(r.URN); strings.HasSuffix(urn, "::tenant-oak-realty") || (strings.Contains(urn, "tenancy:index:DedicatedTenant") && strings.Contains(urn, "::oak-realty")) {
			args = append(args, urn)
			moved++
		}
	}
	require.Greater(t, moved, 50)
	env := []string{}
	for k, v := range e.env {
		env = append(env, k+"="+v)
	}
	stdout, stderr, code, err := e.cmd.Run(ctx, dir, nil, nil, nil, env, args...)
	require.NoError(t, err, "%s\n%s", stdout, stderr)
	require.Zero(t, code)

	// 3. Both stacks come up: nothing of the tenant is created or deleted.
	_, mark := e.entries(0)
	_, err = own.Up(ctx)
	require.NoError(t, err)
	_, err = main.Up(ctx)
	require.NoError(t, err)
	es, _ := e.entries(mark)
	for _, x := range es {
		if x.Preview || !strings.Contains(x.URN, "oak-realty") || !strings.Contains(x.URN, "DedicatedTenant") {
			continue
		}
		assert.NotContains(t, []string{"create", "delete"}, x.Op, "%s %s", x.Op, x.URN)
		if x.Op == "update" {
			assert.Subset(t, []string{"tags", "tagsAll", "tagSpecifications"}, x.Changes, "only its Stack tag changes: %s", x.URN)
		}
	}
	again, err := own.Preview(ctx)
	require.NoError(t, err)
	assert.Empty(t, changesOf(again.ChangeSummary), "the tenant's own stack is settled")
	again, err = main.Preview(ctx)
	require.NoError(t, err)
	assert.Empty(t, changesOf(again.ChangeSummary), "and so is prod")
}
