package offline

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/standin"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

// The first dedicated tenant of the prod registry, as it is and as it moves.
const (
	dedicatedEntry = "    placement: dedicated\n    compliance: [hipaa, dedicated-required]"
	movingEntry    = "    placement: shared\n    compliance: [hipaa]\n    migration: {from: dedicated}"
	verifiedEntry  = "    placement: shared\n    compliance: [hipaa]\n    migration: {from: dedicated, dataVerified: true, record: tenants/records/delta-telecom.migration.json}"
	doneEntry      = "    placement: shared\n    compliance: [hipaa]"
)

func phasePlan(t *testing.T, entry string) *Plan {
	t.Helper()
	dir := testproject.CopyRepo(t)
	testproject.VerifiedRecord(t, dir, "delta-telecom")
	testproject.Edit(t, dir, "tenants/prod.yaml", dedicatedEntry, entry)
	cfg, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	p, err := Run(cfg)
	require.NoError(t, err)
	return p
}

func stateful(p *Plan, tenant string) map[string]Resource {
	out := map[string]Resource{}
	for _, r := range p.Custom("") {
		if id, placement := p.TenantOf(r); id == tenant && placement == stacks.Dedicated {
			switch r.Type {
			case "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:kms/key:Key":
				out[r.URN] = r
			case "aws:cloudwatch/logGroup:LogGroup": // the tenant's own logs; flow logs are not data
				if name, _ := r.Input("name").(string); strings.HasPrefix(name, "/aws/saas/") {
					out[r.URN] = r
				}
			}
		}
	}
	return out
}

// TestMovingATenantNeverDeletesItsDataFirst walks a dedicated tenant to the
// shared tier: the stack (and its database) stays, with the same URNs, until
// the registry records that its data was verified, and the preview says so.
func TestMovingATenantNeverDeletesItsDataFirst(t *testing.T) {
	before := planFor(t, "prod", stacks.Hybrid)
	dir := testproject.CopyRepo(t)
	cfg, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	tenant := cfg.DedicatedTenants()[0].ID
	orig := stateful(before, tenant)
	require.Len(t, orig, 4, "database, cache, key and the tenant's log group")

	// 1. Moved, data not verified: same stateful resources, same URNs, still
	// protected; its DNS record, same URN, points at the shared tier.
	moving := phasePlan(t, movingEntry)
	require.Len(t, moving.Config.MigratingTenants(), 1)
	require.Equal(t, tenant, moving.Config.MigratingTenants()[0].ID, "the registry's first dedicated tenant is the one moving")
	kept := stateful(moving, tenant)
	assert.Equal(t, keys(orig), keys(kept), "nothing stateful is replaced or deleted")
	for urn, r := range kept {
		assert.True(t, r.Protect && r.RetainOnDelete, "%s stays protected", urn)
	}
	db := only(t, kept, "aws:rds/instance:Instance")
	assert.Equal(t, true, db.Input("deletionProtection"))
	assert.Equal(t, keys(recordsOf(before, tenant)), keys(recordsOf(moving, tenant)), "the record is kept: deleting it is refused while the stack is protected")
	assert.Equal(t, sharedALBName(moving), aliasName(t, records(moving, tenant)[0]), "the tenant's host points at the shared tier")
	assert.True(t, sharedTenant(moving, tenant), "the shared tier serves it")
	var text bytes.Buffer
	moving.WriteText(&text, TextOptions{})
	assert.Contains(t, text.String(), tenant+" is served by the shared tier; its dedicated stack and database are kept, protected, until tenants/prod.yaml sets migration.dataVerified: true")

	// 2. Verified: kept, unprotected, final snapshots on, key and logs retained.
	verified := phasePlan(t, verifiedEntry)
	kept = stateful(verified, tenant)
	assert.Equal(t, keys(orig), keys(kept))
	db = only(t, kept, "aws:rds/instance:Instance")
	assert.Equal(t, false, db.Input("deletionProtection"))
	assert.Equal(t, false, db.Input("skipFinalSnapshot"))
	assert.NotEmpty(t, db.Input("finalSnapshotIdentifier"))
	assert.False(t, db.Protect)
	assert.NotEmpty(t, only(t, kept, "aws:elasticache/replicationGroup:ReplicationGroup").Input("finalSnapshotIdentifier"))
	assert.True(t, only(t, kept, "aws:kms/key:Key").RetainOnDelete, "its snapshots are encrypted with this key")
	text.Reset()
	verified.WriteText(&text, TextOptions{})
	assert.Contains(t, text.String(), "remove its migration entry in tenants/prod.yaml to remove the stack")

	assert.Equal(t, sharedALBName(verified), aliasName(t, records(verified, tenant)[0]), "still served by the shared tier")

	// 3. Entry removed: only now does the stack go, its record with it.
	done := phasePlan(t, doneEntry)
	assert.Empty(t, stateful(done, tenant))
	assert.Empty(t, records(done, tenant))

	// A shared placement cannot claim a migration from anywhere else.
	dir = testproject.CopyRepo(t)
	testproject.Edit(t, dir, "tenants/prod.yaml", dedicatedEntry, "    placement: dedicated\n    compliance: [hipaa]\n    migration: {from: shared}")
	_, err = stacks.Load(dir, "prod", stacks.LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown migration source "shared"`)
	assert.Contains(t, err.Error(), "a migration from a dedicated stack ends on the shared tier")
}

func keys(m map[string]Resource) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func only(t *testing.T, m map[string]Resource, typ string) Resource {
	t.Helper()
	var out []Resource
	for _, r := range m {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	require.Len(t, out, 1, typ)
	return out[0]
}

func records(p *Plan, tenant string) []Resource {
	var out []Resource
	for _, r := range p.Custom("aws:route53/record:Record") {
		if id, _ := p.TenantOf(r); id == tenant {
			out = append(out, r)
		}
	}
	return out
}

func recordsOf(p *Plan, tenant string) map[string]Resource {
	out := map[string]Resource{}
	for _, r := range records(p, tenant) {
		out[r.URN] = r
	}
	return out
}

// aliasName is where an alias record points.
func aliasName(t *testing.T, r Resource) string {
	t.Helper()
	list, _ := r.Input("aliases").([]any)
	require.Len(t, list, 1)
	first, _ := list[0].(map[string]any)
	name, _ := first["name"].(string)
	return name
}

// sharedALBName is the shared tier's load balancer's DNS name, as the stand-in reports it.
func sharedALBName(p *Plan) string {
	for _, lb := range p.Custom("aws:lb/loadBalancer:LoadBalancer") {
		if p.InSharedTier(lb) {
			_, st := standin.Outputs(lb.Type, lb.Name, p.Config.Region, lb.Inputs)
			return st["dnsName"].StringValue()
		}
	}
	return ""
}

func sharedTenant(p *Plan, tenant string) bool {
	for _, r := range p.Resources {
		if r.Type == TypeSharedTenant && r.Name == tenant {
			return true
		}
	}
	return false
}

// TestDecommissioningATenantIsExplicit: ending a dedicated tenant takes a
// registry entry of its own. With decommission: true its stack stays, same
// URNs, unprotected (so the next removal can delete it), out of DNS, with
// final snapshots on and its key and logs retained; it is no shared tenant.
// A decommission on a shared or migrating tenant is refused.
func TestDecommissioningATenantIsExplicit(t *testing.T) {
	before := planFor(t, "prod", stacks.Hybrid)
	tenant := before.Config.DedicatedTenants()[0].ID
	orig := stateful(before, tenant)
	ending := phasePlan(t, dedicatedEntry+"\n    decommission: true")
	kept := stateful(ending, tenant)
	assert.Equal(t, keys(orig), keys(kept), "nothing stateful is replaced or deleted")
	for _, r := range ending.Resources {
		if id, placement := ending.TenantOf(r); id == tenant && placement == stacks.Dedicated {
			assert.False(t, r.Protect, "%s %s is unprotected", r.Type, r.Name)
		}
	}
	for urn, r := range kept {
		if r.Type == "aws:kms/key:Key" || r.Type == "aws:cloudwatch/logGroup:LogGroup" {
			assert.True(t, r.RetainOnDelete, "%s is retained: its final snapshots need the key", urn)
		}
	}
	db := only(t, kept, "aws:rds/instance:Instance")
	assert.Equal(t, false, db.Input("deletionProtection"))
	assert.Equal(t, false, db.Input("skipFinalSnapshot"))
	require.Len(t, records(ending, tenant), 1, "its host is served until the entry is removed: a protected record cannot go first")
	assert.NotEqual(t, sharedALBName(ending), aliasName(t, records(ending, tenant)[0]), "by its own stack")
	assert.False(t, sharedTenant(ending, tenant))
	var text bytes.Buffer
	ending.WriteText(&text, TextOptions{})
	assert.Contains(t, text.String(), tenant+" is being decommissioned")

	dir := testproject.CopyRepo(t)
	testproject.Edit(t, dir, "tenants/prod.yaml", dedicatedEntry, movingEntry+"\n    decommission: true")
	_, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decommission: only a dedicated tenant that is not migrating can be decommissioned")
}
