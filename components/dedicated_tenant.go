package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DedicatedVpcCIDR is every dedicated tenant's VPC: they never peer, so they may overlap.
const DedicatedVpcCIDR = "10.1.0.0/16"

// DedicatedTenantArgs describes one tenant on its own stack.
type DedicatedTenantArgs struct {
	TenantID  string
	Tier      string
	Stack     string
	Region    string
	AccountID pulumi.StringOutput
	Protected bool
	AZs       []string

	AppInstanceType string
	Graviton        bool
	DBInstanceClass string
	DBStorageGB     int
	DBEngineVersion string
	CacheNodeType   string
	CacheEngine     string

	LogRetentionDays int
	// APIRatePerMinute is the tenant's tier rate, which its web ACL allows
	// each client address.
	APIRatePerMinute int
	// FlowLogRetentionDays keeps the VPC's flow logs and the web ACL's (a
	// year for PCI).
	FlowLogRetentionDays int

	// WAFLogDelivery is the stack's WAF log resource policy (Edge).
	WAFLogDelivery  pulumi.Resource
	CertificateARN  pulumi.StringInput
	AccessLogBucket pulumi.StringInput
	DomainName      string
	HostedZoneID    string

	// HostTarget is where the tenant's DNS record points: nil, this stack's
	// load balancer; while the tenant moves to the shared tier, the shared
	// load balancer. The record lives as long as the stack: in prod the
	// stack is protected whole, and the engine refuses to delete a protected
	// record, so a step that dropped the record while keeping the stack
	// would fail (the engine journey found this).
	HostTarget *AliasTarget
	// RetainKeysAndLogs keeps the tenant's key and log group in AWS when the
	// stack is removed, even unprotected: its final snapshots are encrypted
	// with that key.
	RetainKeysAndLogs bool

	Tags map[string]string // TenantId is added to these
}

// DedicatedTenant is the article's per-customer stack: its own VPC with one
// NAT, one ALB, one app server, a Multi-AZ PostgreSQL instance, a Redis
// primary and replica, its own key and log group, every resource tagged with
// the tenant id.
type DedicatedTenant struct {
	pulumi.ResourceState

	Host          pulumi.StringOutput `pulumi:"host"`
	AlbDNSName    pulumi.StringOutput `pulumi:"albDnsName"`
	DBEndpoint    pulumi.StringOutput `pulumi:"dbEndpoint"`
	CacheEndpoint pulumi.StringOutput `pulumi:"cacheEndpoint"`
}

// NewDedicatedTenant builds a tenant's dedicated stack.
//
// With args.Protected (prod, an active or migrating tenant) the whole stack
// is protected, not only its data: every child inherits it. A registry edit
// that drops the tenant by mistake then deletes nothing (the engine refuses
// the first delete) instead of its ALB, DNS record, server and network
// before the database stops it. The price: a change that replaces a
// resource of an active stack is refused too, until someone unprotects it
// on purpose (README: "A tenant's stack is protected whole").
func NewDedicatedTenant(ctx *pulumi.Context, name string, args *DedicatedTenantArgs, opts ...pulumi.ResourceOption) (*DedicatedTenant, error) {
	if args == nil {
		return nil, errors.New("dedicated tenant: args are required")
	}
	id := args.TenantID
	c := &DedicatedTenant{}
	if err := ctx.RegisterComponentResource("tenancy:index:DedicatedTenant", name, c,
		append(append([]pulumi.ResourceOption{}, opts...), pulumi.Protect(args.Protected))...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	t := tags2(args.Tags, TagTenantID, id)
	t["Tier"] = args.Tier
	wrap := func(what string, err error) error { return fmt.Errorf("tenant %s: %s: %w", id, what, err) }

	retained := []pulumi.ResourceOption{parent}
	if args.RetainKeysAndLogs {
		retained = append(retained, pulumi.RetainOnDelete(true))
	}
	key, err := newDedicatedKey(ctx, id, args, t, retained)
	if err != nil {
		return nil, wrap("key", err)
	}
	net, err := NewNetwork(ctx, id, &NetworkArgs{
		CIDR: DedicatedVpcCIDR, AZs: args.AZs, NATGateways: 1, Region: args.Region, LogKeyARN: key.Arn, AccountID: args.AccountID,
		FlowLogRetentionDays: args.FlowLogRetentionDays, Tags: t,
	}, parent)
	if err != nil {
		return nil, wrap("network", err)
	}
	lbc, err := newDedicatedEdge(ctx, id, args, net, key.Arn, t, parent, wrap)
	if err != nil {
		return nil, err
	}
	appSG, dbSG, cacheSG, err := dedicatedSecurityGroups(ctx, id, net, lbc, t, parent, wrap)
	if err != nil {
		return nil, err
	}

	logGroup, err := cloudwatch.NewLogGroup(ctx, id+"-logs", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(TenantLogGroupName(id)), RetentionInDays: pulumi.Int(args.LogRetentionDays), KmsKeyId: key.Arn, Tags: tags(t),
	}, stateful(args.Protected, retained...)...)
	if err != nil {
		return nil, wrap("log group", err)
	}
	role, err := newDedicatedServer(ctx, id, args, net, appSG, lbc, key.Arn, t, parent, wrap)
	if err != nil {
		return nil, err
	}

	db, err := newDedicatedDatabase(ctx, id, args, net, dbSG, key.Arn, t, parent, wrap)
	if err != nil {
		return nil, err
	}
	cache, cacheLogin, err := newDedicatedCache(ctx, id, args, net, cacheSG, key.Arn, t, parent)
	if err != nil {
		return nil, wrap("cache", err)
	}
	if err := newDedicatedAppPolicy(ctx, id, args, role, logGroup.Arn, db.ResourceId, cacheLogin, parent); err != nil {
		return nil, wrap("app policy", err)
	}
	host := id + "." + args.DomainName
	target := args.HostTarget
	if target == nil {
		target = &AliasTarget{DNSName: lbc.LB.DnsName, ZoneID: lbc.LB.ZoneId}
	}
	if err := newTenantRecord(ctx, id, host, args.HostedZoneID, *target, parent); err != nil {
		return nil, wrap("dns", err)
	}

	c.Host = pulumi.String(host).ToStringOutput()
	c.AlbDNSName = lbc.LB.DnsName
	c.DBEndpoint = db.Endpoint
	c.CacheEndpoint = cache.PrimaryEndpointAddress
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"host": c.Host, "albDnsName": c.AlbDNSName, "dbEndpoint": c.DBEndpoint, "cacheEndpoint": c.CacheEndpoint,
	})
}

// newDedicatedCache is the tenant's own Redis, two nodes across its AZs.
func newDedicatedCache(ctx *pulumi.Context, id string, args *DedicatedTenantArgs, net *Network, cacheSG *ec2.SecurityGroup,
	keyARN pulumi.StringOutput, t map[string]string, parent pulumi.ResourceOption) (*elasticache.ReplicationGroup, cacheLogin, error) {
	return newRedis(ctx, id, redisArgs{
		Description: "tenancy tenant " + id + " cache", NodeType: args.CacheNodeType, Nodes: 2, EngineVersion: args.CacheEngine,
		AZs: args.AZs, SubnetIDs: net.IsolatedSubnetIDs, SG: cacheSG, KeyARN: keyARN,
		FinalSnapshot: finalSnapshotName("tenancy", args.Stack, id, "redis"), Users: CacheUserPrefix(args.Stack, id), Protected: args.Protected, Tags: t,
	}, parent)
}

// newDedicatedKey is the tenant's own key: its database, cache, volumes
// and log groups.
func newDedicatedKey(ctx *pulumi.Context, id string, args *DedicatedTenantArgs, t map[string]string, opts []pulumi.ResourceOption) (*kms.Key, error) {
	return newKey(ctx, id+"-key", fmt.Sprintf("tenancy-%s-dedicated-%s", args.Stack, id), "tenancy dedicated tenant "+id,
		args.AccountID.ApplyT(func(acct string) string {
			// No EBS statement: the deployer launches the server, with its
			// own IAM rights to the key (the account administers it).
			return keyPolicy(keyPolicyArgs{AccountID: acct, Region: args.Region, LogGroups: []string{
				TenantLogGroupName(id), DBLogGroupName("instance", TenantDBIdentifier(args.Stack, id)), FlowLogGroupPattern(id),
				WAFLogGroupName(args.Stack, id)}})
		}).(pulumi.StringOutput), args.Protected, t, opts...)
}

// AliasTarget is a load balancer a DNS alias record points at.
type AliasTarget struct {
	DNSName, ZoneID pulumi.StringOutput
}

// newTenantRecord points the tenant's host at a load balancer.
func newTenantRecord(ctx *pulumi.Context, id, host, zoneID string, to AliasTarget, parent pulumi.ResourceOption) error {
	_, err := route53.NewRecord(ctx, id+"-dns", &route53.RecordArgs{
		ZoneId: pulumi.String(zoneID), Name: pulumi.String(host), Type: pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{Name: to.DNSName, ZoneId: to.ZoneID, EvaluateTargetHealth: pulumi.Bool(true)}},
	}, parent)
	return err
}

// newDedicatedEdge is a tenant's load balancer and its web ACL.
func newDedicatedEdge(ctx *pulumi.Context, id string, args *DedicatedTenantArgs, net *Network, keyARN pulumi.StringOutput, t map[string]string,
	parent pulumi.ResourceOption, wrap wrapFunc) (*loadBalancer, error) {
	lbc, err := newLoadBalancer(ctx, id, loadBalancerArgs{
		VpcID: net.VpcID, PublicSubnetIDs: net.PublicSubnetIDs, CertificateARN: args.CertificateARN,
		AccessLogBucket: args.AccessLogBucket, AccessLogPrefix: "tenant-" + id, Protected: args.Protected, Tags: t,
	}, parent)
	if err != nil {
		return nil, wrap("load balancer", err)
	}
	if err := newWebACL(ctx, id, webACLArgs{Stack: args.Stack, Owner: id,
		Description: "tenancy tenant " + id + ": AWS managed rules, its host only, a per-IP rate limit",
		Rules:       DedicatedEdgeRules(args.Stack, id, id+"."+args.DomainName, args.APIRatePerMinute), ALB: lbc.LB.Arn,
		LogKeyARN: keyARN, LogRetentionDays: args.FlowLogRetentionDays, Protected: args.Protected, RetainLogs: args.RetainKeysAndLogs, LogDelivery: args.WAFLogDelivery, Tags: t,
	}, parent); err != nil {
		return nil, wrap("web ACL", err)
	}
	return lbc, nil
}

// newDedicatedAppPolicy lets the server write its tenant's log group, log
// in to its own database and its cache with IAM, and do what every server
// needs.
func newDedicatedAppPolicy(ctx *pulumi.Context, id string, args *DedicatedTenantArgs, role *iam.Role, logGroupARN pulumi.StringOutput,
	dbResourceID pulumi.StringOutput, login cacheLogin, parent pulumi.ResourceOption) error {
	_, err := iam.NewRolePolicy(ctx, id+"-app", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: pulumi.All(logGroupARN, args.AccountID, dbResourceID, login.GroupARN, login.UserARN).ApplyT(func(v []any) string {
			arn, acct, dbID := v[0].(string), v[1].(string), v[2].(string)
			statements := append(logWrites("TenantLogs", arn, "*"), dbConnect(args.Region, acct, dbID, AppDBUser))
			statements = append(statements, cacheConnect([]string{v[3].(string), v[4].(string)}))
			return policyDocument(append(statements, instanceBaseline(args.Region, acct)...)...)
		}).(pulumi.StringOutput),
	}, parent)
	return err
}

// wrapFunc wraps an error with what failed, for one tenant.
type wrapFunc func(what string, err error) error

// dedicatedSecurityGroups: internet -> the tenant's ALB -> its app -> its
// database and cache.
func dedicatedSecurityGroups(ctx *pulumi.Context, id string, net *Network, lbc *loadBalancer, t map[string]string,
	parent pulumi.ResourceOption, wrap wrapFunc) (appSG, dbSG, cacheSG *ec2.SecurityGroup, err error) {
	appSG, err = newSecurityGroup(ctx, id+"-app", "tenant "+id+" app: from its load balancer only", net.VpcID, t, parent)
	if err != nil {
		return nil, nil, nil, wrap("app security group", err)
	}
	dbSG, err = newSecurityGroup(ctx, id+"-db", "tenant "+id+" database: from its app only", net.VpcID, t, parent)
	if err != nil {
		return nil, nil, nil, wrap("database security group", err)
	}
	cacheSG, err = newSecurityGroup(ctx, id+"-cache", "tenant "+id+" cache: from its app only", net.VpcID, t, parent)
	if err != nil {
		return nil, nil, nil, wrap("cache security group", err)
	}
	for _, p := range []struct {
		rule string
		fn   func() error
	}{
		{"alb-app", func() error { return sgPath(ctx, id+"-alb-to-app", lbc.SG, appSG, AppPort, parent) }},
		{"app-db", func() error { return sgPath(ctx, id+"-app-to-db", appSG, dbSG, DBPort, parent) }},
		{"app-cache", func() error { return sgPath(ctx, id+"-app-to-cache", appSG, cacheSG, RedisPort, parent) }},
		{"app-https", func() error { return sgInternet(ctx, id+"-app-https-out", "egress", appSG, 443, parent) }},
	} {
		if err := p.fn(); err != nil {
			return nil, nil, nil, wrap("security rule "+p.rule, err)
		}
	}

	return appSG, dbSG, cacheSG, nil
}

// newDedicatedServer: the tenant's log group, its app server (role,
// launch template, instance) behind its ALB; it returns the server's role.
func newDedicatedServer(ctx *pulumi.Context, id string, args *DedicatedTenantArgs, net *Network, appSG *ec2.SecurityGroup, lbc *loadBalancer,
	keyARN pulumi.StringOutput, t map[string]string, parent pulumi.ResourceOption, wrap wrapFunc) (*iam.Role, error) {
	role, profile, err := newInstanceProfile(ctx, id+"-app", t, parent)
	if err != nil {
		return nil, wrap("app role", err)
	}
	lt, err := newLaunchTemplate(ctx, id+"-app", launchTemplateArgs{
		InstanceType: args.AppInstanceType, Graviton: args.Graviton, ProfileARN: profile.Arn, SG: appSG, KeyARN: keyARN, RootVolumeGB: DedicatedRootVolumeGB, Standalone: true, Tags: t,
	}, parent)
	if err != nil {
		return nil, wrap("launch template", err)
	}
	server, err := ec2.NewInstance(ctx, id+"-app", &ec2.InstanceArgs{
		InstanceType: pulumi.String(args.AppInstanceType), SubnetId: net.PrivateSubnetIDs.Index(pulumi.Int(0)),
		LaunchTemplate:           &ec2.InstanceLaunchTemplateArgs{Id: lt.ID(), Version: pulumi.String("$Default")},
		AssociatePublicIpAddress: pulumi.Bool(false),
		MetadataOptions: &ec2.InstanceMetadataOptionsArgs{HttpEndpoint: pulumi.String("enabled"), HttpTokens: pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1)},
		Tags: withName(t, id+"-app"),
	}, parent)
	if err != nil {
		return nil, wrap("app server", err)
	}
	if _, err := lb.NewTargetGroupAttachment(ctx, id+"-app", &lb.TargetGroupAttachmentArgs{
		TargetGroupArn: lbc.TargetGroup.Arn, TargetId: server.ID(), Port: pulumi.Int(AppPort),
	}, parent); err != nil {
		return nil, wrap("target attachment", err)
	}

	return role, nil
}

// newDedicatedDatabase: the tenant's Multi-AZ PostgreSQL instance in its
// isolated subnets, with its own parameters, monitoring and log group, in
// the stack's AWS Backup plan.
func newDedicatedDatabase(ctx *pulumi.Context, id string, args *DedicatedTenantArgs, net *Network, dbSG *ec2.SecurityGroup,
	keyARN pulumi.StringOutput, t map[string]string, parent pulumi.ResourceOption, wrap wrapFunc) (*rds.Instance, error) {
	subnets, err := rds.NewSubnetGroup(ctx, id+"-db", &rds.SubnetGroupArgs{
		SubnetIds: net.IsolatedSubnetIDs, Description: pulumi.String("tenant " + id + " database: isolated subnets"), Tags: tags(t),
	}, parent)
	if err != nil {
		return nil, wrap("database subnets", err)
	}
	monitoring, err := newServiceRole(ctx, id+"-db-monitoring", "monitoring.rds.amazonaws.com", args.AccountID, []string{policyRDSMonitoring}, t, parent)
	if err != nil {
		return nil, wrap("database monitoring role", err)
	}
	dbIdentifier := TenantDBIdentifier(args.Stack, id)
	dbLogs, err := newDBLogGroup(ctx, id+"-db-logs", "instance", dbIdentifier, keyARN, args.Protected, t, parent)
	if err != nil {
		return nil, wrap("database log group", err)
	}
	dbParams, err := newDBParameterGroup(ctx, id+"-db", args.DBEngineVersion, "tenant "+id+" database: TLS required, connections and DDL audited", t, parent)
	if err != nil {
		return nil, wrap("database parameters", err)
	}
	db, err := rds.NewInstance(ctx, id+"-db", &rds.InstanceArgs{
		ParameterGroupName: dbParams.Name,
		Identifier:         pulumi.String(dbIdentifier),
		Engine:             pulumi.String("postgres"), EngineVersion: pulumi.String(args.DBEngineVersion), InstanceClass: pulumi.String(args.DBInstanceClass),
		AllocatedStorage: pulumi.Int(args.DBStorageGB), StorageType: pulumi.String("gp3"), MultiAz: pulumi.Bool(true),
		StorageEncrypted: pulumi.Bool(true), KmsKeyId: keyARN,
		DbName: pulumi.String("app"), Username: pulumi.String("app_admin"),
		ManageMasterUserPassword: pulumi.Bool(true), MasterUserSecretKmsKeyId: keyARN,
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true), EnabledCloudwatchLogsExports: pulumi.StringArray{pulumi.String("postgresql")},
		BackupRetentionPeriod: pulumi.Int(7), BackupWindow: pulumi.String("03:00-04:00"), MaintenanceWindow: pulumi.String("sun:05:00-sun:06:00"),
		CopyTagsToSnapshot: pulumi.Bool(true), DeletionProtection: pulumi.Bool(args.Protected),
		SkipFinalSnapshot: pulumi.Bool(false), FinalSnapshotIdentifier: pulumi.String(finalSnapshotName("tenancy", args.Stack, id, "db")),
		PubliclyAccessible: pulumi.Bool(false), AutoMinorVersionUpgrade: pulumi.Bool(true),
		MonitoringInterval: pulumi.Int(60), MonitoringRoleArn: monitoring.Arn,
		DbSubnetGroupName: subnets.Name, VpcSecurityGroupIds: pulumi.StringArray{dbSG.ID()},
		Tags: tags(tags2(t, DatabaseBackupTag, DatabaseBackupTagValue(args.Stack))),
	}, stateful(args.Protected, parent, pulumi.DependsOn([]pulumi.Resource{dbLogs}))...)
	if err != nil {
		return nil, wrap("database", err)
	}
	return db, nil
}
