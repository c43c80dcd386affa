package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type auroraArgs struct {
	Stack               string
	IOOptimized         bool // storage type aurora-iopt1
	InstanceClass       string
	Instances           int
	EngineVersion       string
	BackupRetentionDays int
	// GlobalPrimary: the cluster becomes the primary of a global database
	// (the global cluster names it, so its globalClusterIdentifier is
	// AWS's to set, not a diff).
	GlobalPrimary bool
	AZs           []string
	SubnetIDs     pulumi.StringArrayOutput
	SG            *ec2.SecurityGroup
	KeyARN        pulumi.StringOutput
	AccountID     pulumi.StringOutput
	Protected     bool
	Tags          map[string]string
}

type aurora struct {
	Cluster   *rds.Cluster
	Instances []*rds.ClusterInstance
}

// newAurora builds the shared Aurora PostgreSQL cluster: encrypted with the
// stack's key (RDS.27), IAM auth (RDS.12), logs exported (RDS.37), backups of
// 7 days or more (RDS.11) into a group that expires and is encrypted, tags copied to snapshots (RDS.16), the master
// password generated and kept in Secrets Manager by RDS (never in config),
// deletion protection and a final snapshot (RDS.7), and a writer and readers
// in different AZs (RDS.15) with enhanced monitoring (RDS.6).
func newAurora(ctx *pulumi.Context, name string, a auroraArgs, opts ...pulumi.ResourceOption) (*aurora, error) {
	subnets, err := rds.NewSubnetGroup(ctx, name+"-db", &rds.SubnetGroupArgs{
		SubnetIds: a.SubnetIDs, Description: pulumi.String("tenancy shared database: isolated subnets"), Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, err
	}
	monitoring, err := newServiceRole(ctx, name+"-db-monitoring", "monitoring.rds.amazonaws.com", a.AccountID, []string{policyRDSMonitoring}, a.Tags, opts...)
	if err != nil {
		return nil, err
	}
	identifier := SharedClusterIdentifier(a.Stack)
	logs, err := newDBLogGroup(ctx, name+"-db-logs", "cluster", identifier, a.KeyARN, a.Protected, a.Tags, opts...)
	if err != nil {
		return nil, err
	}
	params, err := newClusterParameterGroup(ctx, name+"-db", a.EngineVersion, "tenancy shared database: TLS required, connections and DDL audited", a.Tags, opts...)
	if err != nil {
		return nil, err
	}
	clusterOpts := append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{logs}))
	if a.GlobalPrimary {
		clusterOpts = append(clusterOpts, pulumi.IgnoreChanges([]string{"globalClusterIdentifier"}))
	}
	cluster, err := rds.NewCluster(ctx, name+"-db", &rds.ClusterArgs{
		ClusterIdentifier: pulumi.String(identifier),
		Engine:            pulumi.String("aurora-postgresql"), EngineVersion: pulumi.String(a.EngineVersion),
		DatabaseName: pulumi.String("saas"), MasterUsername: pulumi.String("saas_admin"),
		ManageMasterUserPassword: pulumi.Bool(true), MasterUserSecretKmsKeyId: a.KeyARN,
		StorageEncrypted: pulumi.Bool(true), KmsKeyId: a.KeyARN, StorageType: auroraStorageType(a.IOOptimized),
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		EnabledCloudwatchLogsExports:     pulumi.StringArray{pulumi.String("postgresql")},
		BackupRetentionPeriod:            pulumi.Int(a.BackupRetentionDays), PreferredBackupWindow: pulumi.String("03:00-04:00"),
		PreferredMaintenanceWindow: pulumi.String("sun:05:00-sun:06:00"),
		CopyTagsToSnapshot:         pulumi.Bool(true), DeletionProtection: pulumi.Bool(a.Protected),
		SkipFinalSnapshot: pulumi.Bool(false), FinalSnapshotIdentifier: pulumi.String(finalSnapshotName("tenancy", a.Stack, "shared-db")),
		DbSubnetGroupName: subnets.Name, VpcSecurityGroupIds: pulumi.StringArray{a.SG.ID()},
		DbClusterParameterGroupName: params.Name,
		Tags:                        tags(tags2(a.Tags, DatabaseBackupTag, SharedBackupTagValue(a.Stack))),
	}, stateful(a.Protected, clusterOpts...)...)
	if err != nil {
		return nil, err
	}
	out := &aurora{Cluster: cluster}
	for i := 0; i < a.Instances; i++ {
		role := "writer"
		if i > 0 {
			role = fmt.Sprintf("reader-%d", i)
		}
		inst, err := rds.NewClusterInstance(ctx, fmt.Sprintf("%s-db-%d", name, i), &rds.ClusterInstanceArgs{
			ClusterIdentifier: cluster.ID(), Engine: cluster.Engine, EngineVersion: cluster.EngineVersion,
			InstanceClass: pulumi.String(a.InstanceClass), AvailabilityZone: pulumi.String(a.AZs[i%len(a.AZs)]),
			DbSubnetGroupName: subnets.Name, PubliclyAccessible: pulumi.Bool(false), AutoMinorVersionUpgrade: pulumi.Bool(true),
			MonitoringInterval: pulumi.Int(60), MonitoringRoleArn: monitoring.Arn,
			PerformanceInsightsEnabled: pulumi.Bool(true), PerformanceInsightsKmsKeyId: a.KeyARN,
			PromotionTier: pulumi.Int(i), CopyTagsToSnapshot: pulumi.Bool(true),
			Tags: tags(tags2(a.Tags, "Role", role)),
		}, stateful(a.Protected, opts...)...)
		if err != nil {
			return nil, err
		}
		out.Instances = append(out.Instances, inst)
	}
	return out, nil
}

// newAppLogin is the application user's database login as RDS Proxy reads
// it: a generated password in a secret encrypted with the stack's key. The
// proxy logs in to the cluster as that user, never the tables' owner, so
// row-level security holds; clients reach the proxy with IAM only. The
// migration toolkit's bootstrap creates the user with this password.
func newAppLogin(ctx *pulumi.Context, name string, keyARN pulumi.StringOutput, tagMap map[string]string, opts ...pulumi.ResourceOption) (*secretsmanager.Secret, error) {
	password, err := random.NewRandomPassword(ctx, name+"-db-app", &random.RandomPasswordArgs{
		Length: pulumi.Int(40), Special: pulumi.Bool(true), OverrideSpecial: pulumi.String(DBPasswordSpecials),
		MinLower: pulumi.Int(4), MinUpper: pulumi.Int(4), MinNumeric: pulumi.Int(4),
	}, opts...)
	if err != nil {
		return nil, err
	}
	return newSecret(ctx, name+"-db-app", "tenancy: the application's database login (user "+AppDBUser+") for RDS Proxy", keyARN,
		pulumi.All(password.Result).ApplyT(func(v []any) map[string]any {
			return map[string]any{"username": AppDBUser, "password": v[0].(string)}
		}).(pulumi.MapOutput), tagMap, opts...)
}

// DBPasswordSpecials are the symbols a generated database password may hold:
// none that PostgreSQL connection strings, JSON or shells need quoted.
const DBPasswordSpecials = "-_.~"

// newRDSProxy is the connection pooler in front of the cluster. RDS Proxy
// rather than PgBouncer: it is managed (no fleet to patch or scale), follows
// Aurora failover, authenticates clients with IAM, and takes its logins from
// Secrets Manager, so no password lives anywhere we keep. It logs in as the
// application user (appSecret) and, for the migration role's jobs, as the
// master user.
func newRDSProxy(ctx *pulumi.Context, name string, cluster *rds.Cluster, appSecret *secretsmanager.Secret, sg *ec2.SecurityGroup, subnetIDs pulumi.StringArrayOutput,
	keyARN, account pulumi.StringOutput, region string, tagMap map[string]string, opts ...pulumi.ResourceOption) (*rds.Proxy, error) {
	secretARN := cluster.MasterUserSecrets.Index(pulumi.Int(0)).SecretArn().Elem()
	role, err := newServiceRole(ctx, name+"-proxy", "rds.amazonaws.com", account, nil, tagMap, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-proxy", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: pulumi.All(secretARN, keyARN, appSecret.Arn).ApplyT(func(v []any) string {
			return policyDocument(
				map[string]any{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": []string{v[2].(string), v[0].(string)}},
				map[string]any{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": v[1].(string),
					"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": fmt.Sprintf("secretsmanager.%s.amazonaws.com", region)}}},
			)
		}).(pulumi.StringOutput),
	}, opts...); err != nil {
		return nil, err
	}
	proxy, err := rds.NewProxy(ctx, name+"-pooler", &rds.ProxyArgs{
		EngineFamily: pulumi.String("POSTGRESQL"), RequireTls: pulumi.Bool(true), RoleArn: role.Arn,
		VpcSubnetIds: subnetIDs, VpcSecurityGroupIds: pulumi.StringArray{sg.ID()}, IdleClientTimeout: pulumi.Int(1800),
		Auths: rds.ProxyAuthArray{
			&rds.ProxyAuthArgs{AuthScheme: pulumi.String("SECRETS"), IamAuth: pulumi.String("REQUIRED"),
				SecretArn: appSecret.Arn, ClientPasswordAuthType: pulumi.String("POSTGRES_SCRAM_SHA_256"), Description: pulumi.String("the application (" + AppDBUser + ")")},
			&rds.ProxyAuthArgs{AuthScheme: pulumi.String("SECRETS"), IamAuth: pulumi.String("REQUIRED"),
				SecretArn: secretARN, ClientPasswordAuthType: pulumi.String("POSTGRES_SCRAM_SHA_256"), Description: pulumi.String("the master user (migrations)")},
		},
		Tags: tags(tagMap),
	}, opts...)
	if err != nil {
		return nil, err
	}
	pool, err := rds.NewProxyDefaultTargetGroup(ctx, name+"-pooler", &rds.ProxyDefaultTargetGroupArgs{
		DbProxyName: proxy.Name,
		ConnectionPoolConfig: &rds.ProxyDefaultTargetGroupConnectionPoolConfigArgs{
			MaxConnectionsPercent: pulumi.Int(90), MaxIdleConnectionsPercent: pulumi.Int(50), ConnectionBorrowTimeout: pulumi.Int(120)},
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := rds.NewProxyTarget(ctx, name+"-pooler", &rds.ProxyTargetArgs{
		DbProxyName: proxy.Name, TargetGroupName: pool.Name, DbClusterIdentifier: cluster.ClusterIdentifier,
	}, opts...); err != nil {
		return nil, err
	}
	return proxy, nil
}

// auroraStorageType is the cluster's storage type: aurora-iopt1 for
// I/O-Optimized, else unset (Aurora Standard, AWS's default, which a
// deployed cluster already has: setting "aurora" would show as a change).
func auroraStorageType(ioOptimized bool) pulumi.StringPtrInput {
	if ioOptimized {
		return pulumi.String("aurora-iopt1")
	}
	return nil
}
