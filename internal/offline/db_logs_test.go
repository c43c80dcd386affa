package offline

import (
	"fmt"
	"slices"
	"strings"
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

// TestAppLogsInThroughThePoolerOnly: the proxy logs in as the application
// user from its own encrypted secret (and as the master user for
// migrations), the app tier has no path to the cluster but the pooler, and
// every database refuses connections without TLS.
func TestAppLogsInThroughThePoolerOnly(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	byName := func(typ, name string) Resource {
		return one(t, where(p.Custom(typ), func(r Resource) bool { return r.Name == name }))
	}
	secret := byName("aws:secretsmanager/secret:Secret", "shared-db-app")
	assert.NotEmpty(t, secret.Input("kmsKeyId"))
	version := byName("aws:secretsmanager/secretVersion:SecretVersion", "shared-db-app")
	assert.Equal(t, secret.ID, version.Input("secretId"))
	proxy := one(t, p.Custom("aws:rds/proxy:Proxy"))
	auths := arr(proxy.Input("auths"))
	require.Len(t, auths, 2)
	app := obj(auths[0])
	assert.Equal(t, "arn:aws:secretsmanager:us-east-1:123456789012:secret/shared-db-app", app["secretArn"])
	assert.Equal(t, "REQUIRED", app["iamAuth"], "clients reach the pooler with IAM only")
	assert.Equal(t, "REQUIRED", obj(auths[1])["iamAuth"])
	for _, r := range p.Custom("aws:ec2/securityGroupRule:SecurityGroupRule") {
		assert.NotContains(t, r.Name, "shared-app-to-db", "the shared app reaches the cluster through the pooler only")
	}
	groups := append(p.Custom("aws:rds/clusterParameterGroup:ClusterParameterGroup"), p.Custom("aws:rds/parameterGroup:ParameterGroup")...)
	require.Len(t, groups, 11, "the cluster's and each dedicated instance's")
	for _, g := range groups {
		found := false
		for _, param := range arr(g.Input("parameters")) {
			if obj(param)["name"] == "rds.force_ssl" {
				found = obj(param)["value"] == "1"
			}
		}
		assert.True(t, found, "%s requires TLS", g.Name)
	}
	assert.Equal(t, "aurora-postgresql16", one(t, p.Custom("aws:rds/clusterParameterGroup:ClusterParameterGroup")).Input("family"))
}

// TestPCIFlowLogsAreKeptAYear: a VPC that serves a tenant declaring pci
// keeps its flow logs 365 days (PCI DSS 10.5.1), the others 90.
func TestPCIFlowLogsAreKeptAYear(t *testing.T) {
	cfg, err := stacks.Load("../..", "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	pci := map[string]bool{}
	for _, tn := range cfg.Tenants {
		pci[tn.ID] = slices.Contains(tn.Compliance, "pci")
	}
	p := planFor(t, "prod", stacks.Hybrid)
	seen := map[float64]int{}
	for _, g := range p.Custom("aws:cloudwatch/logGroup:LogGroup") {
		if !strings.HasSuffix(g.Name, "-flow-logs") {
			continue
		}
		id, _ := p.TenantOf(g)
		want := 90.0
		if pci[id] {
			want = 365
		}
		assert.Equal(t, want, g.Input("retentionInDays"), "%s (tenant %q)", g.Name, id)
		seen[want]++
	}
	assert.NotZero(t, seen[365], "prod has dedicated PCI tenants")
	assert.NotZero(t, seen[90])
}

// TestCachesLogInWithIAM: each cache takes role-based access only (no AUTH
// token): its default user is off, its application user authenticates with
// IAM, and only its own app role may connect, as that user.
func TestCachesLogInWithIAM(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	groups := p.Custom("aws:elasticache/replicationGroup:ReplicationGroup")
	require.Len(t, groups, 11)
	users := map[string]Resource{}
	for _, u := range p.Custom("aws:elasticache/user:User") {
		users[fmt.Sprint(u.Input("userId"))] = u
	}
	connects := map[string][]string{}
	for _, rp := range p.Custom("aws:iam/rolePolicy:RolePolicy") {
		for _, st := range arr(obj(jsonDoc(t, rp.Input("policy")))["Statement"]) {
			if st := obj(st); st["Sid"] == "CacheLogin" {
				assert.Equal(t, "elasticache:Connect", st["Action"])
				for _, r := range arr(st["Resource"]) {
					connects[fmt.Sprint(r)] = append(connects[fmt.Sprint(r)], rp.Name)
				}
			}
		}
	}
	for _, g := range groups {
		owner := strings.TrimSuffix(g.Name, "-redis")
		prefix := "tenancy-prod-" + owner
		assert.Nil(t, g.Input("authToken"), g.Name)
		assert.Equal(t, []any{prefix}, g.Input("userGroupIds"), g.Name)
		off, app := users[prefix+"-default"], users[components.CacheAppUser(prefix)]
		assert.Equal(t, "default", off.Input("userName"))
		assert.True(t, strings.HasPrefix(fmt.Sprint(off.Input("accessString")), "off "), "the default user is off")
		assert.Equal(t, components.CacheAppUser(prefix), app.Input("userName"), "IAM authentication needs the user id as its name")
		assert.Equal(t, "iam", obj(app.Input("authenticationMode"))["type"])
		assert.Contains(t, app.Input("accessString"), "-@dangerous")
		groupARN := "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:" + g.ID
		assert.Equal(t, []string{owner + "-app"}, connects[groupARN], "%s: only its own app role connects", g.Name)
		assert.Equal(t, []string{owner + "-app"}, connects["arn:aws:elasticache:us-east-1:123456789012:user:"+components.CacheAppUser(prefix)],
			"%s: as its application user only", g.Name)
	}
	assert.Empty(t, where(p.Custom("aws:secretsmanager/secret:Secret"), func(r Resource) bool { return strings.HasSuffix(r.Name, "-redis-auth") }),
		"no static token to keep")
}
