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

// TestCacheCredentialsReachTheApplication: each cache's address and AUTH
// token are in a secret encrypted with its stack's key, and only that
// stack's app role may read it.
func TestCacheCredentialsReachTheApplication(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	secrets := where(p.Custom("aws:secretsmanager/secret:Secret"), func(r Resource) bool { return strings.HasSuffix(r.Name, "-redis-auth") })
	require.Len(t, secrets, len(p.Custom("aws:elasticache/replicationGroup:ReplicationGroup")), "one for each cache")
	readers := map[string][]string{}
	for _, rp := range p.Custom("aws:iam/rolePolicy:RolePolicy") {
		for _, st := range arr(obj(jsonDoc(t, rp.Input("policy")))["Statement"]) {
			st := obj(st)
			if st["Action"] == "secretsmanager:GetSecretValue" && st["Sid"] == "CacheCredentials" {
				readers[fmt.Sprint(st["Resource"])] = append(readers[fmt.Sprint(st["Resource"])], rp.Name)
			}
		}
	}
	for _, s := range secrets {
		assert.NotEmpty(t, s.Input("kmsKeyId"), s.Name)
		arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret/" + s.Name
		want := strings.TrimSuffix(s.Name, "-redis-auth") + "-app"
		assert.Equal(t, []string{want}, readers[arn], "%s is read by its own app role only", s.Name)
	}
}
