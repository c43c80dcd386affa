package offline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/components"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestDatabaseLogGroupsArePreCreated: every database's PostgreSQL export
// group exists in the program, named after the database's set identifier,
// encrypted, expiring, and protected in prod; a group RDS created itself
// would be neither encrypted nor expire.
func TestDatabaseLogGroupsArePreCreated(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	groups := map[string]Resource{}
	for _, g := range p.Custom("aws:cloudwatch/logGroup:LogGroup") {
		if name, ok := g.Input("name").(string); ok {
			groups[name] = g
		}
	}
	check := func(kind, identifier string) {
		t.Helper()
		g, ok := groups[components.DBLogGroupName(kind, identifier)]
		require.True(t, ok, "no log group for %s %s", kind, identifier)
		assert.Equal(t, float64(components.DBLogRetentionDays), g.Input("retentionInDays"))
		assert.NotEmpty(t, g.Input("kmsKeyId"), "%s is not encrypted", g.Name)
		assert.True(t, g.Protect && g.RetainOnDelete, "%s is not protected in prod", g.Name)
	}
	cluster := one(t, p.Custom("aws:rds/cluster:Cluster"))
	assert.Equal(t, components.SharedClusterIdentifier("prod"), cluster.Input("clusterIdentifier"))
	check("cluster", components.SharedClusterIdentifier("prod"))
	instances := p.Custom("aws:rds/instance:Instance")
	require.Len(t, instances, 10)
	for _, db := range instances {
		id, _ := p.TenantOf(db)
		assert.Equal(t, components.TenantDBIdentifier("prod", id), db.Input("identifier"))
		check("instance", components.TenantDBIdentifier("prod", id))
		assert.Equal(t, []any{"postgresql"}, db.Input("enabledCloudwatchLogsExports"))
	}
}
