package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
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

// newDisasterRecovery builds the chosen strategy. Every strategy keeps the
// cluster in AWS Backup: daily recovery points in a locked vault, kept as
// long as the cluster's own retention (so Aurora stores them free); only
// snapshot-copy copies them out of the region.
func newDisasterRecovery(ctx *pulumi.Context, name string, a disasterRecoveryArgs, opts ...pulumi.ResourceOption) error {
	switch a.Strategy {
	case DRNone:
		return newClusterBackup(ctx, name, a, opts...)
	case DRSnapshotCopy:
		return newSnapshotCopy(ctx, name, a, opts...)
	case DRGlobalDatabase:
		if err := newClusterBackup(ctx, name, a, opts...); err != nil {
			return err
		}
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
	vault, err := newLockedVault(ctx, name+"-backup", a.KeyARN, a.HomeRetentionDays, cost.BackupTagHome, a.Protected, a.Tags, opts...)
	if err != nil {
		return err
	}
	drOpts, drKey, err := drProvider(ctx, name, a, nil, opts)
	if err != nil {
		return err
	}
	drVault, err := newLockedVault(ctx, name+"-dr", drKey.Arn, a.CopyRetentionDays, cost.BackupTagCopy, a.Protected, a.Tags, drOpts...)
	if err != nil {
		return err
	}
	rule := backupRule(fmt.Sprintf("every-%dd-with-dr-copy", a.CopyEveryDays), vault, schedule, a.HomeRetentionDays)
	rule.CopyActions = backup.PlanRuleCopyActionArray{&backup.PlanRuleCopyActionArgs{
		DestinationVaultArn: drVault.Arn,
		Lifecycle:           &backup.PlanRuleCopyActionLifecycleArgs{DeleteAfter: pulumi.Int(a.CopyRetentionDays)},
	}}
	return newTaggedBackupPlan(ctx, name+"-backup", rule, a.Tags, "shared-database", SharedBackupTagValue(a.Stack), a.AccountID, a.Tags, opts...)
}

// newClusterBackup keeps the cluster's daily recovery points in a locked
// vault of the home region for the cluster's own retention: inside Aurora's
// free window, so they cost nothing, and no one can delete them early.
func newClusterBackup(ctx *pulumi.Context, name string, a disasterRecoveryArgs, opts ...pulumi.ResourceOption) error {
	schedule, err := cost.CopySchedule(1)
	if err != nil {
		return err
	}
	vault, err := newLockedVault(ctx, name+"-backup", a.KeyARN, a.HomeRetentionDays, cost.BackupTagHome, a.Protected, a.Tags, opts...)
	if err != nil {
		return err
	}
	return newTaggedBackupPlan(ctx, name+"-backup", backupRule("daily-in-region", vault, schedule, a.HomeRetentionDays), a.Tags,
		"shared-database", SharedBackupTagValue(a.Stack), a.AccountID, a.Tags, opts...)
}

// backupRule is a plan rule into vault on schedule, each point kept keepDays.
func backupRule(name string, vault *backup.Vault, schedule string, keepDays int) *backup.PlanRuleArgs {
	return &backup.PlanRuleArgs{
		RuleName: pulumi.String(name), TargetVaultName: vault.Name,
		Schedule: pulumi.String(schedule), StartWindow: pulumi.Int(60), CompletionWindow: pulumi.Int(360),
		Lifecycle: &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(keepDays)},
	}
}

// newTaggedBackupPlan is an AWS Backup plan of one rule, its role (backups,
// not restores), and a selection of the resources tagged DatabaseBackupTag
// = tagValue.
func newTaggedBackupPlan(ctx *pulumi.Context, name string, rule *backup.PlanRuleArgs, planTags map[string]string, selection, tagValue string,
	account pulumi.StringOutput, roleTags map[string]string, opts ...pulumi.ResourceOption) error {
	plan, err := backup.NewPlan(ctx, name, &backup.PlanArgs{Rules: backup.PlanRuleArray{rule}, Tags: tags(planTags)}, opts...)
	if err != nil {
		return err
	}
	role, err := newBackupRole(ctx, name, account, roleTags, opts...)
	if err != nil {
		return err
	}
	_, err = backup.NewSelection(ctx, name, &backup.SelectionArgs{
		Name: pulumi.String(selection), PlanId: plan.ID(), IamRoleArn: role.Arn, SelectionTags: selectByTag(tagValue),
	}, opts...)
	return err
}

// newBackupRole is the role AWS Backup takes backups with (not restores:
// a restore is a deliberate act, done with the operator's own rights).
func newBackupRole(ctx *pulumi.Context, name string, account pulumi.StringOutput, tagMap map[string]string, opts ...pulumi.ResourceOption) (*iam.Role, error) {
	return newServiceRole(ctx, name, "backup.amazonaws.com", account, []string{policyBackup}, tagMap, opts...)
}

// newLockedVault is a backup vault under AWS Backup Vault Lock: no recovery
// point can be deleted, by anyone, before VaultLockMinDays (or keepDays,
// what its plan keeps, when shorter). The minimum sits below the plans'
// retention on purpose: a job kept less than the lock's minimum fails, and
// a compliance-mode lock cannot be lowered, so a later, shorter retention
// (down to 7 days) must still fit. Compliance mode where the stack is
// protected (prod: after a 3-day grace the lock itself cannot be removed,
// by root included); governance mode elsewhere, so a dev stack can still be
// torn down by a user allowed to bypass it.
func newLockedVault(ctx *pulumi.Context, name string, keyARN pulumi.StringOutput, keepDays int, holds string, protected bool,
	tagMap map[string]string, opts ...pulumi.ResourceOption) (*backup.Vault, error) {
	vault, err := backup.NewVault(ctx, name, &backup.VaultArgs{KmsKeyArn: keyARN,
		Tags: tags(tags2(tagMap, cost.BackupTagKey, holds))}, stateful(protected, opts...)...)
	if err != nil {
		return nil, err
	}
	lock := &backup.VaultLockConfigurationArgs{BackupVaultName: vault.Name, MinRetentionDays: pulumi.Int(min(keepDays, VaultLockMinDays))}
	if protected {
		lock.ChangeableForDays = pulumi.Int(VaultLockGraceDays)
	}
	if _, err := backup.NewVaultLockConfiguration(ctx, name, lock, opts...); err != nil {
		return nil, err
	}
	return vault, nil
}

// VaultLockMinDays is the most a vault lock's minimum retention is: the
// least backup retention the config accepts.
const VaultLockMinDays = 7

// VaultLockGraceDays is how long a compliance-mode vault lock can still be
// changed or removed after it is set (AWS's minimum is 3).
const VaultLockGraceDays = 3

// DatabaseBackupDays is how long the dedicated databases' AWS Backup
// recovery points are kept: five weeks, so a month-end point outlives the
// next month's first weeks, beyond the 7 days of automated backups.
const DatabaseBackupDays = 35

// DatabaseBackupTag selects a stack's dedicated databases for its AWS
// Backup plan; its value names the stack, since selections by tag reach
// every resource of the account that carries it.
const DatabaseBackupTag = cost.DatabaseBackupTag

// DatabaseBackupTagValue is the tag value of a stack's dedicated databases.
func DatabaseBackupTagValue(stack string) string { return "tenancy-" + stack + "-databases" }

// SharedBackupTagValue is the tag value of a stack's shared cluster.
func SharedBackupTagValue(stack string) string { return "tenancy-" + stack + "-shared" }

// selectByTag selects, for an AWS Backup plan, the resources tagged
// DatabaseBackupTag = value: a rule can see which plan holds a database
// from the plan alone, ARNs being unknown until the database exists.
func selectByTag(value string) backup.SelectionSelectionTagArray {
	return backup.SelectionSelectionTagArray{&backup.SelectionSelectionTagArgs{
		Type: pulumi.String("STRINGEQUALS"), Key: pulumi.String(DatabaseBackupTag), Value: pulumi.String(value)}}
}

// DatabaseBackupsArgs shapes the stack's AWS Backup plan for its dedicated databases.
type DatabaseBackupsArgs struct {
	Stack     string
	Region    string
	AccountID pulumi.StringOutput
	Protected bool
	Tags      map[string]string
}

// NewDatabaseBackups backs up, daily, every database of the stack tagged
// DatabaseBackupTag (the dedicated tenants' PostgreSQL instances) into a
// locked vault, each recovery point kept DatabaseBackupDays. RDS snapshots
// are incremental and stay encrypted with each tenant's own key.
func NewDatabaseBackups(ctx *pulumi.Context, name string, a *DatabaseBackupsArgs, opts ...pulumi.ResourceOption) error {
	schedule, err := cost.CopySchedule(1)
	if err != nil {
		return err
	}
	c := &DatabaseBackups{}
	if err := ctx.RegisterComponentResource("tenancy:index:DatabaseBackups", name, c, opts...); err != nil {
		return err
	}
	opts = []pulumi.ResourceOption{pulumi.Parent(c)}
	// The vault's own key encrypts its metadata; RDS snapshots keep their
	// database's key.
	key, err := newKey(ctx, name, fmt.Sprintf("tenancy-%s-backups", a.Stack), "tenancy AWS Backup vault of the dedicated databases",
		a.AccountID.ApplyT(func(acct string) string { return keyPolicy(keyPolicyArgs{AccountID: acct, Region: a.Region}) }).(pulumi.StringOutput),
		a.Protected, a.Tags, opts...)
	if err != nil {
		return err
	}
	vault, err := newLockedVault(ctx, name, key.Arn, DatabaseBackupDays, cost.BackupTagDatabases, a.Protected, a.Tags, opts...)
	if err != nil {
		return err
	}
	if err := newTaggedBackupPlan(ctx, name, backupRule("daily", vault, schedule, DatabaseBackupDays),
		tags2(a.Tags, cost.BackupTagKey, cost.BackupTagDatabases), "dedicated-databases", DatabaseBackupTagValue(a.Stack), a.AccountID, a.Tags, opts...); err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

// DatabaseBackups is the stack's AWS Backup plan for its dedicated databases.
type DatabaseBackups struct {
	pulumi.ResourceState
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
