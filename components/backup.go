package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/cost"
)

// Disaster-recovery strategies for the shared database (tenancy:drStrategy).
// Every strategy keeps the cluster's own continuous backups (point-in-time
// restore within the region for dbBackupRetentionDays); they differ in what
// survives the loss of the region.
const (
	DRNone           = "none"            // nothing leaves the region
	DRSnapshotCopy   = "snapshot-copy"   // AWS Backup snapshots copied to a vault in the copy region
	DRGlobalDatabase = "global-database" // an Aurora Global Database secondary cluster in the copy region
)

// disasterRecoveryArgs says how the shared cluster survives a region loss.
type disasterRecoveryArgs struct {
	Stack, Strategy, CopyRegion string
	// CopyEveryDays and CopyRetentionDays shape snapshot-copy: a snapshot
	// every 1, 7 or 30 days, each copy kept CopyRetentionDays.
	CopyEveryDays, CopyRetentionDays int
	// HomeRetentionDays is the cluster's backup retention. Home recovery
	// points are kept exactly that long: Aurora stores snapshots inside the
	// retention window for free, and bills each one outside it as a full
	// copy of the volume.
	HomeRetentionDays int
	Cluster           *rds.Cluster
	EngineVersion     string
	KeyARN            pulumi.StringOutput
	AccountID         pulumi.StringOutput
	Protected         bool
	Tags              map[string]string
}

// newDisasterRecovery builds the chosen strategy; none builds nothing.
func newDisasterRecovery(ctx *pulumi.Context, name string, a disasterRecoveryArgs, opts ...pulumi.ResourceOption) error {
	switch a.Strategy {
	case DRNone:
		return nil
	case DRSnapshotCopy:
		return newSnapshotCopy(ctx, name, a, opts...)
	case DRGlobalDatabase:
		return newGlobalSecondary(ctx, name, a, opts...)
	}
	return fmt.Errorf("disaster recovery: unknown strategy %q", a.Strategy)
}

// drProvider is the provider of the copy region, and a key there.
// logGroups are the groups there CloudWatch Logs may encrypt with the key
// (a secondary cluster exports its PostgreSQL logs once it has instances).
func drProvider(ctx *pulumi.Context, name string, a disasterRecoveryArgs, logGroups []string, opts []pulumi.ResourceOption) ([]pulumi.ResourceOption, *kms.Key, error) {
	dr, err := aws.NewProvider(ctx, name+"-dr", &aws.ProviderArgs{Region: pulumi.String(a.CopyRegion)}, opts...)
	if err != nil {
		return nil, nil, err
	}
	drOpts := append(append([]pulumi.ResourceOption{}, opts...), pulumi.Provider(dr))
	key, err := newKey(ctx, name+"-dr", fmt.Sprintf("tenancy-%s-dr", a.Stack), "tenancy disaster recovery (copy of "+a.Stack+")",
		a.AccountID.ApplyT(func(acct string) string {
			return keyPolicy(keyPolicyArgs{AccountID: acct, Region: a.CopyRegion, LogGroups: logGroups})
		}).(pulumi.StringOutput),
		a.Protected, a.Tags, drOpts...)
	if err != nil {
		return nil, nil, err
	}
	return drOpts, key, nil
}

// newSnapshotCopy backs the cluster up with AWS Backup every CopyEveryDays
// into a home vault (kept within the cluster's free window) and copies each
// recovery point to a vault in the copy region, kept CopyRetentionDays.
// Aurora snapshot copies are always full copies: each one transfers and
// stores the whole volume (docs/cost-model.md prices exactly that).
func newSnapshotCopy(ctx *pulumi.Context, name string, a disasterRecoveryArgs, opts ...pulumi.ResourceOption) error {
	schedule, err := cost.CopySchedule(a.CopyEveryDays)
	if err != nil {
		return err
	}
	if a.CopyRetentionDays < a.CopyEveryDays {
		return fmt.Errorf("copies kept %d days would be gone before the next one in %d days", a.CopyRetentionDays, a.CopyEveryDays)
	}
	vault, err := backup.NewVault(ctx, name+"-backup", &backup.VaultArgs{KmsKeyArn: a.KeyARN,
		Tags: tags(tags2(a.Tags, cost.BackupTagKey, cost.BackupTagHome))}, stateful(a.Protected, opts...)...)
	if err != nil {
		return err
	}
	drOpts, drKey, err := drProvider(ctx, name, a, nil, opts)
	if err != nil {
		return err
	}
	drVault, err := backup.NewVault(ctx, name+"-dr", &backup.VaultArgs{KmsKeyArn: drKey.Arn,
		Tags: tags(tags2(a.Tags, cost.BackupTagKey, cost.BackupTagCopy))}, stateful(a.Protected, drOpts...)...)
	if err != nil {
		return err
	}
	plan, err := backup.NewPlan(ctx, name+"-backup", &backup.PlanArgs{
		Rules: backup.PlanRuleArray{&backup.PlanRuleArgs{
			RuleName: pulumi.String(fmt.Sprintf("every-%dd-with-dr-copy", a.CopyEveryDays)), TargetVaultName: vault.Name,
			Schedule: pulumi.String(schedule), StartWindow: pulumi.Int(60), CompletionWindow: pulumi.Int(360),
			Lifecycle: &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(a.HomeRetentionDays)},
			CopyActions: backup.PlanRuleCopyActionArray{&backup.PlanRuleCopyActionArgs{
				DestinationVaultArn: drVault.Arn,
				Lifecycle:           &backup.PlanRuleCopyActionLifecycleArgs{DeleteAfter: pulumi.Int(a.CopyRetentionDays)},
			}},
		}},
		Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return err
	}
	role, err := newServiceRole(ctx, name+"-backup", "backup.amazonaws.com", a.AccountID, []string{policyBackup}, a.Tags, opts...)
	if err != nil {
		return err
	}
	_, err = backup.NewSelection(ctx, name+"-backup", &backup.SelectionArgs{
		Name: pulumi.String("shared-database"), PlanId: plan.ID(), IamRoleArn: role.Arn, Resources: pulumi.StringArray{a.Cluster.Arn},
	}, opts...)
	return err
}

// newGlobalSecondary joins the cluster to an Aurora Global Database and adds
// a headless secondary cluster (storage, no instances) in the copy region,
// in an isolated VPC of its own. Headless, because a reader there would cost
// as much as one here every hour to shorten a rare failover by the minutes it
// takes to add an instance; the secondary keeps its own continuous backups.
// A global database is not a backup (it replicates deletes too): the
// cluster's own backups still cover mistakes.
func newGlobalSecondary(ctx *pulumi.Context, name string, a disasterRecoveryArgs, opts ...pulumi.ResourceOption) error {
	global, err := rds.NewGlobalCluster(ctx, name+"-global", &rds.GlobalClusterArgs{
		GlobalClusterIdentifier:   pulumi.String(fmt.Sprintf("tenancy-%s-shared", a.Stack)),
		SourceDbClusterIdentifier: a.Cluster.Arn, ForceDestroy: pulumi.Bool(true),
		DeletionProtection: pulumi.Bool(a.Protected),
	}, stateful(a.Protected, opts...)...)
	if err != nil {
		return err
	}
	drOpts, drKey, err := drProvider(ctx, name, a, []string{DBLogGroupName("cluster", DRClusterIdentifier(a.Stack))}, opts)
	if err != nil {
		return err
	}
	vpc, err := ec2.NewVpc(ctx, name+"-dr", &ec2.VpcArgs{CidrBlock: pulumi.String("10.200.0.0/24"), EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport: pulumi.Bool(true), Tags: tags(withNameMap(a.Tags, name+"-dr"))}, drOpts...)
	if err != nil {
		return err
	}
	var subnetIDs pulumi.StringArray
	for i, cidr := range []string{"10.200.0.0/26", "10.200.0.64/26"} {
		az := fmt.Sprintf("%s%c", a.CopyRegion, 'a'+i)
		s, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-dr-isolated-%d", name, i), &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String(cidr),
			AvailabilityZone: pulumi.String(az), MapPublicIpOnLaunch: pulumi.Bool(false), Tags: tags(withNameMap(a.Tags, name+"-dr-"+az))}, drOpts...)
		if err != nil {
			return err
		}
		subnetIDs = append(subnetIDs, s.ID())
	}
	// The VPC's default security group is closed (EC2.2); the secondary needs
	// no ingress until it is promoted.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-dr-default", &ec2.DefaultSecurityGroupArgs{VpcId: vpc.ID(), Tags: tags(a.Tags)}, drOpts...); err != nil {
		return err
	}
	subnets, err := rds.NewSubnetGroup(ctx, name+"-dr-db", &rds.SubnetGroupArgs{SubnetIds: subnetIDs,
		Description: pulumi.String("tenancy disaster recovery: the global database's secondary"), Tags: tags(a.Tags)}, drOpts...)
	if err != nil {
		return err
	}
	drLogs, err := newDBLogGroup(ctx, name+"-dr-db-logs", "cluster", DRClusterIdentifier(a.Stack), drKey.Arn, a.Protected, a.Tags, drOpts...)
	if err != nil {
		return err
	}
	drParams, err := newClusterParameterGroup(ctx, name+"-dr-db", a.EngineVersion, "tenancy disaster recovery: TLS required, connections and DDL audited", a.Tags, drOpts...)
	if err != nil {
		return err
	}
	_, err = rds.NewCluster(ctx, name+"-dr-db", &rds.ClusterArgs{
		ClusterIdentifier: pulumi.String(DRClusterIdentifier(a.Stack)), DbClusterParameterGroupName: drParams.Name,
		Engine: pulumi.String("aurora-postgresql"), EngineVersion: pulumi.String(a.EngineVersion),
		GlobalClusterIdentifier: global.ID(), StorageEncrypted: pulumi.Bool(true), KmsKeyId: drKey.Arn,
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true), EnabledCloudwatchLogsExports: pulumi.StringArray{pulumi.String("postgresql")},
		BackupRetentionPeriod: pulumi.Int(a.HomeRetentionDays), CopyTagsToSnapshot: pulumi.Bool(true), DeletionProtection: pulumi.Bool(a.Protected),
		SkipFinalSnapshot: pulumi.Bool(false), FinalSnapshotIdentifier: pulumi.String(finalSnapshotName("tenancy", a.Stack, "dr-db")),
		DbSubnetGroupName: subnets.Name, Tags: tags(tags2(a.Tags, "Role", "global-secondary")),
	}, stateful(a.Protected, append(drOpts, pulumi.IgnoreChanges([]string{"replicationSourceIdentifier"}), pulumi.DependsOn([]pulumi.Resource{drLogs}))...)...)
	return err
}
