package components

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/stacks"
)

// The shared tier's log groups (stacks declares their names).
const (
	AuditLogGroupName = stacks.AuditLogGroupName
	AppLogGroupName   = stacks.AppLogGroupName
)

// Root volume sizes of the app servers: logs are shipped out, so the volume
// holds the OS, the agent and the application.
const (
	SharedRootVolumeGB    = 30
	DedicatedRootVolumeGB = 16
)

// DBPort is PostgreSQL's port.
const DBPort = 5432

// SharedTierArgs sizes and wires the shared multi-tenant tier.
type SharedTierArgs struct {
	Stack     string // names physical resources that must be unique (snapshots, alarms, parameters)
	Region    string
	AccountID pulumi.StringOutput
	Protected bool // prod: protect stateful resources, deletion protection, retain on delete

	Network NetworkArgs // the shared VPC (LogKeyARN is set by the tier)

	// WAFLogDelivery is the stack's WAF log resource policy (Edge).
	WAFLogDelivery  pulumi.Resource
	CertificateARN  pulumi.StringInput // the stack's validated certificate
	AccessLogBucket pulumi.StringInput // ALB access logs
	DomainName      string             // tenants are served at <id>.<DomainName>
	HostedZoneID    string

	// SharedConfig sizes the tier: the app servers, the database, the cache
	// and the audit log's retention, as the stack config gives them.
	stacks.SharedConfig
	Graviton   bool // the app instance type is an arm64 (Graviton) one
	AlarmEmail string

	Tenants []SharedTenantArgs

	// EdgeRateLimits adds each tenant's API rate to the web ACL (WAF).
	EdgeRateLimits bool
	// DRStrategy is how the shared database survives a region loss (DRNone,
	// DRSnapshotCopy or DRGlobalDatabase), in BackupCopyRegion.
	DRStrategy       string
	BackupCopyRegion string
	// DRCopyEveryDays and DRCopyRetentionDays shape DRSnapshotCopy.
	DRCopyEveryDays, DRCopyRetentionDays int
	Tags                                 map[string]string
}

// SharedTier is the article's consolidated tier: one ALB, an Auto Scaling
// group, Aurora PostgreSQL behind RDS Proxy, a Redis replication group, a
// tenant-data key, the audit log group, per-tenant alarms and limits, WAF
// rate limits, backups copied to a second region.
type SharedTier struct {
	pulumi.ResourceState

	AlbDNSName       pulumi.StringOutput `pulumi:"albDnsName"`
	AlbZoneID        pulumi.StringOutput `pulumi:"albZoneId"`
	DBEndpoint       pulumi.StringOutput `pulumi:"dbEndpoint"`
	DBReaderEndpoint pulumi.StringOutput `pulumi:"dbReaderEndpoint"`
	ProxyEndpoint    pulumi.StringOutput `pulumi:"proxyEndpoint"`
	CacheEndpoint    pulumi.StringOutput `pulumi:"cacheEndpoint"`
	TenantDataKeyARN pulumi.StringOutput `pulumi:"tenantDataKeyArn"`
	// TenantSessionRoleARN is the role the app assumes, tagged tenant_id,
	// to use the tenant-data key for that tenant.
	TenantSessionRoleARN pulumi.StringOutput `pulumi:"tenantSessionRoleArn"`
	AuditLogGroup        pulumi.StringOutput `pulumi:"auditLogGroup"`
}

// NewSharedTier builds the shared tier, part by part: keys and network,
// the security groups, the app tier's identity, its logs and alarm topic,
// the app servers, the data tier, the app's policy, and the edge.
func NewSharedTier(ctx *pulumi.Context, name string, args *SharedTierArgs, opts ...pulumi.ResourceOption) (*SharedTier, error) {
	if args == nil {
		return nil, errors.New("shared tier: args are required")
	}
	if args.ASGMin > args.ASGMax || args.ASGDesired < args.ASGMin || args.ASGDesired > args.ASGMax {
		return nil, fmt.Errorf("shared tier: Auto Scaling sizes min %d / desired %d / max %d are not ordered", args.ASGMin, args.ASGDesired, args.ASGMax)
	}
	if args.DBInstances < 2 || args.CacheNodes < 2 {
		return nil, fmt.Errorf("shared tier: %d database instances and %d cache nodes; two or more of each keep it Multi-AZ", args.DBInstances, args.CacheNodes)
	}
	c := &SharedTier{}
	if err := ctx.RegisterComponentResource("tenancy:index:SharedTier", name, c, opts...); err != nil {
		return nil, err
	}
	b := &sharedBuild{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), t: args.Tags}
	for _, step := range []func() error{b.keysAndNetwork, b.securityGroups, b.identity, b.observability, b.appServers,
		b.dataTier, b.appPolicy, b.edge} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	c.AlbDNSName = b.lbc.LB.DnsName
	c.AlbZoneID = b.lbc.LB.ZoneId
	c.DBEndpoint = b.db.Cluster.Endpoint
	c.DBReaderEndpoint = b.db.Cluster.ReaderEndpoint
	c.ProxyEndpoint = b.proxy.Endpoint
	c.CacheEndpoint = cacheEndpoint(b.cache, args.CacheShards)
	c.TenantDataKeyARN = b.tenantKey.Arn
	c.TenantSessionRoleARN = b.tenantSession.Arn
	c.AuditLogGroup = b.audit.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"albDnsName": c.AlbDNSName, "dbEndpoint": c.DBEndpoint, "dbReaderEndpoint": c.DBReaderEndpoint,
		"proxyEndpoint": c.ProxyEndpoint, "cacheEndpoint": c.CacheEndpoint, "tenantDataKeyArn": c.TenantDataKeyARN,
		"tenantSessionRoleArn": c.TenantSessionRoleARN,
		"auditLogGroup":        c.AuditLogGroup,
	})
}

// sharedBuild holds what the shared tier's parts build and hand on.
type sharedBuild struct {
	ctx    *pulumi.Context
	name   string
	args   *SharedTierArgs
	parent pulumi.ResourceOption
	t      map[string]string

	platformKey, tenantKey        *kms.Key
	net                           *Network
	lbc                           *loadBalancer
	appSG, proxySG, dbSG, cacheSG *ec2.SecurityGroup
	appRole, tenantSession        *iam.Role
	profile                       *iam.InstanceProfile
	audit, appLogs                *cloudwatch.LogGroup
	topic                         *sns.Topic
	db                            *aurora
	proxy                         *rds.Proxy
	cache                         *elasticache.ReplicationGroup
	cacheLogin                    cacheLogin
}

func (b *sharedBuild) wrap(what string, err error) error {
	return fmt.Errorf("shared tier: %s: %w", what, err)
}

// keysAndNetwork: the platform key encrypts the database, cache, volumes,
// logs and the alarm topic; the network is the shared VPC.
func (b *sharedBuild) keysAndNetwork() error {
	ctx, name, args := b.ctx, b.name, b.args
	var err error
	b.platformKey, err = newKey(ctx, name+"-platform", fmt.Sprintf("tenancy-%s-platform", args.Stack),
		"tenancy shared tier: database, cache, volumes, logs, alarms",
		args.AccountID.ApplyT(func(acct string) string {
			return keyPolicy(keyPolicyArgs{AccountID: acct, Region: args.Region, EBS: true, Alarms: true, LogGroups: []string{
				AuditLogGroupName, AppLogGroupName, DBLogGroupName("cluster", SharedClusterIdentifier(args.Stack)), FlowLogGroupPattern(name),
				WAFLogGroupName(args.Stack, name)}})
		}).(pulumi.StringOutput), args.Protected, b.t, b.parent)
	if err != nil {
		return b.wrap("platform key", err)
	}
	netArgs := args.Network
	netArgs.LogKeyARN, netArgs.AccountID = b.platformKey.Arn, args.AccountID
	if b.net, err = NewNetwork(ctx, name, &netArgs, b.parent); err != nil {
		return b.wrap("network", err)
	}
	return nil
}

// securityGroups: internet -> ALB -> app -> (proxy -> database, cache).
func (b *sharedBuild) securityGroups() error {
	ctx, name, args, net, t, parent := b.ctx, b.name, b.args, b.net, b.t, b.parent
	var err error
	if b.lbc, err = newLoadBalancer(ctx, name, loadBalancerArgs{
		VpcID: net.VpcID, PublicSubnetIDs: net.PublicSubnetIDs, CertificateARN: args.CertificateARN,
		AccessLogBucket: args.AccessLogBucket, AccessLogPrefix: "shared", Protected: args.Protected, Tags: t,
	}, parent); err != nil {
		return b.wrap("load balancer", err)
	}
	for _, g := range []struct {
		sg               **ec2.SecurityGroup
		suffix, what, is string
	}{
		{&b.appSG, "-app", "app security group", "shared app tier: from the load balancer only"},
		{&b.proxySG, "-proxy", "proxy security group", "connection pooler: from the app tier only"},
		{&b.dbSG, "-db", "database security group", "shared database: from the pooler only"},
		{&b.cacheSG, "-cache", "cache security group", "shared cache: from the app tier only"},
	} {
		if *g.sg, err = newSecurityGroup(ctx, name+g.suffix, g.is, net.VpcID, t, parent); err != nil {
			return b.wrap(g.what, err)
		}
	}
	for _, p := range []struct {
		rule string
		fn   func() error
	}{
		{"alb-app", func() error { return sgPath(ctx, name+"-alb-to-app", b.lbc.SG, b.appSG, AppPort, parent) }},
		{"app-proxy", func() error { return sgPath(ctx, name+"-app-to-proxy", b.appSG, b.proxySG, DBPort, parent) }},
		{"proxy-db", func() error { return sgPath(ctx, name+"-proxy-to-db", b.proxySG, b.dbSG, DBPort, parent) }},
		{"app-cache", func() error { return sgPath(ctx, name+"-app-to-cache", b.appSG, b.cacheSG, RedisPort, parent) }},
		{"app-https", func() error { return sgInternet(ctx, name+"-app-https-out", "egress", b.appSG, 443, parent) }},
	} {
		if err := p.fn(); err != nil {
			return b.wrap("security rule "+p.rule, err)
		}
	}
	return nil
}

// identity: the app tier's role, and the tenant-data key it may use only per
// tenant. The app works for one tenant at a time in a session of the
// tenant-session role, tagged with the tenant's id; only such sessions may
// use the key, and only for their own tenant's data keys.
func (b *sharedBuild) identity() error {
	ctx, name, args, t, parent := b.ctx, b.name, b.args, b.t, b.parent
	var err error
	if b.appRole, b.profile, err = newInstanceProfile(ctx, name+"-app", t, parent); err != nil {
		return b.wrap("app role", err)
	}
	if b.tenantSession, err = iam.NewRole(ctx, name+"-tenant-session", &iam.RoleArgs{
		AssumeRolePolicy:   b.appRole.Arn.ApplyT(tenantSessionTrust).(pulumi.StringOutput),
		MaxSessionDuration: pulumi.Int(3600), Tags: tags(t),
	}, parent); err != nil {
		return b.wrap("tenant session role", err)
	}
	if b.tenantKey, err = newKey(ctx, name+"-tenant-data", fmt.Sprintf("tenancy-%s-tenant-data", args.Stack),
		"tenancy tenant data keys: only tenant-tagged sessions, only their tenant's context",
		pulumi.All(args.AccountID, b.tenantSession.Arn).ApplyT(func(v []any) string {
			return tenantDataKeyPolicy(v[0].(string), v[1].(string))
		}).(pulumi.StringOutput), args.Protected, t, parent); err != nil {
		return b.wrap("tenant-data key", err)
	}
	return nil
}

// observability: the audit log group, the app tier's own logs (all tenants;
// the CloudWatch agent ships them) and the alarm topic.
func (b *sharedBuild) observability() error {
	ctx, name, args, t, parent := b.ctx, b.name, b.args, b.t, b.parent
	var err error
	if b.audit, err = cloudwatch.NewLogGroup(ctx, name+"-audit", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(AuditLogGroupName), RetentionInDays: pulumi.Int(args.AuditLogRetentionDays),
		KmsKeyId: b.platformKey.Arn, LogGroupClass: auditLogClass(args.AuditLogClass), Tags: tags(t),
	}, stateful(args.Protected, parent)...); err != nil {
		return b.wrap("audit log group", err)
	}
	if b.appLogs, err = cloudwatch.NewLogGroup(ctx, name+"-app-logs", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(AppLogGroupName), RetentionInDays: pulumi.Int(90), KmsKeyId: b.platformKey.Arn, Tags: tags(t),
	}, stateful(args.Protected, parent)...); err != nil {
		return b.wrap("app log group", err)
	}
	if b.topic, err = sns.NewTopic(ctx, name+"-alarms", &sns.TopicArgs{KmsMasterKeyId: b.platformKey.Arn, Tags: tags(t)}, parent); err != nil {
		return b.wrap("alarm topic", err)
	}
	if args.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-alarms-email", &sns.TopicSubscriptionArgs{
			Topic: b.topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(args.AlarmEmail),
		}, parent); err != nil {
			return b.wrap("alarm subscription", err)
		}
	}
	return nil
}

// appServers: the launch template, the Auto Scaling group and its policy.
func (b *sharedBuild) appServers() error {
	ctx, name, args, t, parent := b.ctx, b.name, b.args, b.t, b.parent
	lt, err := newLaunchTemplate(ctx, name+"-app", launchTemplateArgs{
		InstanceType: args.AppInstanceType, Graviton: args.Graviton, ProfileARN: b.profile.Arn, SG: b.appSG, KeyARN: b.platformKey.Arn,
		RootVolumeGB: SharedRootVolumeGB, Tags: t,
	}, parent)
	if err != nil {
		return b.wrap("launch template", err)
	}
	asg, err := autoscaling.NewGroup(ctx, name+"-app", &autoscaling.GroupArgs{
		MinSize: pulumi.Int(args.ASGMin), MaxSize: pulumi.Int(args.ASGMax), DesiredCapacity: pulumi.Int(args.ASGDesired),
		VpcZoneIdentifiers: b.net.PrivateSubnetIDs, TargetGroupArns: pulumi.StringArray{b.lbc.TargetGroup.Arn},
		HealthCheckType: pulumi.String("ELB"), HealthCheckGracePeriod: pulumi.Int(300),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{Id: lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput)},
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{Strategy: pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{MinHealthyPercentage: pulumi.Int(90)}},
		Tags: asgTagsOf(withNameMap(t, name+"-app")),
	}, parent, pulumi.IgnoreChanges([]string{"desiredCapacity"})) // scaling owns the size after the first deploy
	if err != nil {
		return b.wrap("auto scaling group", err)
	}
	if _, err := autoscaling.NewPolicy(ctx, name+"-app-cpu", &autoscaling.PolicyArgs{
		AutoscalingGroupName: asg.Name, PolicyType: pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization")},
			TargetValue: pulumi.Float64(float64(args.TargetCPUPercent)),
		},
	}, parent); err != nil {
		return b.wrap("scaling policy", err)
	}
	return nil
}

// dataTier: Aurora PostgreSQL (writer and readers across AZs) behind RDS
// Proxy, the application's login, and the cache.
func (b *sharedBuild) dataTier() error {
	ctx, name, args, net, t, parent := b.ctx, b.name, b.args, b.net, b.t, b.parent
	var err error
	if b.db, err = newAurora(ctx, name, auroraArgs{
		Stack: args.Stack, IOOptimized: args.DBStorageType == "io-optimized", InstanceClass: args.DBInstanceClass, Instances: args.DBInstances, EngineVersion: args.DBEngineVersion,
		BackupRetentionDays: args.DBBackupRetentionDays, GlobalPrimary: args.DRStrategy == DRGlobalDatabase, AZs: net.AZs, SubnetIDs: net.IsolatedSubnetIDs,
		SG: b.dbSG, KeyARN: b.platformKey.Arn, AccountID: args.AccountID, Protected: args.Protected, Tags: t,
	}, parent); err != nil {
		return b.wrap("database", err)
	}
	appLogin, err := newAppLogin(ctx, name, b.platformKey.Arn, t, parent)
	if err != nil {
		return b.wrap("application database login", err)
	}
	if b.proxy, err = newRDSProxy(ctx, name, b.db.Cluster, appLogin, b.proxySG, net.PrivateSubnetIDs, b.platformKey.Arn, args.AccountID, args.Region, t, parent); err != nil {
		return b.wrap("connection pooler", err)
	}
	if b.cache, b.cacheLogin, err = newRedis(ctx, name, redisArgs{
		Description: "tenancy shared cache (" + args.Stack + ")", NodeType: args.CacheNodeType, Nodes: args.CacheNodes, Shards: args.CacheShards,
		EngineVersion: args.CacheEngineVersion, AZs: net.AZs, SubnetIDs: net.IsolatedSubnetIDs, SG: b.cacheSG,
		KeyARN: b.platformKey.Arn, FinalSnapshot: finalSnapshotName("tenancy", args.Stack, "shared-redis"), Users: CacheUserPrefix(args.Stack, name),
		Protected: args.Protected, Tags: t,
	}, parent); err != nil {
		return b.wrap("cache", err)
	}
	return nil
}

// appPolicy: the app tier may write its tenants' audit streams and its own
// log group, read its tenants' limits, publish their metrics, log in to
// the pooler and the cache with IAM, and work for a tenant in a
// tenant-tagged session.
func (b *sharedBuild) appPolicy() error {
	args := b.args
	limitsPrefix := LimitsParameterPrefix(args.Stack)
	if _, err := iam.NewRolePolicy(b.ctx, b.name+"-app", &iam.RolePolicyArgs{
		Role: b.appRole.ID(),
		Policy: pulumi.All(args.AccountID, b.audit.Arn, b.appLogs.Arn, b.proxy.Arn, b.tenantSession.Arn, b.cacheLogin.GroupARN, b.cacheLogin.UserARN).ApplyT(func(v []any) string {
			acct, auditARN, appLogsARN, proxyARN, sessionARN := v[0].(string), v[1].(string), v[2].(string), v[3].(string), v[4].(string)
			statements := append(logWrites("AuditStreams", auditARN, "tenant-*"), logWrites("AppLogs", appLogsARN, "*")...)
			statements = append(statements, []map[string]any{
				{"Sid": "TenantLimits", "Effect": "Allow", "Action": []string{"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"},
					"Resource": fmt.Sprintf("arn:aws:ssm:%s:%s:parameter%s*", args.Region, acct, limitsPrefix)},
				{"Sid": "TenantMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
					"Condition": map[string]any{"StringEquals": map[string]any{"cloudwatch:namespace": TenantMetricNamespace}}},
				dbConnect(args.Region, acct, proxyARN[strings.LastIndex(proxyARN, ":")+1:], AppDBUser),
				{"Sid": "TenantSessions", "Effect": "Allow", "Action": []string{"sts:AssumeRole", "sts:TagSession"}, "Resource": sessionARN},
			}...)
			statements = append(statements, cacheConnect([]string{v[5].(string), v[6].(string)}))
			return policyDocument(append(statements, instanceBaseline(args.Region, acct)...)...)
		}).(pulumi.StringOutput),
	}, b.parent); err != nil {
		return b.wrap("app policy", err)
	}
	return nil
}

// edge: the tenants' DNS (a dedicated tenant's own record is more specific
// and wins), each shared tenant, the web ACL and disaster recovery.
func (b *sharedBuild) edge() error {
	ctx, name, args, t, parent := b.ctx, b.name, b.args, b.t, b.parent
	if _, err := route53.NewRecord(ctx, name+"-tenants", &route53.RecordArgs{
		ZoneId: pulumi.String(args.HostedZoneID), Name: pulumi.String("*." + args.DomainName), Type: pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{Name: b.lbc.LB.DnsName, ZoneId: b.lbc.LB.ZoneId, EvaluateTargetHealth: pulumi.Bool(true)}},
	}, parent); err != nil {
		return b.wrap("tenant DNS", err)
	}
	for _, tn := range args.Tenants {
		tn := tn
		tn.Stack, tn.AuditLogGroup, tn.AlarmTopicARN = args.Stack, b.audit.Name, b.topic.Arn
		if _, err := NewSharedTenant(ctx, tn.ID, &tn, parent); err != nil {
			return b.wrap("tenant "+tn.ID, err)
		}
	}
	if err := newWebACL(ctx, name, webACLArgs{Stack: args.Stack, Owner: name,
		Description: "tenancy shared tier: AWS managed rules, canonical hosts, per-IP and per-tier tenant rate limits for *." + args.DomainName,
		Rules:       EdgeRules(args.Stack, args.DomainName, args.Tenants, args.EdgeRateLimits), ALB: b.lbc.LB.Arn,
		LogKeyARN: b.platformKey.Arn, LogRetentionDays: args.Network.FlowLogRetentionDays, Protected: args.Protected, LogDelivery: args.WAFLogDelivery, Tags: t,
	}, parent); err != nil {
		return b.wrap("web ACL", err)
	}
	if err := newDisasterRecovery(ctx, name, disasterRecoveryArgs{
		Stack: args.Stack, Strategy: args.DRStrategy, CopyRegion: args.BackupCopyRegion,
		CopyEveryDays: args.DRCopyEveryDays, CopyRetentionDays: args.DRCopyRetentionDays, HomeRetentionDays: args.DBBackupRetentionDays,
		Cluster: b.db.Cluster, EngineVersion: args.DBEngineVersion, KeyARN: b.platformKey.Arn, AccountID: args.AccountID,
		Protected: args.Protected, Tags: t,
	}, parent); err != nil {
		return b.wrap("disaster recovery", err)
	}
	return nil
}

// asgTagsOf is an Auto Scaling group's tag list, sorted by key: built from a
// map in Go's random order, the list would differ on every run and the
// engine would update the group each time (a perpetual diff).
func asgTagsOf(m map[string]string) autoscaling.GroupTagArray {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(autoscaling.GroupTagArray, len(keys))
	for i, k := range keys {
		out[i] = &autoscaling.GroupTagArgs{Key: pulumi.String(k), Value: pulumi.String(m[k]), PropagateAtLaunch: pulumi.Bool(true)}
	}
	return out
}

// withNameMap is withName as a plain map.
func withNameMap(base map[string]string, name string) map[string]string {
	return tags2(base, "Name", name)
}

// auditLogClass is the audit log group's class: INFREQUENT_ACCESS, or unset
// for STANDARD (AWS's default; a deployed group has it).
func auditLogClass(class string) pulumi.StringPtrInput {
	if class == "infrequent-access" {
		return pulumi.String("INFREQUENT_ACCESS")
	}
	return nil
}
