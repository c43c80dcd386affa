package offline

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/components"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

// longestIDs is a tenant id of the maximum length, dedicated and shared.
var longestIDs = []string{"abcdefghij-klmnopqrs", "zyxwvutsrq-ponmlkjih"}

// longStack is a prod stack in the longest region the validator accepts
// (those the catalog prices), its copies in another.
var longStack = func() string {
	cat, err := cost.DefaultCatalog()
	if err != nil {
		panic(err)
	}
	regions := cat.Regions()
	sort.SliceStable(regions, func(i, j int) bool { return len(regions[i]) > len(regions[j]) })
	return fmt.Sprintf(`config:
  aws:region: %s
  tenancy:environment: prod
  tenancy:tenantRegistry: tenants/t.yaml
  tenancy:domainName: a-rather-long-subdomain.customers.example.com
  tenancy:hostedZoneId: ZTEST123
  tenancy:backupCopyRegion: %s
`, regions[0], regions[1])
}()

// TestNamesAWSAccepts checks every physical name the program sets or lets
// Pulumi derive against AWS's length and alphabet rules, with the longest
// tenant ids and a long stack name: nothing else checks them before `pulumi up`.
func TestNamesAWSAccepts(t *testing.T) {
	require.Len(t, longestIDs[0], stacks.MaxTenantIDLength)
	registry := fmt.Sprintf("tenants:\n  - {id: %s, name: L, tier: enterprise, placement: dedicated}\n  - {id: %s, name: S, tier: pro, placement: shared}\n", longestIDs[0], longestIDs[1])
	stack := "production-eu-central-42" // a long stack name
	cfg, err := stacks.Load(testproject.Write(t, stack, longStack, registry), stack, stacks.LoadOptions{})
	require.NoError(t, err)
	p, err := Run(cfg)
	require.NoError(t, err)

	explicit := map[string]string{
		"aws:lb/loadBalancer:LoadBalancer": "name", "aws:lb/targetGroup:TargetGroup": "name",
		"aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId", "aws:rds/instance:Instance": "identifier",
		"aws:rds/cluster:Cluster": "clusterIdentifier", "aws:rds/clusterInstance:ClusterInstance": "identifier",
		"aws:rds/proxy:Proxy": "name", "aws:iam/role:Role": "name", "aws:elasticache/subnetGroup:SubnetGroup": "name",
		"aws:rds/subnetGroup:SubnetGroup": "name",
	}
	// Database identifiers are set (their log groups are named after them):
	// 1-63 of a-z, 0-9 and single hyphens, a letter first (RDS).
	setByProgram := map[string]bool{"aws:rds/instance:Instance": true, "aws:rds/cluster:Cluster": true}
	identifier := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	checked := 0
	for typ, limit := range components.AWSNameLimits {
		for _, r := range p.Custom(typ) {
			checked++
			if setByProgram[typ] {
				v, _ := r.Input(explicit[typ]).(string)
				assert.Regexp(t, identifier, v, "%s %s", typ, r.Name)
				assert.LessOrEqual(t, len(v), limit, "%s %s: identifier too long for AWS", typ, r.Name)
				continue
			}
			require.Nil(t, r.Input(explicit[typ]), "%s %s sets its name; check it here", typ, r.Name)
			assert.LessOrEqual(t, components.PhysicalNameLength(r.Name), limit, "%s %s: auto-name too long for AWS", typ, r.Name)
		}
	}
	assert.Greater(t, checked, 20)

	// ElastiCache ids: lower case, a letter first, no "--", no trailing "-".
	for _, r := range p.Custom("aws:elasticache/replicationGroup:ReplicationGroup") {
		assert.Regexp(t, `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, r.Name)
	}
	snapshot := regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$`)
	for _, r := range p.Custom("") {
		for _, k := range []string{"finalSnapshotIdentifier"} {
			if v, ok := r.Input(k).(string); ok {
				assert.Regexp(t, snapshot, v, "%s %s", r.Type, r.Name)
				assert.LessOrEqual(t, len(v), 255)
			}
		}
	}
	for _, r := range p.Custom("aws:cloudwatch/metricAlarm:MetricAlarm") {
		assert.LessOrEqual(t, len(r.Input("name").(string)), 255)
	}
	for _, r := range p.Custom("aws:ssm/parameter:Parameter") {
		assert.Regexp(t, `^[a-zA-Z0-9_.\-/]+$`, r.Input("name"))
		assert.LessOrEqual(t, len(r.Input("name").(string)), 2048)
	}
	for _, r := range p.Custom("aws:kms/alias:Alias") {
		v := r.Input("name").(string)
		assert.Regexp(t, `^alias/[a-zA-Z0-9/_-]+$`, v)
		assert.False(t, strings.HasPrefix(v, "alias/aws"), "alias/aws is reserved")
		assert.LessOrEqual(t, len(v), 256)
	}
	for _, r := range p.Custom("aws:cloudwatch/logGroup:LogGroup") {
		if v, ok := r.Input("name").(string); ok {
			assert.Regexp(t, `^[.\-_/#A-Za-z0-9]+$`, v)
			assert.LessOrEqual(t, len(v), 512)
		}
	}
	for _, r := range p.Custom("aws:wafv2/webAcl:WebAcl") {
		assert.Regexp(t, `^[\w-]{1,128}$`, r.Input("name"))
	}
	// ElastiCache AUTH: 16-128 printable characters, none of space, '"', '/', '@'.
	for _, r := range p.Custom("random:index/randomPassword:RandomPassword") {
		n := r.Input("length").(float64)
		assert.True(t, n >= 16 && n <= 128, "AUTH token length %v", n)
		assert.NotContains(t, r.Input("overrideSpecial"), "@")
		assert.NotContains(t, r.Input("overrideSpecial"), "/")
		assert.NotContains(t, r.Input("overrideSpecial"), `"`)
		assert.NotContains(t, r.Input("overrideSpecial"), " ")
	}
	aliases := map[string]bool{}
	for _, r := range p.Custom("aws:kms/alias:Alias") {
		v := r.Input("name").(string)
		assert.False(t, aliases[v], "alias %s is used twice", v)
		aliases[v] = true
	}
}

// TestTenantNamedLikeASharedKeyDoesNotCollide: ids that spell a platform
// resource's suffix must not reuse its physical names.
func TestTenantNamedLikeASharedKeyDoesNotCollide(t *testing.T) {
	registry := "tenants:\n  - {id: data, name: D, tier: enterprise, placement: dedicated}\n  - {id: platform, name: P, tier: enterprise, placement: dedicated}\n  - {id: shared, name: S, tier: pro, placement: shared}\n"
	cfg, err := stacks.Load(testproject.Write(t, "prod", longStack, registry), "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	p, err := Run(cfg)
	require.NoError(t, err)
	seen := map[string]string{}
	for _, r := range p.Custom("") {
		for _, k := range []string{"name", "finalSnapshotIdentifier", "identifier", "clusterIdentifier"} {
			v, ok := r.Input(k).(string)
			if !ok || r.Type == "aws:route53/record:Record" || (k == "clusterIdentifier" && r.Type != "aws:rds/cluster:Cluster") {
				continue
			}
			key := r.Type + " " + k + "=" + v
			assert.Empty(t, seen[key], "%s is set by %s and %s", key, seen[key], r.URN)
			seen[key] = r.URN
		}
	}
	urns := map[string]bool{}
	for _, r := range p.Resources {
		assert.False(t, urns[r.URN], "URN %s registered twice", r.URN)
		urns[r.URN] = true
	}
}
