package journey

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
)

// prodRegistry is a small prod: two dedicated tenants and two shared ones,
// so the journey runs in seconds rather than prod's minutes.
const prodRegistry = `tenants:
  - {id: delta-telecom, name: Delta Telecom, tier: enterprise, placement: dedicated, compliance: [hipaa, dedicated-required]}
  - {id: oak-realty, name: Oak Realty, tier: enterprise, placement: dedicated}
  - {id: acme-shop, name: Acme Shop, tier: pro, placement: shared}
  - {id: beta-cafe, name: Beta Cafe, tier: free, placement: shared}
`

const oakEntry = "  - {id: oak-realty, name: Oak Realty, tier: enterprise, placement: dedicated}\n"

func writeRegistry(t *testing.T, dir, registry string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants", "prod.yaml"), []byte(registry), 0o644))
}

// smallProdUp deploys prod's config with prodRegistry on a fresh backend.
func smallProdUp(t *testing.T) (string, *engine, auto.Stack) {
	t.Helper()
	dir := testproject.CopyRepo(t)
	writeRegistry(t, dir, prodRegistry)
	e := newEngine(t, dir)
	s := e.stack("prod")
	_, err := s.Up(context.Background())
	require.NoError(t, err)
	return dir, e, s
}

// deleted lists the URNs the stand-in was asked to delete.
func deleted(es []entry) []string {
	var out []string
	for _, x := range es {
		if x.Op == "delete" {
			out = append(out, x.URN)
		}
	}
	return out
}

// TestProdKeepsATenantsDataThroughRegistryEdits: a dedicated tenant dropped
// from the registry by mistake loses nothing (the engine refuses, and the
// stand-in is asked to delete nothing); the migration flow deletes only
// what each step's preview promised, and never a retained key or log group.
func TestProdKeepsATenantsDataThroughRegistryEdits(t *testing.T) {
	ctx := context.Background()
	dir, e, s := smallProdUp(t)
	again, err := s.Preview(ctx)
	require.NoError(t, err)
	assert.Empty(t, changesOf(again.ChangeSummary), "a second preview of prod is empty")
	_, mark := e.entries(0)

	// The mistake: oak-realty's entry is deleted, with no migration or
	// decommission.
	writeRegistry(t, dir, strings.Replace(prodRegistry, oakEntry, "", 1))
	_, err = s.Up(ctx)
	require.Error(t, err, "up must refuse to take the tenant's stack down")
	assert.Contains(t, err.Error(), "protect")
	es, mark := e.entries(mark)
	assert.Empty(t, deleted(es), "nothing of the tenant's stack is deleted")

	// The migration, step by step: each up deletes what its preview said.
	steps := []struct{ name, entry string }{
		{"migrating", "  - {id: oak-realty, name: Oak Realty, tier: enterprise, placement: shared, migration: {from: dedicated}}\n"},
		{"data verified", "  - {id: oak-realty, name: Oak Realty, tier: enterprise, placement: shared, migration: {from: dedicated, dataVerified: true, record: " +
			testproject.VerifiedRecord(t, dir, "oak-realty") + "}}\n"},
		{"entry removed", "  - {id: oak-realty, name: Oak Realty, tier: enterprise, placement: shared}\n"},
	}
	var retained []string
	var provided, all int // oak-realty's resources before the removal: the provider's, and with its components
	for _, step := range steps {
		writeRegistry(t, dir, strings.Replace(prodRegistry, oakEntry, step.entry, 1))
		prev, err := s.Preview(ctx)
		require.NoError(t, err, step.name)
		if step.name == "entry removed" {
			retained, provided, all = oakState(t, &s)
			require.NotEmpty(t, retained, "the verified stack marks its key and log groups retain-on-delete")
		}
		_, mark = e.entries(mark)
		_, err = s.Up(ctx)
		require.NoError(t, err, step.name)
		es, mark = e.entries(mark)
		if step.name == "entry removed" {
			// The engine drops components and retained resources from the
			// state without asking the provider: it deletes the rest.
			assert.Equal(t, all, prev.ChangeSummary[apitype.OpDelete], "the preview promises the whole stack")
			assert.Equal(t, provided-len(retained), len(deleted(es)), "every resource but the retained ones is deleted in AWS")
		} else {
			assert.Equal(t, prev.ChangeSummary[apitype.OpDelete], len(deleted(es)), "%s: up deletes what preview promised", step.name)
			assert.Zero(t, len(deleted(es)), "%s: nothing goes while the stack is kept", step.name)
		}
		for _, urn := range deleted(es) {
			assert.Contains(t, urn, "oak-realty", "%s: only the migrating tenant's resources go", step.name)
			assert.NotContains(t, retained, urn, "%s: a retained key or log group is never deleted", step.name)
		}
	}
}

// oakState reads the deployed state: oak-realty's resources that are
// retained on delete, each a key or a log group; how many of its resources
// the provider holds, and how many it has in all; and checks its database
// and cache ask for a final snapshot.
func oakState(t *testing.T, s *auto.Stack) (retained []string, provided, all int) {
	t.Helper()
	dep, err := s.Export(context.Background())
	require.NoError(t, err)
	var d apitype.DeploymentV3
	require.NoError(t, json.Unmarshal(dep.Deployment, &d))
	for _, r := range d.Resources {
		urn := string(r.URN)
		if !strings.Contains(urn, "oak-realty") || !strings.Contains(urn, "tenancy:index:DedicatedTenant") {
			continue // the shared tier's resources of the now shared tenant stay
		}
		all++
		if r.Custom {
			provided++
		}
		switch r.Type {
		case "aws:rds/instance:Instance":
			assert.Equal(t, false, r.Inputs["skipFinalSnapshot"], "the database leaves a final snapshot")
			assert.NotEmpty(t, r.Inputs["finalSnapshotIdentifier"])
		case "aws:elasticache/replicationGroup:ReplicationGroup":
			assert.NotEmpty(t, r.Inputs["finalSnapshotIdentifier"], "the cache leaves a final snapshot")
		}
		if r.RetainOnDelete {
			assert.Contains(t, []string{"aws:kms/key:Key", "aws:kms/alias:Alias", "aws:cloudwatch/logGroup:LogGroup"}, string(r.Type), urn)
			retained = append(retained, urn)
		}
	}
	return retained, provided, all
}
