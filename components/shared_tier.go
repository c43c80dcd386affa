package components

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AuditLogGroupName is the article's audit log group; each shared tenant
// writes to its own stream "tenant-<id>".
const AuditLogGroupName = "/aws/saas/audit"

// AppLogGroupName is where the shared app tier ships its logs.
const AppLogGroupName = "/aws/saas/app"

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

	AppInstanceType  string
	Graviton         bool
	ASGMin           int
	ASGMax           int
	ASGDesired       int
	TargetCPUPercent int

	DBInstanceClass       string
	DBInstances           int
	DBEngineVersion       string
	DBBackupRetentionDays int

	CacheNodeType      string
	CacheNodes         int
	CacheEngineVersion string

	AuditLogRetentionDays int
	AlarmEmail            string

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

// NewSharedTier builds the shared tier.
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
	parent := pulumi.Parent(c)
	t := args.Tags
	wrap := func(what string, err error) error { return fmt.Errorf("shared tier: %s: %w", what, err) }

	// Keys. The platform key encrypts the database, cache, volumes, logs and
	// the alarm topic; the tenant-data key only issues data keys bound to a tenant.
	platformKey, err := newKey(ctx, name+"-platform", fmt.Sprintf("tenancy-%s-platform", args.Stack),
		"tenancy shared tier: database, cache, volumes, logs, alarms",
		args.AccountID.ApplyT(func(acct string) string {
			return keyPolicy(keyPolicyArgs{AccountID: acct, Region: args.Region, EBS: true, Alarms: true, LogGroups: []string{
				AuditLogGroupName, AppLogGroupName, DBLogGroupName("cluster", SharedClusterIdentifier(args.Stack)), FlowLogGroupPattern(name),
				WAFLogGroupName(args.Stack, name)}})
		}).(pulumi.StringOutput), args.Protected, t, parent)
	if err != nil {
		return nil, wrap("platform key", err)
	}

	netArgs := args.Network
	netArgs.LogKeyARN, netArgs.AccountID = platformKey.Arn, args.AccountID
	net, err := NewNetwork(ctx, name, &netArgs, parent)
	if err != nil {
		return nil, wrap("network", err)
	}

	// Security groups: internet -> ALB -> app -> (proxy -> database, cache).
	lbc, err := newLoadBalancer(ctx, name, loadBalancerArgs{
		VpcID: net.VpcID, PublicSubnetIDs: net.PublicSubnetIDs, CertificateARN: args.CertificateARN,
		AccessLogBucket: args.AccessLogBucket, AccessLogPrefix: "shared", Protected: args.Protected, Tags: t,
	}, parent)
	if err != nil {
		return nil, wrap("load balancer", err)
	}
	appSG, err := newSecurityGroup(ctx, name+"-app", "shared app tier: from the load balancer only", net.VpcID, t, parent)
	if err != nil {
		return nil, wrap("app security group", err)
	}
	proxySG, err := newSecurityGroup(ctx, name+"-proxy", "connection pooler: from the app tier only", net.VpcID, t, parent)
	if err != nil {
		return nil, wrap("proxy security group", err)
	}
	dbSG, err := newSecurityGroup(ctx, name+"-db", "shared database: from the pooler only", net.VpcID, t, parent)
	if err != nil {
		return nil, wrap("database security group", err)
	}
	cacheSG, err := newSecurityGroup(ctx, name+"-cache", "shared cache: from the app tier only", net.VpcID, t, parent)
	if err != nil {
		return nil, wrap("cache security group", err)
	}
	for _, p := range []struct {
		rule string
		fn   func() error
	}{
		{"alb-app", func() error { return sgPath(ctx, name+"-alb-to-app", lbc.SG, appSG, AppPort, parent) }},
		{"app-proxy", func() error { return sgPath(ctx, name+"-app-to-proxy", appSG, proxySG, DBPort, parent) }},
		{"proxy-db", func() error { return sgPath(ctx, name+"-proxy-to-db", proxySG, dbSG, DBPort, parent) }},
		{"app-cache", func() error { return sgPath(ctx, name+"-app-to-cache", appSG, cacheSG, RedisPort, parent) }},
		{"app-https", func() error { return sgInternet(ctx, name+"-app-https-out", "egress", appSG, 443, parent) }},
	} {
		if err := p.fn(); err != nil {
			return nil, wrap("security rule "+p.rule, err)
		}
	}

	// The app tier's identity, and the tenant-data key it may use only per tenant.
	appRole, profile, err := newInstanceProfile(ctx, name+"-app", t, parent)
	if err != nil {
		return nil, wrap("app role", err)
	}
	// The app works for one tenant at a time in a session of this role,
	// tagged with the tenant's id; only such sessions may use the key, and
	// only for their own tenant's data keys.
	tenantSession, err := iam.NewRole(ctx, name+"-tenant-session", &iam.RoleArgs{
		AssumeRolePolicy:   appRole.Arn.ApplyT(tenantSessionTrust).(pulumi.StringOutput),
		MaxSessionDuration: pulumi.Int(3600), Tags: tags(t),
	}, parent)
	if err != nil {
		return nil, wrap("tenant session role", err)
	}
	tenantKey, err := newKey(ctx, name+"-tenant-data", fmt.Sprintf("tenancy-%s-tenant-data", args.Stack),
		"tenancy tenant data keys: only tenant-tagged sessions, only their tenant's context",
		pulumi.All(args.AccountID, tenantSession.Arn).ApplyT(func(v []any) string {
			return tenantDataKeyPolicy(v[0].(string), v[1].(string))
		}).(pulumi.StringOutput), args.Protected, t, parent)
	if err != nil {
		return nil, wrap("tenant-data key", err)
	}

	// Audit log group, alarm topic.
	audit, err := cloudwatch.NewLogGroup(ctx, name+"-audit", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(AuditLogGroupName), RetentionInDays: pulumi.Int(args.AuditLogRetentionDays),
		KmsKeyId: platformKey.Arn, Tags: tags(t),
	}, stateful(args.Protected, parent)...)
	if err != nil {
		return nil, wrap("audit log group", err)
	}
	// The app tier's own logs (all tenants; the CloudWatch agent ships them).
	appLogs, err := cloudwatch.NewLogGroup(ctx, name+"-app-logs", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(AppLogGroupName), RetentionInDays: pulumi.Int(90), KmsKeyId: platformKey.Arn, Tags: tags(t),
	}, stateful(args.Protected, parent)...)
	if err != nil {
		return nil, wrap("app log group", err)
	}
	topic, err := sns.NewTopic(ctx, name+"-alarms", &sns.TopicArgs{KmsMasterKeyId: platformKey.Arn, Tags: tags(t)}, parent)
	if err != nil {
		return nil, wrap("alarm topic", err)
	}
	if args.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-alarms-email", &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(args.AlarmEmail),
		}, parent); err != nil {
			return nil, wrap("alarm subscription", err)
		}
	}

	// Application tier.
	lt, err := newLaunchTemplate(ctx, name+"-app", launchTemplateArgs{
		InstanceType: args.AppInstanceType, Graviton: args.Graviton, ProfileARN: profile.Arn, SG: appSG, KeyARN: platformKey.Arn, RootVolumeGB: SharedRootVolumeGB, Tags: t,
	}, parent)
	if err != nil {
		return nil, wrap("launch template", err)
	}
	asgTags := asgTagsOf(withNameMap(t, name+"-app"))
	asg, err := autoscaling.NewGroup(ctx, name+"-app", &autoscaling.GroupArgs{
		MinSize: pulumi.Int(args.ASGMin), MaxSize: pulumi.Int(args.ASGMax), DesiredCapacity: pulumi.Int(args.ASGDesired),
		VpcZoneIdentifiers: net.PrivateSubnetIDs, TargetGroupArns: pulumi.StringArray{lbc.TargetGroup.Arn},
		HealthCheckType: pulumi.String("ELB"), HealthCheckGracePeriod: pulumi.Int(300),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{Id: lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput)},
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{Strategy: pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{MinHealthyPercentage: pulumi.Int(90)}},
		Tags: asgTags,
	}, parent, pulumi.IgnoreChanges([]string{"desiredCapacity"})) // scaling owns the size after the first deploy
	if err != nil {
		return nil, wrap("auto scaling group", err)
	}
	if _, err := autoscaling.NewPolicy(ctx, name+"-app-cpu", &autoscaling.PolicyArgs{
		AutoscalingGroupName: asg.Name, PolicyType: pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization")},
			TargetValue: pulumi.Float64(float64(args.TargetCPUPercent)),
		},
	}, parent); err != nil {
		return nil, wrap("scaling policy", err)
	}

	// Database: Aurora PostgreSQL, writer and readers across AZs.
	db, err := newAurora(ctx, name, auroraArgs{
		Stack: args.Stack, InstanceClass: args.DBInstanceClass, Instances: args.DBInstances, EngineVersion: args.DBEngineVersion,
		BackupRetentionDays: args.DBBackupRetentionDays, GlobalPrimary: args.DRStrategy == DRGlobalDatabase, AZs: net.AZs, SubnetIDs: net.IsolatedSubnetIDs,
		SG: dbSG, KeyARN: platformKey.Arn, AccountID: args.AccountID, Protected: args.Protected, Tags: t,
	}, parent)
	if err != nil {
		return nil, wrap("database", err)
	}
	appLogin, err := newAppLogin(ctx, name, platformKey.Arn, t, parent)
	if err != nil {
		return nil, wrap("application database login", err)
	}
	proxy, err := newRDSProxy(ctx, name, db.Cluster, appLogin, proxySG, net.PrivateSubnetIDs, platformKey.Arn, args.AccountID, args.Region, t, parent)
	if err != nil {
		return nil, wrap("connection pooler", err)
	}

	// Cache.
	cache, cacheLogin, err := newRedis(ctx, name, redisArgs{
		Description: "tenancy shared cache (" + args.Stack + ")", NodeType: args.CacheNodeType, Nodes: args.CacheNodes,
		EngineVersion: args.CacheEngineVersion, AZs: net.AZs, SubnetIDs: net.IsolatedSubnetIDs, SG: cacheSG,
		KeyARN: platformKey.Arn, FinalSnapshot: finalSnapshotName("tenancy", args.Stack, "shared-redis"), Users: CacheUserPrefix(args.Stack, name),
		Protected: args.Protected, Tags: t,
	}, parent)
	if err != nil {
		return nil, wrap("cache", err)
	}

	// The app tier may write its tenants' audit streams and its own log
	// group, read its tenants' limits, publish their metrics, log in to the
	// pooler and the cache with IAM, and work for a tenant in
	// a tenant-tagged session.
	limitsPrefix := LimitsParameterPrefix(args.Stack)
	if _, err := iam.NewRolePolicy(ctx, name+"-app", &iam.RolePolicyArgs{
		Role: appRole.ID(),
		Policy: pulumi.All(args.AccountID, audit.Arn, appLogs.Arn, proxy.Arn, tenantSession.Arn, cacheLogin.GroupARN, cacheLogin.UserARN).ApplyT(func(v []any) string {
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
	}, parent); err != nil {
		return nil, wrap("app policy", err)
	}

	// Every shared tenant's host points at this ALB; a dedicated tenant's own
	// record is more specific and wins.
	if _, err := route53.NewRecord(ctx, name+"-tenants", &route53.RecordArgs{
		ZoneId: pulumi.String(args.HostedZoneID), Name: pulumi.String("*." + args.DomainName), Type: pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{Name: lbc.LB.DnsName, ZoneId: lbc.LB.ZoneId, EvaluateTargetHealth: pulumi.Bool(true)}},
	}, parent); err != nil {
		return nil, wrap("tenant DNS", err)
	}

	for _, tn := range args.Tenants {
		tn := tn
		tn.Stack, tn.AuditLogGroup, tn.AlarmTopicARN = args.Stack, audit.Name, topic.Arn
		if _, err := NewSharedTenant(ctx, tn.ID, &tn, parent); err != nil {
			return nil, wrap("tenant "+tn.ID, err)
		}
	}

	if err := newWebACL(ctx, name, webACLArgs{Stack: args.Stack, Owner: name,
		Description: "tenancy shared tier: AWS managed rules, canonical hosts, per-IP and per-tier tenant rate limits for *." + args.DomainName,
		Rules:       EdgeRules(args.Stack, args.DomainName, args.Tenants, args.EdgeRateLimits), ALB: lbc.LB.Arn,
		LogKeyARN: platformKey.Arn, LogRetentionDays: args.Network.FlowLogRetentionDays, Protected: args.Protected, LogDelivery: args.WAFLogDelivery, Tags: t,
	}, parent); err != nil {
		return nil, wrap("web ACL", err)
	}
	if err := newDisasterRecovery(ctx, name, disasterRecoveryArgs{
		Stack: args.Stack, Strategy: args.DRStrategy, CopyRegion: args.BackupCopyRegion,
		CopyEveryDays: args.DRCopyEveryDays, CopyRetentionDays: args.DRCopyRetentionDays, HomeRetentionDays: args.DBBackupRetentionDays,
		Cluster: db.Cluster, EngineVersion: args.DBEngineVersion, KeyARN: platformKey.Arn, AccountID: args.AccountID,
		Protected: args.Protected, Tags: t,
	}, parent); err != nil {
		return nil, wrap("disaster recovery", err)
	}

	c.AlbDNSName = lbc.LB.DnsName
	c.DBEndpoint = db.Cluster.Endpoint
	c.DBReaderEndpoint = db.Cluster.ReaderEndpoint
	c.ProxyEndpoint = proxy.Endpoint
	c.CacheEndpoint = cache.PrimaryEndpointAddress
	c.TenantDataKeyARN = tenantKey.Arn
	c.TenantSessionRoleARN = tenantSession.Arn
	c.AuditLogGroup = audit.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"albDnsName": c.AlbDNSName, "dbEndpoint": c.DBEndpoint, "dbReaderEndpoint": c.DBReaderEndpoint,
		"proxyEndpoint": c.ProxyEndpoint, "cacheEndpoint": c.CacheEndpoint, "tenantDataKeyArn": c.TenantDataKeyARN,
		"tenantSessionRoleArn": c.TenantSessionRoleARN,
		"auditLogGroup":        c.AuditLogGroup,
	})
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
