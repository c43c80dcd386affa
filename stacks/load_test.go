package stacks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/cost"
	"gopkg.in/yaml.v3"
)

const testStack = `config:
  aws:region: us-east-1
  tenancy:environment: dev
  tenancy:tenantRegistry: tenants/t.yaml
  tenancy:domainName: t.example.com
  tenancy:hostedZoneId: ZTEST123
`

const testRegistry = `tenants:
  - id: alpha
    name: Alpha
    tier: enterprise
    placement: dedicated
    compliance: [hipaa, dedicated-required]
  - id: beta
    name: Beta
    tier: pro
    placement: shared
  - id: gamma
    name: Gamma
    tier: free
    placement: shared
`

// writeProject lays out a project folder with the repo's Pulumi.yaml, a stack
// file and a registry, and returns its path.
func writeProject(t *testing.T, stackFile, registry string) string {
	t.Helper()
	dir := t.TempDir()
	pulumiYAML, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), pulumiYAML, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.test.yaml"), []byte(stackFile), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "tenants"), 0o755))
	usage, err := os.ReadFile("../tenants/usage.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants", "usage.yaml"), usage, 0o644))
	if registry != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants", "t.yaml"), []byte(registry), 0o644))
	}
	return dir
}

func TestLoadValidProject(t *testing.T) {
	cfg, err := Load(writeProject(t, testStack, testRegistry), "test", LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, Hybrid, cfg.Topology, "topology defaults to hybrid from the schema")
	assert.Equal(t, "m5.2xlarge", cfg.Shared.AppInstanceType)
	assert.Equal(t, []int{4, 6, 8}, []int{cfg.Shared.ASGMin, cfg.Shared.ASGDesired, cfg.Shared.ASGMax})
	assert.Len(t, cfg.Tenants, 3)
	assert.Equal(t, 7, cfg.Tenants[1].Line, "tenant lines are recorded")
	assert.Equal(t, []string{"alpha"}, ids(cfg.DedicatedTenants()))
	assert.Equal(t, []string{"beta", "gamma"}, ids(cfg.SharedTenants()))
	assert.False(t, cfg.Protected())
}

func TestTopologiesPlaceTenants(t *testing.T) {
	dir := writeProject(t, testStack, testRegistry)
	for _, tc := range []struct {
		topology          Topology
		dedicated, shared []string
	}{
		{MultiInstance, []string{"alpha", "beta", "gamma"}, nil},
		{MultiTenant, nil, []string{"alpha", "beta", "gamma"}},
		{Hybrid, []string{"alpha"}, []string{"beta", "gamma"}},
	} {
		t.Run(string(tc.topology), func(t *testing.T) {
			cfg, err := Load(dir, "test", LoadOptions{Topology: tc.topology})
			require.NoError(t, err)
			assert.Equal(t, tc.dedicated, ids(cfg.DedicatedTenants()))
			assert.Equal(t, tc.shared, ids(cfg.SharedTenants()))
			assert.Equal(t, len(tc.shared) > 0, cfg.HasSharedTier())
		})
	}
}

func TestWhatIfMultiTenantWarnsAboutDedicatedRequired(t *testing.T) {
	cfg, err := Load(writeProject(t, testStack, testRegistry), "test", LoadOptions{Topology: MultiTenant})
	require.NoError(t, err, "a --topology what-if is allowed")
	require.Len(t, cfg.Warnings, 1)
	assert.Contains(t, cfg.Warnings[0], "tenant alpha needs dedicated placement")
}

func TestRepoStacksLoad(t *testing.T) {
	for _, tc := range []struct {
		stack                 string
		tenants, dedicated    int
		env                   Environment
		securityServicesOnOff bool
	}{
		{"dev", 5, 1, Dev, false},
		{"prod", 200, 10, Prod, true},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			cfg, err := Load("..", tc.stack, LoadOptions{})
			require.NoError(t, err)
			assert.Len(t, cfg.Tenants, tc.tenants)
			assert.Len(t, cfg.DedicatedTenants(), tc.dedicated)
			assert.Equal(t, tc.env, cfg.Environment)
			assert.Equal(t, tc.securityServicesOnOff, cfg.SecurityServices)
			for _, d := range cfg.DedicatedTenants() {
				assert.Equal(t, Enterprise, d.Tier, "the article keeps its top enterprise tenants dedicated")
			}
		})
	}
}

// TestBadInput covers every kind of bad input: each is reported with the
// file, the line where one exists, the field and a fix.
func TestBadInput(t *testing.T) {
	edit := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			panic("test edit: " + old + " not found")
		}
		return strings.Replace(s, old, new, 1)
	}
	cases := []struct {
		name      string
		stack     string
		registry  string
		noReg     bool
		wantCount int
		want      []string // every one must appear in the error
	}{
		{name: "unknown key (typo)", stack: testStack + "  tenancy:topolgy: hybrid\n",
			want: []string{"Pulumi.test.yaml:7: tenancy:topolgy: unknown config key", `did you mean "tenancy:topology"?`}},
		{name: "misspelt namespace", stack: testStack + "  tennancy:asgMin: 2\n",
			want: []string{"Pulumi.test.yaml:7: tennancy:asgMin: unknown config namespace", `did you mean "tenancy:asgMin"?`}},
		{name: "wrong type", stack: testStack + "  tenancy:asgMin: four\n",
			want: []string{"Pulumi.test.yaml:7: tenancy:asgMin: \"four\" is not an integer", "write a whole number"}},
		{name: "wrong type: list for a string", stack: testStack + "  tenancy:natGateways: [a, b]\n",
			want: []string{"tenancy:natGateways: expected a string, got a list or map"}},
		{name: "security services left to another stack's baseline", stack: testStack + "  tenancy:securityServices: true\n  tenancy:accountBaselineStack: prod\n",
			want: []string{"Pulumi.test.yaml:7: tenancy:securityServices: the security services belong to the account baseline, which tenancy:accountBaselineStack says stack prod owns",
				"set tenancy:securityServices: false here and enable them in stack prod, or clear tenancy:accountBaselineStack"}},
		{name: "a baseline owner that is no stack name", stack: testStack + "  tenancy:securityServices: false\n  tenancy:accountBaselineStack: prod/eu\n",
			want: []string{"Pulumi.test.yaml:8: tenancy:accountBaselineStack: \"prod/eu\" is not a stack name", "name the stack that owns the baseline"}},
		// Every validation has its bad-input case (issue 10).
		{name: "integer below its range", stack: testStack + "  tenancy:asgMin: 0\n",
			want: []string{"tenancy:asgMin: 0 is out of range", "set a whole number from 1 to 100"}},
		{name: "integer above its range", stack: testStack + "  tenancy:asgMax: 1001\n",
			want: []string{"tenancy:asgMax: 1001 is out of range", "set a whole number from 1 to 1000"}},
		{name: "backup retention under RDS.11's 7 days", stack: testStack + "  tenancy:dbBackupRetentionDays: 6\n",
			want: []string{"tenancy:dbBackupRetentionDays: 6 is out of range", "from 7 to 35"}},
		{name: "backup retention over Aurora's 35 days", stack: testStack + "  tenancy:dbBackupRetentionDays: 36\n",
			want: []string{"tenancy:dbBackupRetentionDays: 36 is out of range", "from 7 to 35"}},
		{name: "desired below min", stack: testStack + "  tenancy:asgMin: 4\n  tenancy:asgMax: 8\n  tenancy:asgDesired: 2\n",
			want: []string{"tenancy:asgDesired: desired 2 is outside min 4 and max 8", "set a size from 4 to 8"}},
		{name: "desired above max", stack: testStack + "  tenancy:asgMin: 4\n  tenancy:asgMax: 8\n  tenancy:asgDesired: 9\n",
			want: []string{"tenancy:asgDesired: desired 9 is outside min 4 and max 8"}},
		{name: "domain not lower case", stack: edit(testStack, "t.example.com", "T.Example.com"),
			want: []string{`tenancy:domainName: "T.Example.com" is not a lower-case DNS name`, "set a domain you own"}},
		{name: "hosted zone id", stack: edit(testStack, "ZTEST123", "zone-1"),
			want: []string{`tenancy:hostedZoneId: "zone-1" is not a Route 53 hosted zone id`, "aws route53 list-hosted-zones"}},
		{name: "VPC too small", stack: testStack + "  tenancy:vpcCidr: 10.0.0.0/24\n",
			want: []string{`tenancy:vpcCidr: "10.0.0.0/24" is not an IPv4 network from /16 to /20`, "set e.g. 10.0.0.0/16"}},
		{name: "VPC not a network", stack: testStack + "  tenancy:vpcCidr: 10.0.0.300/16\n",
			want: []string{`tenancy:vpcCidr: "10.0.0.300/16" is not an IPv4 network from /16 to /20`}},
		{name: "engine version", stack: testStack + "  tenancy:dbEngineVersion: sixteen\n",
			want: []string{`tenancy:dbEngineVersion: "sixteen" is not an engine version`, "set e.g. 16.6"}},
		{name: "cache engine version", stack: testStack + "  tenancy:cacheEngineVersion: latest\n",
			want: []string{`tenancy:cacheEngineVersion: "latest" is not an engine version`, "set e.g. 7.1"}},
		{name: "audit retention under a year", stack: testStack + "  tenancy:auditLogRetentionDays: 180\n",
			want: []string{"tenancy:auditLogRetentionDays: 180 is not a CloudWatch Logs retention of 365 days or more", "use one of 365, 400"}},
		{name: "audit retention CloudWatch does not offer", stack: testStack + "  tenancy:auditLogRetentionDays: 366\n",
			want: []string{"tenancy:auditLogRetentionDays: 366 is not a CloudWatch Logs retention of 365 days or more"}},
		{name: "alarm e-mail", stack: testStack + "  tenancy:alarmEmail: oncall\n",
			want: []string{`tenancy:alarmEmail: "oncall" is not an e-mail address`, "oncall@example.com"}},
		{name: "registry outside the project", stack: edit(testStack, "tenants/t.yaml", "../t.yaml"),
			want: []string{`tenancy:tenantRegistry: "../t.yaml" is not a path inside the project`, "name a YAML file under tenants/"}},
		{name: "registry an absolute path", stack: edit(testStack, "tenants/t.yaml", "/etc/t.yaml"),
			want: []string{`tenancy:tenantRegistry: "/etc/t.yaml" is not a path inside the project`}},
		{name: "usage profiles outside the project", stack: testStack + "  tenancy:usageProfiles: ../usage.yaml\n",
			want: []string{`tenancy:usageProfiles: "../usage.yaml" is not a path inside the project`, "tenants/usage.yaml"}},
		{name: "bad boolean", stack: testStack + "  tenancy:securityServices: maybe\n",
			want: []string{"tenancy:securityServices: \"maybe\" is not a boolean"}},
		{name: "required key missing", stack: strings.Replace(testStack, "  tenancy:domainName: t.example.com\n", "", 1),
			want: []string{"Pulumi.test.yaml: tenancy:domainName: required key is not set", "add `tenancy:domainName: <value>`"}},
		{name: "unknown value", stack: testStack + "  tenancy:topology: hybird\n",
			want: []string{"tenancy:topology: \"hybird\" is not allowed", `did you mean "hybrid"?`}},
		{name: "ASG min greater than max", stack: testStack + "  tenancy:asgMin: 9\n  tenancy:asgMax: 8\n",
			want: []string{"Pulumi.test.yaml:7: tenancy:asgMin: minimum 9 is greater than maximum 8", "lower tenancy:asgMin to 8 or less"}},
		{name: "desired outside bounds", stack: testStack + "  tenancy:asgDesired: 12\n",
			want: []string{"tenancy:asgDesired: desired 12 is outside min 4 and max 8"}},
		{name: "instance type not a shape", stack: testStack + "  tenancy:appInstanceType: m5.2xlrge\n",
			want: []string{`tenancy:appInstanceType: "m5.2xlrge" is not a valid EC2 instance type: family m5 has no size "2xlrge"`, `did you mean "m5.2xlarge"?`}},
		{name: "instance class not offered for Aurora", stack: testStack + "  tenancy:dbInstanceClass: db.t3.small\n",
			want: []string{`"db.t3.small" is not a valid Aurora PostgreSQL instance class`}},
		{name: "a real Aurora class the catalog does not price", stack: testStack + "  tenancy:dbInstanceClass: db.r6g.16xlarge\n",
			want: []string{`"db.r6g.16xlarge" is not a valid Aurora PostgreSQL instance class: family db.r6g has no size "16xlarge"`, "db.r6g.8xlarge"}},
		{name: "cache node type unknown family", stack: testStack + "  tenancy:cacheNodeType: cache.x9.large\n",
			want: []string{`"cache.x9.large" is not a valid ElastiCache node type`}},
		{name: "region unknown", stack: strings.Replace(testStack, "us-east-1", "us-east-9", 1),
			want: []string{"aws:region: \"us-east-9\" is not allowed", `did you mean "us-east-1"?`}},
		{name: "region without prices", stack: strings.Replace(testStack, "us-east-1", "eu-west-1", 1),
			want: []string{`aws:region: "eu-west-1" has no prices in the catalog`, "set one of us-east-1, us-west-2, or add cost/prices/eu-west-1.json"}},
		{name: "backup copy to a region without prices", stack: testStack + "  tenancy:backupCopyRegion: ap-south-1\n",
			want: []string{`tenancy:backupCopyRegion: "ap-south-1" has no prices in the catalog`}},
		{name: "backup copy to the same region", stack: testStack + "  tenancy:backupCopyRegion: us-east-1\n",
			want: []string{"tenancy:backupCopyRegion: the disaster-recovery copy must go to another region than us-east-1"}},
		{name: "secret in config", stack: testStack + "  tenancy:dbPassword:\n    secure: AAABAxyz\n",
			want: []string{"tenancy:dbPassword: a secret value is not expected here", "tenancy takes no secrets in config"}},
		{name: "multi-tenant in the stack file with a dedicated-required tenant", stack: testStack + "  tenancy:topology: multi-tenant\n",
			want: []string{"tenancy:topology: tenant alpha needs dedicated placement", "use topology hybrid"}},
		{name: "missing registry file", noReg: true,
			want: []string{"tenants/t.yaml: tenancy:tenantRegistry: the tenant registry file does not exist", "create the file"}},
		{name: "registry typo in a field", registry: edit(testRegistry, "    tier: pro", "    tire: pro"),
			want: []string{"tenants/t.yaml:9: tenants[1].tire: unknown field \"tire\"", `did you mean "tier"?`}},
		{name: "duplicate tenant id", registry: edit(testRegistry, "id: gamma", "id: beta"),
			want: []string{"tenants/t.yaml:11: tenants[2] (beta).id: duplicate tenant id \"beta\"", "first at line 7"}},
		{name: "unknown tier", registry: edit(testRegistry, "tier: free", "tier: gold"),
			want: []string{"tenants[2] (gamma).tier: unknown tier \"gold\"", "use one of: free, pro, enterprise"}},
		{name: "dedicated-required placed shared", registry: edit(testRegistry, "placement: dedicated", "placement: shared"),
			want: []string{"tenants/t.yaml:2: tenants[0] (alpha).placement: the tenant needs dedicated placement", "set placement: dedicated"}},
		{name: "unknown placement", registry: edit(testRegistry, "placement: dedicated", "placement: dedicatd"),
			want: []string{"unknown placement \"dedicatd\"", `did you mean "dedicated"?`}},
		{name: "id not DNS safe", registry: edit(testRegistry, "id: gamma", "id: Gamma_Corp"),
			want: []string{`"Gamma_Corp" is not a DNS-safe tenant id`, `"gamma-corp"`}},
		{name: "id too long for AWS names", registry: edit(testRegistry, "id: gamma", "id: gamma-corporation-holdings"),
			want: []string{`"gamma-corporation-holdings" is not a DNS-safe tenant id`, "3 to 20 characters"}},
		{name: "dedicated sizing class for the wrong engine", registry: edit(testRegistry, "    compliance: [hipaa, dedicated-required]",
			"    compliance: [hipaa, dedicated-required]\n    sizing: {dbInstanceClass: db.r6g.medium}"),
			want: []string{`tenants[0] (alpha).sizing.dbInstanceClass: "db.r6g.medium" is not a valid RDS for PostgreSQL instance class`}},
		{name: "number where a list belongs", registry: edit(testRegistry, "compliance: [hipaa, dedicated-required]", "compliance: 3"),
			want: []string{"tenants[0].compliance: expected a list"}},
		{name: "unknown compliance need", registry: edit(testRegistry, "compliance: [hipaa, dedicated-required]", "compliance: [hippa, dedicated-required]"),
			want: []string{`unknown compliance need "hippa"`, `did you mean "hipaa"?`}},
		{name: "negative usage", registry: edit(testRegistry, "    tier: free", "    tier: free\n    usage: {dataOutGb: -5}"),
			want: []string{"tenants[2] (gamma).usage.dataOutGb: usage cannot be negative"}},
		{name: "empty registry", registry: "tenants: []\n", want: []string{"the registry lists no tenants"}},
		{name: "all problems at once", stack: testStack + "  tenancy:topolgy: hybrid\n  tenancy:asgMin: four\n",
			registry: edit(edit(testRegistry, "tier: free", "tier: gold"), "id: gamma", "id: beta"), wantCount: 4,
			want: []string{"tenancy:topolgy", "tenancy:asgMin", "unknown tier", "duplicate tenant id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stack, registry := tc.stack, tc.registry
			if stack == "" {
				stack = testStack
			}
			if registry == "" && !tc.noReg {
				registry = testRegistry
			}
			cfg, err := Load(writeProject(t, stack, registry), "test", LoadOptions{})
			require.Error(t, err)
			assert.Nil(t, cfg, "no config, so nothing can be built from it")
			var verr *ValidationError
			require.True(t, errors.As(err, &verr), "a *ValidationError, got %T: %v", err, err)
			if tc.wantCount > 0 {
				assert.Len(t, verr.Problems, tc.wantCount, err.Error())
			}
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			for _, p := range verr.Problems {
				assert.NotEmpty(t, p.File, "every problem names a file: %s", p)
				assert.NotEmpty(t, p.Field, "every problem names a field: %s", p)
				assert.NotEmpty(t, p.Fix, "every problem says how to fix it: %s", p)
			}
		})
	}
}

// TestValidatorAcceptsExactlyTheOfferedShapes walks the one table both the
// validator and the cost model read: every shape the catalog prices in
// every region is accepted, so nothing accepted can be priced at $0.
func TestValidatorAcceptsExactlyTheOfferedShapes(t *testing.T) {
	cat, err := cost.DefaultCatalog()
	require.NoError(t, err)
	for _, kind := range cost.ShapeKinds {
		for _, class := range cat.Offered(kind) {
			msg, fix := checkShape(kind, class)
			assert.Empty(t, msg+fix, "%s %s is priced but refused", kind, class)
		}
	}
	for kind, class := range map[cost.ShapeKind]string{cost.EC2InstanceType: "m5.24xlarge", cost.RDSPostgresClass: "db.r6g.16xlarge",
		cost.AuroraPostgresClass: "db.x2g.large", cost.ElastiCacheRedisNode: "cache.r6g.16xlarge"} {
		require.False(t, cat.PricedEverywhere(kind, class), "pick an unpriced example for %s", kind)
		msg, fix := checkShape(kind, class)
		assert.Contains(t, msg, "is not a valid "+string(kind), class)
		assert.NotEmpty(t, fix, class)
	}
}

func TestMissingStackFile(t *testing.T) {
	_, err := Load(writeProject(t, testStack, testRegistry), "staging", LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Pulumi.staging.yaml: stack: the stack file does not exist")
}

func TestEngineConfigTakesPulumiStrings(t *testing.T) {
	dir := writeProject(t, testStack, testRegistry)
	cfg, err := LoadFromEngine(dir, "tenancy", "test", map[string]string{
		"aws:region": "us-east-1", "tenancy:environment": "prod", "tenancy:tenantRegistry": "tenants/t.yaml",
		"tenancy:domainName": "t.example.com", "tenancy:hostedZoneId": "ZTEST123", "tenancy:asgMin": "2", "tenancy:securityServices": "false",
	})
	require.NoError(t, err)
	assert.Equal(t, 2, cfg.Shared.ASGMin)
	assert.False(t, cfg.SecurityServices)
	assert.True(t, cfg.Protected())

	_, err = LoadFromEngine(dir, "tenancy", "test", map[string]string{"aws:region": "us-east-1", "tenancy:asgMni": "2"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `tenancy:asgMni: unknown config key (fix: did you mean "tenancy:asgMin"?)`)
}

// The engine hands a program Pulumi.yaml's defaults beside the stack's
// values. A dev stack with strategy none, given every default, loads: the
// DR copy schedule's defaults are not the stack's settings (the engine
// journey found that `pulumi up` of dev refused them). Set in the file, the
// same value is still refused.
func TestEngineDefaultsAreNotTheStacksSettings(t *testing.T) {
	stack := testStack + "  tenancy:drStrategy: none\n"
	dir := writeProject(t, stack, testRegistry)
	engine := map[string]string{}
	for _, k := range configKeys {
		if k.Default != nil {
			engine[Namespace+":"+k.Name] = fmt.Sprint(k.Default)
		}
	}
	raw, err := readStackFile(dir, "Pulumi.test.yaml")
	require.NoError(t, err)
	for k, v := range raw {
		engine[k] = v.Text
	}
	cfg, err := LoadFromEngine(dir, "tenancy", "test", engine)
	require.NoError(t, err)
	assert.Equal(t, "none", cfg.DR.Strategy)

	dir = writeProject(t, stack+"  tenancy:drCopyEveryDays: 1\n", testRegistry)
	_, err = LoadFromEngine(dir, "tenancy", "test", engine)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Pulumi.test.yaml:")
	assert.Contains(t, err.Error(), "tenancy:drCopyEveryDays: applies to drStrategy snapshot-copy only")
}

func TestWebACLCapacityIsChecked(t *testing.T) {
	var b strings.Builder
	b.WriteString("tenants:\n")
	for i := 0; i < 2100; i++ {
		// Free: 2,100 pro tenants' 168 TB would outgrow Aurora's volume too.
		fmt.Fprintf(&b, "  - {id: t%04d, name: T, tier: free, placement: shared}\n", i)
	}
	_, err := Load(writeProject(t, testStack, b.String()), "test", LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "2100 shared tenants need 5307 WAF capacity units; AWS allows 5000 per web ACL")

	_, err = Load(writeProject(t, testStack+"  tenancy:edgeRateLimits: false\n", b.String()), "test", LoadOptions{})
	require.NoError(t, err, "without edge rate limits there is no web ACL to outgrow")
}

// TestPulumiYAMLDeclaresTheSchema holds Pulumi.yaml and the Go schema together:
// the engine applies Pulumi.yaml's defaults, the offline loader the Go ones.
func TestPulumiYAMLDeclaresTheSchema(t *testing.T) {
	b, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	var project struct {
		Name    string `yaml:"name"`
		Runtime string `yaml:"runtime"`
		Config  map[string]struct {
			Type    string `yaml:"type"`
			Default any    `yaml:"default"`
		} `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(b, &project))
	assert.Equal(t, "go", project.Runtime)
	want := DeclaredConfigKeys()
	require.Len(t, project.Config, len(want))
	for name, decl := range want {
		got, ok := project.Config[name]
		require.True(t, ok, "Pulumi.yaml does not declare %s", name)
		assert.Equal(t, decl.Type, got.Type, name)
		assert.Equal(t, decl.Default, got.Default, name)
	}
}

func TestSlugifySuggestsAValidID(t *testing.T) {
	for _, in := range []string{"Gamma_Corp", "9lives", "a", "Über Größe!", strings.Repeat("x", 40)} {
		assert.Regexp(t, slugRE, slugify(in), in)
		assert.LessOrEqual(t, len(slugify(in)), MaxTenantIDLength, in)
	}
}

func ids(ts []Tenant) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// TestREADMEListsEveryConfigKey keeps the README's config table true.
func TestREADMEListsEveryConfigKey(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, k := range ConfigKeyNames() {
		assert.Contains(t, string(b), "`tenancy:"+k+"`", "README.md does not document tenancy:%s", k)
	}
}

func TestWorkloadComesFromTierWithOverrides(t *testing.T) {
	registry := strings.Replace(testRegistry, "    tier: pro\n", "    tier: pro\n    usage: {dataOutGb: 999, dbStorageGb: 400}\n", 1)
	cfg, err := Load(writeProject(t, testStack, registry), "test", LoadOptions{})
	require.NoError(t, err)
	pro := cfg.Usage.Tiers[Pro]
	beta := cfg.Tenants[1].Workload
	assert.Equal(t, 999.0, beta.DataOutGB, "the registry overrides the tier")
	assert.Equal(t, pro.RequestsMillions, beta.RequestsMillions, "the rest is the tier's")
	assert.Equal(t, cfg.Usage.Tiers[Free], cfg.Tenants[2].Workload)
	assert.Equal(t, 500, cfg.Tenants[1].DedicatedDBStorageGB(), "400 GB of data with 25% headroom")
	assert.Equal(t, 20, Tenant{}.DedicatedDBStorageGB(), "RDS's minimum")
	assert.Equal(t, 40, Tenant{Sizing: Sizing{DBStorageGB: 40}, Workload: Workload{DBStorageGB: 900}}.DedicatedDBStorageGB(), "sizing wins")
	got, ok := beta.Quantity(cost.DataOut)
	assert.True(t, ok)
	assert.Equal(t, 999.0, got)
	_, ok = beta.Quantity("nope")
	assert.False(t, ok)
}

// Every cost driver selects the workload field of its name: the allocation
// of a shared cost can never fall back to an even split by a typo.
func TestEveryDriverSelectsItsField(t *testing.T) {
	var w Workload
	v, typ := reflect.ValueOf(&w).Elem(), reflect.TypeOf(w)
	byTag := map[string]float64{}
	for i := 0; i < typ.NumField(); i++ {
		v.Field(i).SetFloat(float64(i + 1))
		byTag[typ.Field(i).Tag.Get("yaml")] = float64(i + 1)
	}
	for _, d := range cost.Drivers {
		got, ok := w.Quantity(d)
		require.True(t, ok, "driver %s selects no workload field", d)
		assert.Equal(t, byTag[string(d)], got, "driver %s selects the wrong field", d)
	}
}

func TestUsageFieldsMatchWorkload(t *testing.T) {
	u, w := reflect.TypeOf(Usage{}), reflect.TypeOf(Workload{})
	require.Equal(t, w.NumField(), u.NumField())
	for i := 0; i < w.NumField(); i++ {
		assert.Equal(t, w.Field(i).Name, u.Field(i).Name)
		assert.Equal(t, w.Field(i).Tag, u.Field(i).Tag)
	}
}

func TestUsageProfilesAreComplete(t *testing.T) {
	dir := writeProject(t, testStack, testRegistry)
	b, err := os.ReadFile(filepath.Join(dir, "tenants", "usage.yaml"))
	require.NoError(t, err)
	broken := strings.Replace(string(b), "    dataInGb: 25\n", "", 1)                  // pro loses a field
	broken = strings.Replace(broken, "  kmsRequestsPerKey:", "  kmsRequestPerKey:", 1) // a typo
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants", "usage.yaml"), []byte(broken), 0o644))
	_, err = Load(dir, "test", LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `platform.kmsRequestPerKey: unknown field "kmsRequestPerKey" (fix: did you mean "kmsRequestsPerKey"?)`)

	broken = strings.Replace(string(b), "    dataInGb: 25\n", "", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants", "usage.yaml"), []byte(broken), 0o644))
	_, err = Load(dir, "test", LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tiers.pro.dataInGb: the field is missing, and would price as zero")
}

func TestDisasterRecoveryCombinationsAWSRefuses(t *testing.T) {
	for _, tc := range []struct{ name, stack, want string }{
		{"copies gone before the next", testStack + "  tenancy:drCopyEveryDays: 7\n  tenancy:drCopyRetentionDays: 3\n",
			"tenancy:drCopyRetentionDays: copies kept 3 days are gone before the next copy, every 7 days"},
		{"no schedule for 14 days", testStack + "  tenancy:drCopyEveryDays: 14\n", "tenancy:drCopyEveryDays: 14 days has no AWS Backup schedule"},
		{"global database on a burstable class", testStack + "  tenancy:drStrategy: global-database\n  tenancy:dbInstanceClass: db.t4g.medium\n",
			`"db.t4g.medium" cannot be in an Aurora Global Database, which requires memory-optimized instance classes`},
		{"global database on an old engine", testStack + "  tenancy:drStrategy: global-database\n  tenancy:dbInstanceClass: db.r6g.large\n  tenancy:dbEngineVersion: \"12.4\"\n",
			"Aurora PostgreSQL 12.4 cannot be in a global database (12.8 or later)"},
		{"global database before 11", testStack + "  tenancy:drStrategy: global-database\n  tenancy:dbInstanceClass: db.r6g.large\n  tenancy:dbEngineVersion: \"10.21\"\n",
			"Aurora PostgreSQL 10.21 cannot be in a global database (11.9 or later)"},
		{"copy settings without copies", testStack + "  tenancy:drStrategy: none\n  tenancy:drCopyEveryDays: 7\n",
			"tenancy:drCopyEveryDays: applies to drStrategy snapshot-copy only, and the stack's strategy is none"},
		{"unknown strategy", testStack + "  tenancy:drStrategy: pilot-light\n", `tenancy:drStrategy: "pilot-light" is not allowed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeProject(t, tc.stack, testRegistry), "test", LoadOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	cfg, err := Load(writeProject(t, testStack+"  tenancy:drStrategy: global-database\n  tenancy:dbInstanceClass: db.r6g.large\n  tenancy:dbEngineVersion: \"16.1\"\n", testRegistry), "test", LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "global-database", cfg.DR.Strategy)
}

// TestRangeEdgesAreAccepted: each range's own ends are valid values (an
// off-by-one in a check would refuse them).
func TestRangeEdgesAreAccepted(t *testing.T) {
	label := strings.Repeat("a", 63)
	domain := label + "." + label + "." + label + ".abcde.io" // 200 characters
	require.Len(t, domain, 200)
	for _, tc := range []struct {
		name, lines string
		check       func(t *testing.T, c *Config)
	}{
		{"sizes at their lower ends", "  tenancy:asgMin: 1\n  tenancy:asgMax: 1\n  tenancy:asgDesired: 1\n  tenancy:dbBackupRetentionDays: 7\n  tenancy:vpcCidr: 10.0.0.0/16\n",
			func(t *testing.T, c *Config) {
				assert.Equal(t, []int{1, 1, 1, 7}, []int{c.Shared.ASGMin, c.Shared.ASGMax, c.Shared.ASGDesired, c.Shared.DBBackupRetentionDays})
			}},
		{"sizes at their upper ends", "  tenancy:asgMin: 100\n  tenancy:asgMax: 100\n  tenancy:asgDesired: 100\n  tenancy:dbBackupRetentionDays: 35\n  tenancy:vpcCidr: 10.0.0.0/20\n",
			func(t *testing.T, c *Config) {
				assert.Equal(t, []int{100, 100, 100, 35}, []int{c.Shared.ASGMin, c.Shared.ASGMax, c.Shared.ASGDesired, c.Shared.DBBackupRetentionDays})
				assert.Equal(t, "10.0.0.0/20", c.Network.VpcCIDR)
			}},
		{"desired at min and max", "  tenancy:asgMin: 2\n  tenancy:asgMax: 5\n  tenancy:asgDesired: 2\n", func(t *testing.T, c *Config) { assert.Equal(t, 2, c.Shared.ASGDesired) }},
		{"desired at max", "  tenancy:asgMin: 2\n  tenancy:asgMax: 5\n  tenancy:asgDesired: 5\n", func(t *testing.T, c *Config) { assert.Equal(t, 5, c.Shared.ASGDesired) }},
		{"a 200-character domain", "", func(t *testing.T, c *Config) { assert.Equal(t, domain, c.DomainName) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := testStack + tc.lines
			if tc.name == "a 200-character domain" {
				stack = strings.Replace(testStack, "t.example.com", domain, 1)
			}
			c, err := Load(writeProject(t, stack, testRegistry), "test", LoadOptions{})
			require.NoError(t, err)
			tc.check(t, c)
		})
	}
	_, err := Load(writeProject(t, strings.Replace(testStack, "t.example.com", label+"."+label+"."+label+".abcdef.io", 1), testRegistry), "test", LoadOptions{})
	require.Error(t, err, "201 characters is one too many")
}

// TestRegistryAndStackEdges: the ends of the registry's ranges and the
// fields that only some placements take.
func TestRegistryAndStackEdges(t *testing.T) {
	load := func(t *testing.T, stack, registry string) error {
		t.Helper()
		_, err := Load(writeProject(t, stack, registry), "test", LoadOptions{})
		return err
	}
	alpha := "  - id: alpha\n    name: Alpha\n    tier: enterprise\n    placement: dedicated\n    compliance: [hipaa, dedicated-required]\n"
	withAlpha := func(extra string) string { return strings.Replace(testRegistry, alpha, alpha+extra, 1) }
	require.Contains(t, testRegistry, alpha)
	for _, tc := range []struct {
		name, stack, registry, wantErr string
	}{
		{"storage at RDS's 20 GB minimum", testStack, withAlpha("    sizing: {dbStorageGb: 20}\n"), ""},
		{"storage at RDS's 65,536 GB maximum", testStack, withAlpha("    sizing: {dbStorageGb: 65536}\n"), ""},
		{"storage under the minimum", testStack, withAlpha("    sizing: {dbStorageGb: 19}\n"), "dbStorageGb"},
		{"storage over the maximum", testStack, withAlpha("    sizing: {dbStorageGb: 65537}\n"), "dbStorageGb"},
		{"a zero usage override", testStack, withAlpha("    usage: {dataOutGb: 0}\n"), ""},
		{"a negative usage override", testStack, withAlpha("    usage: {dataOutGb: -1}\n"), "dataOutGb"},
		{"a dedicated tenant decommissioned", testStack, withAlpha("    decommission: true\n"), ""},
		{"a shared tenant decommissioned", testStack, strings.Replace(testRegistry, "    placement: shared\n", "    placement: shared\n    decommission: true\n", 1),
			"only a dedicated tenant that is not migrating can be decommissioned"},
		{"a dedicated tenant on its own stack", testStack, withAlpha("    ownStack: true\n"), ""},
		{"a shared tenant on its own stack", testStack, strings.Replace(testRegistry, "    placement: shared\n", "    placement: shared\n    ownStack: true\n", 1),
			"only a dedicated tenant can have a stack of its own"},
		{"copies kept exactly as long as their interval", testStack + "  tenancy:drCopyEveryDays: 7\n  tenancy:drCopyRetentionDays: 7\n", testRegistry, ""},
		{"copies kept less than their interval", testStack + "  tenancy:drCopyEveryDays: 7\n  tenancy:drCopyRetentionDays: 6\n", testRegistry, "drCopyRetentionDays"},
		{"a tenant's own stack that names its baseline's owner", testStack + "  tenancy:tenant: alpha\n  tenancy:accountBaselineStack: prod\n  tenancy:securityServices: false\n",
			withAlpha("    ownStack: true\n"), ""},
		{"a tenant's own stack that does not", testStack + "  tenancy:tenant: alpha\n  tenancy:securityServices: false\n",
			withAlpha("    ownStack: true\n"), "a tenant's own stack must say who owns its account's baseline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := load(t, tc.stack, tc.registry)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestStackNameLength: a stack name of 30 characters is accepted, 31 refused.
func TestStackNameLength(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{{strings.Repeat("a", 30), true}, {strings.Repeat("a", 31), false}} {
		dir := writeProject(t, testStack, testRegistry)
		require.NoError(t, os.Rename(filepath.Join(dir, "Pulumi.test.yaml"), filepath.Join(dir, "Pulumi."+tc.name+".yaml")))
		_, err := Load(dir, tc.name, LoadOptions{})
		if tc.ok {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, "name stacks with up to 30")
		}
	}
}

// A tenant's own stack names its resources as the main stack did, so
// moving them there replaces none.
func TestNameStack(t *testing.T) {
	for _, tc := range []struct{ stack, tenant, want string }{
		{"prod-oak-realty", "oak-realty", "prod"},
		{"prod", "", "prod"},
		{"oak-realty-prod", "oak-realty", "oak-realty-prod"}, // not <main>-<tenant>: its own name
		{"-oak-realty", "oak-realty", "-oak-realty"},
	} {
		assert.Equal(t, tc.want, (&Config{Stack: tc.stack, SingleTenant: tc.tenant}).NameStack(), tc.stack)
	}
}
