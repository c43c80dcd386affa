package stacks

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/region"
)

// Topology is how the stack places its tenants.
type Topology string

// The three topologies of the article. One registry drives all three.
const (
	MultiInstance Topology = "multi-instance" // every tenant on its own dedicated stack
	MultiTenant   Topology = "multi-tenant"   // every tenant on the shared tier
	Hybrid        Topology = "hybrid"         // each tenant where the registry places it
)

// Topologies lists the valid topologies, in the order the docs give them.
var Topologies = []Topology{MultiInstance, MultiTenant, Hybrid}

// Environment decides how stateful resources are guarded.
type Environment string

// Environments. prod protects every stateful resource; dev lets `pulumi destroy` work.
const (
	Dev  Environment = "dev"
	Prod Environment = "prod"
)

// Config is the one typed, validated value the program is built from: the
// stack config plus the tenant registry it names.
type Config struct {
	Project      string // the Pulumi project name
	Stack        string // the Pulumi stack name
	Dir          string // the project folder (where Pulumi.yaml is)
	StackFile    string // Pulumi.<stack>.yaml, relative to Dir
	RegistryFile string // the tenant registry, relative to Dir

	Region      string
	Environment Environment
	Topology    Topology
	// SingleTenant, when set, makes this a stack of its own for one dedicated
	// tenant: only that tenant's DedicatedTenant is built.
	SingleTenant string

	DomainName   string // tenants are served at <id>.<DomainName>
	HostedZoneID string // the Route 53 zone of DomainName

	Network NetworkConfig
	Shared  SharedConfig

	SecurityServices bool // GuardDuty, AWS Config and Security Hub (FSBP) in this account and region
	// AccountBaselineStack names the stack that owns this account's
	// baseline (CloudTrail, the CIS alarms, the security services); empty:
	// this stack does.
	AccountBaselineStack string
	EdgeRateLimits       bool   // per-tier WAF rate-based rules keyed by tenant host
	BackupCopyRegion     string // the disaster-recovery region of the shared database
	DR                   DRConfig
	AlarmEmail           string // subscribed to the alarm topic when set

	Tenants []Tenant

	// UsageFile holds the workload defaults; Usage is what it says.
	UsageFile string
	Usage     *UsageProfiles
	// MigrationInvestmentUSD is what moving to the shared tier costs once, for
	// the payback period.
	MigrationInvestmentUSD int
	// MonthlyBudgetUSD is the most the stack may cost a month (0: no budget);
	// the PR cost diff fails when a change crosses it.
	MonthlyBudgetUSD int

	// SizingMode is "fixed" or "auto" (SizingModes); HeadroomPercent the
	// spare capacity every resource keeps over the peak.
	SizingMode      string
	HeadroomPercent int
	// Pricing is "on-demand" (list prices) or a commitment term
	// ("commit-1y") the cost model prices the always-on baseline at, where
	// the catalog has its price (LoadOptions.Pricing).
	Pricing string

	// Sized says what auto sizing changed and why, for the preview.
	Sized []string
	// OverCapacity are the capacity problems of a load that keeps them
	// (LoadOptions.KeepOverCapacity).
	OverCapacity []Problem

	// Warnings are facts a user should see that do not stop the run (for
	// example a --topology what-if that overrides a tenant's compliance).
	Warnings []string
}

// DRConfig is how the shared database survives the loss of its region.
type DRConfig struct {
	Strategy          string // none, snapshot-copy or global-database (components.DR*)
	CopyEveryDays     int    // snapshot-copy: a copy every 1, 7 or 30 days
	CopyRetentionDays int    // snapshot-copy: each copy kept this long
}

// maxASGSize bounds the shared Auto Scaling group: AWS sets no group size
// limit of its own (the account's vCPU quota is the real bound), and the
// capacity model sizes up to this many instances.
const maxASGSize = 1000

// priced checks a choice, then that the catalog prices the option in the
// stack's region: a choice the cost model cannot price is refused, never
// priced at $0.
func priced(check func(*Config, any) (string, string), option, key string) func(*Config, any) (string, string) {
	return func(c *Config, v any) (string, string) {
		if msg, fix := check(c, v); msg != "" || v.(string) != option {
			return msg, fix
		}
		cat, err := cost.DefaultCatalog()
		if err != nil {
			return fmt.Sprintf("the price catalog cannot be read: %v", err), "rebuild the binary from a clean checkout"
		}
		k, _ := cost.ParseKey(key)
		if c.Region != "" && cat.Lookup(c.Region, k) == nil {
			return fmt.Sprintf("%q has no price (%s) in %s", option, key, c.Region),
				fmt.Sprintf("add %s to cost/prices/%s.json with its source, or keep the default", key, c.Region)
		}
		return "", ""
	}
}

// PricingModes are the prices a cost report can take: list prices, or a
// 1- or 3-year commitment for the always-on baseline.
var PricingModes = []string{"on-demand", "commit-1y", "commit-3y"}

// SizingModes are the values tenancy:sizing takes.
var SizingModes = []string{"fixed", "auto"}

// DRStrategies are the values tenancy:drStrategy takes.
var DRStrategies = []string{"none", "snapshot-copy", "global-database"}

// NetworkConfig shapes every VPC the program builds.
type NetworkConfig struct {
	AZCount     int    // availability zones per VPC (>= 2)
	VpcCIDR     string // the shared VPC's CIDR (/16 to /20)
	NATGateways string // "single" (the article's one NAT) or "per-az"
}

// SharedConfig sizes the shared multi-tenant tier.
type SharedConfig struct {
	AppInstanceType       string
	ASGMin                int
	ASGMax                int
	ASGDesired            int
	TargetCPUPercent      int
	DBInstanceClass       string
	DBInstances           int
	DBEngineVersion       string
	DBBackupRetentionDays int
	DBStorageType         string // standard or io-optimized (Aurora I/O-Optimized)
	CacheNodeType         string
	CacheNodes            int // per shard
	CacheShards           int // node groups; above 1, cluster mode
	CacheEngineVersion    string
	AuditLogRetentionDays int
	AuditLogClass         string // standard or infrequent-access
}

// Protected reports whether stateful resources get protect, retainOnDelete and
// deletion protection.
func (c *Config) Protected() bool { return c.Environment == Prod }

// PlacementOf is where the stack's topology puts a tenant.
func (c *Config) PlacementOf(t Tenant) Placement {
	switch c.Topology {
	case MultiInstance:
		return Dedicated
	case MultiTenant:
		return Shared
	default:
		return t.Placement
	}
}

// SharedTenants are the tenants this stack serves from the shared tier, in registry order.
func (c *Config) SharedTenants() []Tenant {
	if c.SingleTenant != "" {
		return nil
	}
	var out []Tenant
	for _, t := range c.Tenants {
		if c.PlacementOf(t) == Shared {
			out = append(out, t)
		}
	}
	return out
}

// DedicatedTenants are the tenants this stack builds a DedicatedTenant for, in registry order.
func (c *Config) DedicatedTenants() []Tenant {
	var out []Tenant
	for _, t := range c.Tenants {
		if c.SingleTenant != "" {
			if t.ID == c.SingleTenant {
				out = append(out, t)
			}
			continue
		}
		if c.PlacementOf(t) == Dedicated && !t.OwnStack {
			out = append(out, t)
		}
	}
	return out
}

// MigratingTenants are the shared tenants whose dedicated stack the program
// keeps, because their migration is not finished (registry order).
func (c *Config) MigratingTenants() []Tenant {
	if c.SingleTenant != "" {
		return nil
	}
	var out []Tenant
	for _, t := range c.Tenants {
		if t.Phase() != "" && c.PlacementOf(t) == Shared {
			out = append(out, t)
		}
	}
	return out
}

// HasSharedTier reports whether the shared tier is built: only when a tenant is on it.
func (c *Config) HasSharedTier() bool { return len(c.SharedTenants()) > 0 }

// configKey is one key the project declares in Pulumi.yaml. The table below is
// the single source: Pulumi.yaml must declare the same keys, types and
// defaults (a test holds them together).
type configKey struct {
	Name        string
	Type        string // string | integer | boolean, as Pulumi.yaml declares them
	Default     any    // nil: the stack file must set it
	Description string
	set         func(c *Config, v any)
	check       func(c *Config, v any) (msg, fix string)
}

var (
	slugRE     = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	domainRE   = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	zoneIDRE   = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	emailRE    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	versionRE  = regexp.MustCompile(`^[0-9]+(\.[0-9]+){0,2}$`)
	logDaysSet = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// NameStack is the stack name a dedicated tenant's physical names carry
// (its database identifier, key alias, log groups, snapshots): the main
// stack's for a tenant on a stack of its own named <main>-<tenant>, as
// tenancy deploy names it, so that its resources keep their names, and are
// not replaced, when they move out of the main stack.
func (c *Config) NameStack() string {
	if c.SingleTenant != "" {
		if main, ok := strings.CutSuffix(c.Stack, "-"+c.SingleTenant); ok && main != "" {
			return main
		}
	}
	return c.Stack
}

// regions this program supports: the one table in internal/region.
var regions = region.Names()

// checkRegion accepts a supported region the price catalog prices, so a
// stack the validator accepts always has a price.
func checkRegion(c *Config, v any) (string, string) {
	if msg, fix := oneOf(regions...)(c, v); msg != "" {
		return msg, fix
	}
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return "the price catalog does not load: " + err.Error(), "fix cost/prices/*.json"
	}
	for _, r := range cat.Regions() {
		if r == v.(string) {
			return "", ""
		}
	}
	return fmt.Sprintf("%q has no prices in the catalog, so its costs could not be told", v),
		fmt.Sprintf("set one of %s, or add cost/prices/%s.json with every price the others have", strings.Join(cat.Regions(), ", "), v)
}

func intRange(lo, hi int) func(*Config, any) (string, string) {
	return func(_ *Config, v any) (string, string) {
		if n := v.(int); n < lo || n > hi {
			return fmt.Sprintf("%d is out of range", n), fmt.Sprintf("set a whole number from %d to %d", lo, hi)
		}
		return "", ""
	}
}

func oneOf(allowed ...string) func(*Config, any) (string, string) {
	return func(_ *Config, v any) (string, string) {
		s := v.(string)
		for _, a := range allowed {
			if s == a {
				return "", ""
			}
		}
		return fmt.Sprintf("%q is not allowed", s), oneOfFix(s, allowed)
	}
}

func engineVersion(example string) func(*Config, any) (string, string) {
	return func(_ *Config, v any) (string, string) {
		if !versionRE.MatchString(v.(string)) {
			return fmt.Sprintf("%q is not an engine version", v), "set e.g. " + example
		}
		return "", ""
	}
}

func shape(kind cost.ShapeKind) func(*Config, any) (string, string) {
	return func(_ *Config, v any) (string, string) { return checkShape(kind, v.(string)) }
}

// configKeys is the project's config schema.
var configKeys = []configKey{
	{Name: "environment", Type: "string", Description: "dev or prod: prod protects databases, caches, keys and audit logs and keeps final snapshots",
		set: func(c *Config, v any) { c.Environment = Environment(v.(string)) }, check: oneOf(string(Dev), string(Prod))},
	{Name: "topology", Type: "string", Default: string(Hybrid), Description: "multi-instance (every tenant dedicated), multi-tenant (every tenant shared) or hybrid (as the registry places each)",
		set: func(c *Config, v any) { c.Topology = Topology(v.(string)) }, check: oneOf(string(MultiInstance), string(MultiTenant), string(Hybrid))},
	{Name: "tenantRegistry", Type: "string", Description: "the tenant registry file, relative to the project folder (e.g. tenants/prod.yaml)",
		set: func(c *Config, v any) { c.RegistryFile = v.(string) }, check: func(_ *Config, v any) (string, string) {
			if s := v.(string); s == "" || strings.HasPrefix(s, "/") || strings.Contains(s, "..") {
				return fmt.Sprintf("%q is not a path inside the project", s), "name a YAML file under tenants/, e.g. tenants/prod.yaml"
			}
			return "", ""
		}},
	{Name: "tenant", Type: "string", Default: "", Description: "set to one tenant id to make this a stack of its own for that dedicated tenant",
		set: func(c *Config, v any) { c.SingleTenant = v.(string) }},
	{Name: "domainName", Type: "string", Description: "tenants are served at <tenant-id>.<domainName>",
		set: func(c *Config, v any) { c.DomainName = v.(string) }, check: func(_ *Config, v any) (string, string) {
			if !domainRE.MatchString(v.(string)) || len(v.(string)) > 200 {
				return fmt.Sprintf("%q is not a lower-case DNS name", v), "set a domain you own, e.g. app.example.com"
			}
			return "", ""
		}},
	{Name: "hostedZoneId", Type: "string", Description: "the Route 53 hosted zone of domainName (certificate validation and tenant records)",
		set: func(c *Config, v any) { c.HostedZoneID = v.(string) }, check: func(_ *Config, v any) (string, string) {
			if !zoneIDRE.MatchString(v.(string)) {
				return fmt.Sprintf("%q is not a Route 53 hosted zone id", v), "copy the zone id from `aws route53 list-hosted-zones`, e.g. Z0123456789ABCDEFGHIJ"
			}
			return "", ""
		}},
	{Name: "azCount", Type: "integer", Default: 2, Description: "availability zones per VPC",
		set: func(c *Config, v any) { c.Network.AZCount = v.(int) }, check: intRange(2, 6)},
	{Name: "vpcCidr", Type: "string", Default: "10.0.0.0/16", Description: "CIDR of the shared VPC (/16 to /20); dedicated tenant VPCs use 10.1.0.0/16",
		set: func(c *Config, v any) { c.Network.VpcCIDR = v.(string) }, check: func(_ *Config, v any) (string, string) {
			p, err := netip.ParsePrefix(v.(string))
			if err != nil || !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 20 || p.Masked() != p {
				return fmt.Sprintf("%q is not an IPv4 network from /16 to /20", v), "set e.g. 10.0.0.0/16"
			}
			return "", ""
		}},
	{Name: "natGateways", Type: "string", Default: "single", Description: "single (one NAT, the article's) or per-az (one NAT per availability zone)",
		set: func(c *Config, v any) { c.Network.NATGateways = v.(string) }, check: oneOf("single", "per-az")},
	{Name: "appInstanceType", Type: "string", Default: "m5.2xlarge", Description: "EC2 instance type of the shared application tier",
		set: func(c *Config, v any) { c.Shared.AppInstanceType = v.(string) }, check: shape(shapeEC2)},
	{Name: "asgMin", Type: "integer", Default: 4, Description: "shared Auto Scaling group minimum size",
		set: func(c *Config, v any) { c.Shared.ASGMin = v.(int) }, check: intRange(1, maxASGSize)},
	{Name: "asgMax", Type: "integer", Default: 8, Description: "shared Auto Scaling group maximum size",
		set: func(c *Config, v any) { c.Shared.ASGMax = v.(int) }, check: intRange(1, maxASGSize)},
	{Name: "asgDesired", Type: "integer", Default: 6, Description: "shared Auto Scaling group desired size at deploy time",
		set: func(c *Config, v any) { c.Shared.ASGDesired = v.(int) }, check: intRange(1, maxASGSize)},
	{Name: "asgTargetCpuPercent", Type: "integer", Default: 60, Description: "target-tracking CPU utilisation of the shared Auto Scaling group",
		set: func(c *Config, v any) { c.Shared.TargetCPUPercent = v.(int) }, check: intRange(10, 90)},
	{Name: "dbInstanceClass", Type: "string", Default: "db.r6g.large", Description: "Aurora PostgreSQL instance class of the shared cluster",
		set: func(c *Config, v any) { c.Shared.DBInstanceClass = v.(string) }, check: shape(shapeAuroraPostgres)},
	{Name: "dbInstances", Type: "integer", Default: 2, Description: "Aurora instances: one writer and the rest readers, spread over the AZs",
		set: func(c *Config, v any) { c.Shared.DBInstances = v.(int) }, check: intRange(2, 15)},
	{Name: "dbEngineVersion", Type: "string", Default: "16.6", Description: "Aurora PostgreSQL engine version",
		set: func(c *Config, v any) { c.Shared.DBEngineVersion = v.(string) }, check: engineVersion("16.6")},
	{Name: "dbBackupRetentionDays", Type: "integer", Default: 7, Description: "automated backup retention of the shared database (RDS.11 needs 7 or more)",
		set: func(c *Config, v any) { c.Shared.DBBackupRetentionDays = v.(int) }, check: intRange(7, 35)},
	{Name: "dbStorageType", Type: "string", Default: "standard", Description: "standard (Aurora Standard: storage and each I/O billed) or io-optimized (Aurora I/O-Optimized: instances 30% dearer, storage dearer, no I/O charge)",
		set: func(c *Config, v any) { c.Shared.DBStorageType = v.(string) }, check: priced(oneOf("standard", "io-optimized"), "io-optimized", "aurora:storage:io-optimized")},
	{Name: "cacheNodeType", Type: "string", Default: "cache.r6g.large", Description: "ElastiCache node type of the shared Redis",
		set: func(c *Config, v any) { c.Shared.CacheNodeType = v.(string) }, check: shape(shapeElastiCache)},
	{Name: "cacheNodes", Type: "integer", Default: 3, Description: "Redis nodes: one primary and the rest replicas (2 or more for failover)",
		set: func(c *Config, v any) { c.Shared.CacheNodes = v.(int) }, check: intRange(2, 6)},
	{Name: "cacheShards", Type: "integer", Default: 1, Description: "Redis shards (node groups) of the shared cache, each of cacheNodes nodes; above 1 turns cluster mode on, and the application must use a cluster client",
		set: func(c *Config, v any) { c.Shared.CacheShards = v.(int) }, check: intRange(1, 100)},
	{Name: "cacheEngineVersion", Type: "string", Default: "7.1", Description: "Redis engine version",
		set: func(c *Config, v any) { c.Shared.CacheEngineVersion = v.(string) }, check: engineVersion("7.1")},
	{Name: "auditLogRetentionDays", Type: "integer", Default: 365, Description: "retention of /aws/saas/audit (365 or more, a CloudWatch Logs retention value)",
		set: func(c *Config, v any) { c.Shared.AuditLogRetentionDays = v.(int) }, check: func(_ *Config, v any) (string, string) {
			n := v.(int)
			for _, d := range logDaysSet {
				if d == n && n >= 365 {
					return "", ""
				}
			}
			return fmt.Sprintf("%d is not a CloudWatch Logs retention of 365 days or more", n), "use one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
		}},
	{Name: "auditLogClass", Type: "string", Default: "standard", Description: "standard, or infrequent-access: /aws/saas/audit ingested at half the price, without metric filters or Live Tail (none reads it so; queries with Logs Insights work)",
		set: func(c *Config, v any) { c.Shared.AuditLogClass = v.(string) }, check: priced(oneOf("standard", "infrequent-access"), "infrequent-access", "logs:ingest:infrequent-access")},
	{Name: "securityServices", Type: "boolean", Default: true, Description: "add GuardDuty, AWS Config and Security Hub (FSBP standard) to the account baseline, with their findings routed to the security topic; turn off where the account already has them",
		set: func(c *Config, v any) { c.SecurityServices = v.(bool) }},
	{Name: "accountBaselineStack", Type: "string", Default: "", Description: "the stack that owns this account's baseline (CloudTrail, the CIS alarms, the security services); empty: this stack owns it. Set it in every other stack of the same account",
		set: func(c *Config, v any) { c.AccountBaselineStack = v.(string) }, check: func(_ *Config, v any) (string, string) {
			if s := v.(string); s != "" && !stackNameRE.MatchString(s) {
				return fmt.Sprintf("%q is not a stack name", s), "name the stack that owns the baseline, e.g. prod, or leave it empty"
			}
			return "", ""
		}},
	{Name: "edgeRateLimits", Type: "boolean", Default: true, Description: "enforce the per-tier API rate limits in WAF, keyed by tenant host",
		set: func(c *Config, v any) { c.EdgeRateLimits = v.(bool) }},
	{Name: "backupCopyRegion", Type: "string", Default: "us-west-2", Description: "the disaster-recovery region of the shared database (snapshot copies or the global database's secondary)",
		set: func(c *Config, v any) { c.BackupCopyRegion = v.(string) }, check: checkRegion},
	{Name: "drStrategy", Type: "string", Default: "snapshot-copy", Description: "how the shared database survives a region loss: none, snapshot-copy (AWS Backup copies to backupCopyRegion) or global-database (an Aurora Global Database secondary there)",
		set: func(c *Config, v any) { c.DR.Strategy = v.(string) }, check: oneOf(DRStrategies...)},
	{Name: "drCopyEveryDays", Type: "integer", Default: 1, Description: "snapshot-copy: a snapshot copied every 1 (daily), 7 (weekly) or 30 (monthly) days",
		set: func(c *Config, v any) { c.DR.CopyEveryDays = v.(int) }, check: func(_ *Config, v any) (string, string) {
			if n := v.(int); n != 1 && n != 7 && n != 30 {
				return fmt.Sprintf("%d days has no AWS Backup schedule", n), "use 1 (daily), 7 (weekly) or 30 (monthly)"
			}
			return "", ""
		}},
	{Name: "drCopyRetentionDays", Type: "integer", Default: 35, Description: "snapshot-copy: days each copy is kept in backupCopyRegion (at least drCopyEveryDays)",
		set: func(c *Config, v any) { c.DR.CopyRetentionDays = v.(int) }, check: intRange(1, 3650)},
	{Name: "usageProfiles", Type: "string", Default: "tenants/usage.yaml", Description: "the workload defaults per tier and of the platform, relative to the project folder",
		set: func(c *Config, v any) { c.UsageFile = v.(string) }, check: func(_ *Config, v any) (string, string) {
			if s := v.(string); s == "" || strings.HasPrefix(s, "/") || strings.Contains(s, "..") {
				return fmt.Sprintf("%q is not a path inside the project", s), "name a YAML file, e.g. tenants/usage.yaml"
			}
			return "", ""
		}},
	{Name: "migrationInvestmentUsd", Type: "integer", Default: 230000, Description: "one-off cost of moving to the shared tier, for the payback period (the article: $230,000)",
		set: func(c *Config, v any) { c.MigrationInvestmentUSD = v.(int) }, check: intRange(0, 100000000)},
	{Name: "monthlyBudgetUsd", Type: "integer", Default: 0, Description: "the most this stack may cost a month; the pull-request cost diff fails above it (0: no budget)",
		set: func(c *Config, v any) { c.MonthlyBudgetUSD = v.(int) }, check: intRange(0, 100000000)},
	{Name: "sizing", Type: "string", Default: "auto", Description: "fixed: the configured sizes, and a preview that fails when the tenants' peak does not fit them; auto: each configured size is the floor, grown within its family to the smallest that fits (docs/capacity.md)",
		set: func(c *Config, v any) { c.SizingMode = v.(string) }, check: oneOf(SizingModes...)},
	{Name: "capacityHeadroomPercent", Type: "integer", Default: 20, Description: "spare capacity every resource keeps over the tenants' peak; less is a warning, and auto sizing keeps at least this much",
		set: func(c *Config, v any) { c.HeadroomPercent = v.(int) }, check: intRange(0, 80)},
	{Name: "alarmEmail", Type: "string", Default: "", Description: "an address subscribed to the tenant alarm topic (empty: none)",
		set: func(c *Config, v any) { c.AlarmEmail = v.(string) }, check: func(_ *Config, v any) (string, string) {
			if s := v.(string); s != "" && !emailRE.MatchString(s) {
				return fmt.Sprintf("%q is not an e-mail address", s), "set an address like oncall@example.com, or leave it empty"
			}
			return "", ""
		}},
}

var stackNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// BaselineHere says whether this stack builds its account's baseline.
func (c *Config) BaselineHere() bool {
	return c.AccountBaselineStack == "" || c.AccountBaselineStack == c.Stack
}

// ConfigKeyNames lists the declared keys, for docs and tests.
func ConfigKeyNames() []string {
	out := make([]string, len(configKeys))
	for i, k := range configKeys {
		out[i] = k.Name
	}
	return out
}

// DeclaredConfig is one key as Pulumi.yaml must declare it.
type DeclaredConfig struct {
	Type    string
	Default any // nil: required
}

// DeclaredConfigKeys is the schema as Pulumi.yaml must carry it.
func DeclaredConfigKeys() map[string]DeclaredConfig {
	out := make(map[string]DeclaredConfig, len(configKeys))
	for _, k := range configKeys {
		out[k.Name] = DeclaredConfig{Type: k.Type, Default: k.Default}
	}
	return out
}
