// Package program is the Pulumi program: it turns a validated stacks.Config
// into components. Only the packages that evaluate it link pulumi-aws.
package program

import (
	"fmt"
	"os"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/components"
	"github.com/tenancy-dev/tenancy/stacks"
)

// Program is the Pulumi program `pulumi up` runs: it builds the config from
// what the engine passed and the registry in the project folder, validates
// both, and only then registers resources.
func Program(ctx *pulumi.Context) error { return run(ctx, "") }

// InlineProgram is Program for the Automation API, run in the project
// folder dir: an inline program is told no project folder by the engine
// (its RootDirectory is empty, and its working directory is the caller's).
func InlineProgram(dir string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error { return run(ctx, dir) }
}

func run(ctx *pulumi.Context, inlineDir string) error {
	engine, err := stacks.EngineConfig()
	if err != nil {
		return err
	}
	if len(engine) == 0 {
		// An inline Automation API program gets no PULUMI_CONFIG (a language
		// host sets it for `pulumi up`): read the declared keys from the
		// context instead, so both runs see the same config.
		engine = contextConfig(ctx)
	}
	dir := ctx.RootDirectory()
	if dir == "" {
		dir = inlineDir
	}
	if dir == "" {
		if dir, err = os.Getwd(); err != nil {
			return err
		}
	}
	cfg, err := stacks.LoadFromEngine(dir, ctx.Project(), ctx.Stack(), engine)
	if err != nil {
		return err
	}
	return Build(ctx, cfg)
}

// contextConfig is the stack's config as the context holds it, for every
// key the schema declares and the AWS region.
func contextConfig(ctx *pulumi.Context) map[string]string {
	out := map[string]string{}
	keys := []string{"aws:region"}
	for _, k := range stacks.ConfigKeyNames() {
		keys = append(keys, stacks.Namespace+":"+k)
	}
	for _, k := range keys {
		if v, ok := ctx.GetConfig(k); ok {
			out[k] = v
		}
	}
	return out
}

// AZs are the availability zones the stack uses: the region's first n. AWS
// maps zone letters per account, and every commercial region this program
// supports has at least three (a, b, c).
func AZs(region string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%c", region, 'a'+i)
	}
	return out
}

// Build registers the stack's resources from a validated config.
func Build(ctx *pulumi.Context, cfg *stacks.Config) error {
	b := &stackBuild{ctx: ctx, cfg: cfg, azs: AZs(cfg.Region, cfg.Network.AZCount),
		account: aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}).AccountId(),
		tags: map[string]string{"Project": cfg.Project, "Stack": cfg.Stack, "Environment": string(cfg.Environment), "ManagedBy": "pulumi",
			"Topology": string(cfg.Topology)}}
	var err error
	if b.edge, err = components.NewEdge(ctx, "edge", &components.EdgeArgs{
		Stack: cfg.Stack, Region: cfg.Region, DomainName: cfg.DomainName, HostedZoneID: cfg.HostedZoneID, AccountID: b.account,
		Protected: cfg.Protected(), Tags: b.tags,
	}); err != nil {
		return err
	}
	for _, step := range []func() error{b.baseline, b.sharedTier, b.dedicatedTenants} {
		if err := step(); err != nil {
			return err
		}
	}
	ctx.Export("tenantCounts", pulumi.Map{
		"shared": pulumi.Int(len(cfg.SharedTenants())), "dedicated": pulumi.Int(len(cfg.DedicatedTenants())), "registry": pulumi.Int(len(cfg.Tenants)),
	})
	ctx.Export("topology", pulumi.String(string(cfg.Topology)))
	return nil
}

// stackBuild holds what the parts of a stack share while it is built.
type stackBuild struct {
	ctx     *pulumi.Context
	cfg     *stacks.Config
	tags    map[string]string
	account pulumi.StringOutput
	azs     []string
	edge    *components.Edge
	tier    *components.SharedTier // nil without shared tenants
}

// baseline builds the account baseline in the stack that owns it, or
// references the owner's.
func (b *stackBuild) baseline() error {
	ctx, cfg, account, baseTags := b.ctx, b.cfg, b.account, b.tags
	if cfg.BaselineHere() {
		baseline, err := components.NewAccountBaseline(ctx, "account-baseline", &components.AccountBaselineArgs{
			Stack: cfg.Stack, Region: cfg.Region, AccountID: account, Protected: cfg.Protected(),
			SecurityServices: cfg.SecurityServices, AlarmEmail: cfg.AlarmEmail, Tags: baseTags,
		})
		if err != nil {
			return err
		}
		ctx.Export("securityTopicArn", baseline.SecurityTopicARN)
	} else if err := components.NewAccountBaselineRef(ctx, cfg.AccountBaselineStack); err != nil {
		return err
	}

	return nil
}

// sharedTier builds the shared tier for the shared tenants, and exports its
// endpoints.
func (b *stackBuild) sharedTier() error {
	ctx, cfg, account, baseTags, azs, edge := b.ctx, b.cfg, b.account, b.tags, b.azs, b.edge
	shared := cfg.SharedTenants()
	if len(shared) == 0 {
		return nil
	}
	tenants := make([]components.SharedTenantArgs, len(shared))
	for i, t := range shared {
		tenants[i] = components.SharedTenantArgs{ID: t.ID, Tier: string(t.Tier), Host: t.ID + "." + cfg.DomainName,
			Limits: stacks.TierLimits[t.Tier], Alarms: stacks.TierAlarms[t.Tier]}
	}
	nats := 1
	if cfg.Network.NATGateways == "per-az" {
		nats = cfg.Network.AZCount
	}
	s := cfg.Shared
	tier, err := components.NewSharedTier(ctx, "shared", &components.SharedTierArgs{
		Stack: cfg.Stack, Region: cfg.Region, AccountID: account, Protected: cfg.Protected(),
		Network: components.NetworkArgs{CIDR: cfg.Network.VpcCIDR, AZs: azs, NATGateways: nats, Region: cfg.Region,
			FlowLogRetentionDays: FlowLogRetentionDays(shared...), Tags: baseTags},
		CertificateARN: edge.CertificateARN, AccessLogBucket: edge.AccessLogBucket, WAFLogDelivery: edge.WAFLogDelivery,
		DomainName: cfg.DomainName, HostedZoneID: cfg.HostedZoneID,
		SharedConfig: s, Graviton: stacks.IsGraviton(s.AppInstanceType), AlarmEmail: cfg.AlarmEmail,
		Tenants: tenants, EdgeRateLimits: cfg.EdgeRateLimits, BackupCopyRegion: cfg.BackupCopyRegion,
		DRStrategy: cfg.DR.Strategy, DRCopyEveryDays: cfg.DR.CopyEveryDays, DRCopyRetentionDays: cfg.DR.CopyRetentionDays,
		Tags: baseTags,
	})
	if err != nil {
		return err
	}
	b.tier = tier
	ctx.Export("albDnsName", tier.AlbDNSName)
	ctx.Export("dbEndpoint", tier.DBEndpoint)
	ctx.Export("dbReaderEndpoint", tier.DBReaderEndpoint)
	ctx.Export("dbProxyEndpoint", tier.ProxyEndpoint)
	ctx.Export("cacheEndpoint", tier.CacheEndpoint)
	ctx.Export("tenantDataKeyArn", tier.TenantDataKeyARN)
	ctx.Export("tenantSessionRoleArn", tier.TenantSessionRoleARN)
	ctx.Export("auditLogGroup", tier.AuditLogGroup)
	return nil
}

// dedicatedTenants builds a stack for each dedicated tenant and each one
// migrating off its stack, and the AWS Backup plan of their databases.
func (b *stackBuild) dedicatedTenants() error {
	ctx, cfg, account, baseTags, azs, edge := b.ctx, b.cfg, b.account, b.tags, b.azs, b.edge
	dedicated := pulumi.Map{}
	stacksToBuild := append(cfg.DedicatedTenants(), cfg.MigratingTenants()...)
	for _, t := range stacksToBuild {
		size := t.Sizing.Resolved()
		phase := t.Phase()                     // "" for an active dedicated tenant
		var hostTarget *components.AliasTarget // its own load balancer
		if t.Migration != nil && b.tier != nil {
			// Moving to the shared tier: its host points at the shared load balancer.
			hostTarget = &components.AliasTarget{DNSName: b.tier.AlbDNSName, ZoneID: b.tier.AlbZoneID}
		}
		dt, err := components.NewDedicatedTenant(ctx, "tenant-"+t.ID, &components.DedicatedTenantArgs{
			TenantID: t.ID, Tier: string(t.Tier), Stack: cfg.NameStack(), Region: cfg.Region, AccountID: account,
			Protected: cfg.Protected() && phase != stacks.Verified, RetainKeysAndLogs: phase == stacks.Verified,
			AZs: azs[:2], AppInstanceType: size.AppInstanceType, Graviton: stacks.IsGraviton(size.AppInstanceType),
			DBInstanceClass: size.DBInstanceClass, DBStorageGB: t.DedicatedDBStorageGB(), DBEngineVersion: cfg.Shared.DBEngineVersion,
			CacheNodeType: size.CacheNodeType, CacheEngine: cfg.Shared.CacheEngineVersion,
			LogRetentionDays: cfg.Shared.AuditLogRetentionDays, FlowLogRetentionDays: FlowLogRetentionDays(t),
			APIRatePerMinute: stacks.TierLimits[t.Tier].APIRatePerMinute,
			CertificateARN:   edge.CertificateARN, AccessLogBucket: edge.AccessLogBucket, WAFLogDelivery: edge.WAFLogDelivery,
			DomainName: cfg.DomainName, HostedZoneID: cfg.HostedZoneID, HostTarget: hostTarget, Tags: migrationTags(baseTags, phase),
		})
		if err != nil {
			return err
		}
		entry := pulumi.Map{"host": dt.Host, "albDnsName": dt.AlbDNSName, "dbEndpoint": dt.DBEndpoint, "cacheEndpoint": dt.CacheEndpoint}
		if phase != "" {
			entry["migration"] = pulumi.String(string(phase))
		}
		dedicated[t.ID] = entry
	}
	if len(stacksToBuild) > 0 {
		if err := components.NewDatabaseBackups(ctx, "database-backups", &components.DatabaseBackupsArgs{
			Stack: cfg.Stack, Region: cfg.Region, AccountID: account, Protected: cfg.Protected(), Tags: baseTags,
		}); err != nil {
			return err
		}
	}
	ctx.Export("dedicatedTenants", dedicated)
	return nil
}

// migrationTags marks a kept dedicated stack with its tenant's migration
// phase, which the policy rules read.
func migrationTags(base map[string]string, phase stacks.MigrationPhase) map[string]string {
	if phase == "" {
		return base
	}
	out := make(map[string]string, len(base)+1)
	for k, v := range base {
		out[k] = v
	}
	out["Migration"] = string(phase)
	return out
}

// FlowLogRetentionDays is how long a VPC keeps its flow logs: 90 days, or a
// year when a tenant it serves declares pci (PCI DSS 10.5.1 keeps audit
// trails twelve months).
func FlowLogRetentionDays(tenants ...stacks.Tenant) int {
	for _, t := range tenants {
		if slices.Contains(t.Compliance, "pci") {
			return 365
		}
	}
	return 90
}
