package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// BackupRetentionDays is how long AWS Backup keeps each daily recovery point,
// in the home region and in the copy region.
const BackupRetentionDays = 35

// newBackupPlan backs the shared database up daily into a vault encrypted with
// the stack's key, and copies every recovery point to a vault in copyRegion.
func newBackupPlan(ctx *pulumi.Context, name, stack, copyRegion string, clusterARN, keyARN, accountID pulumi.StringOutput,
	protected bool, tagMap map[string]string, opts ...pulumi.ResourceOption) error {
	vault, err := backup.NewVault(ctx, name+"-backup", &backup.VaultArgs{KmsKeyArn: keyARN, Tags: tags(tagMap)}, stateful(protected, opts...)...)
	if err != nil {
		return err
	}
	dr, err := aws.NewProvider(ctx, name+"-dr", &aws.ProviderArgs{Region: pulumi.String(copyRegion)}, opts...)
	if err != nil {
		return err
	}
	drOpts := append(append([]pulumi.ResourceOption{}, opts...), pulumi.Provider(dr))
	drKey, err := newKey(ctx, name+"-dr", fmt.Sprintf("tenancy-%s-dr", stack), "tenancy disaster-recovery backups (copy of "+stack+")",
		accountID.ApplyT(func(acct string) string { return keyPolicy(keyPolicyArgs{AccountID: acct, Region: copyRegion}) }).(pulumi.StringOutput),
		protected, tagMap, drOpts...)
	if err != nil {
		return err
	}
	drVault, err := backup.NewVault(ctx, name+"-dr", &backup.VaultArgs{KmsKeyArn: drKey.Arn, Tags: tags(tagMap)}, stateful(protected, drOpts...)...)
	if err != nil {
		return err
	}
	lifecycle := &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(BackupRetentionDays)}
	plan, err := backup.NewPlan(ctx, name+"-backup", &backup.PlanArgs{
		Rules: backup.PlanRuleArray{&backup.PlanRuleArgs{
			RuleName: pulumi.String("daily-with-dr-copy"), TargetVaultName: vault.Name,
			Schedule: pulumi.String("cron(0 5 * * ? *)"), StartWindow: pulumi.Int(60), CompletionWindow: pulumi.Int(360),
			Lifecycle: lifecycle,
			CopyActions: backup.PlanRuleCopyActionArray{&backup.PlanRuleCopyActionArgs{
				DestinationVaultArn: drVault.Arn,
				Lifecycle:           &backup.PlanRuleCopyActionLifecycleArgs{DeleteAfter: pulumi.Int(BackupRetentionDays)},
			}},
		}},
		Tags: tags(tagMap),
	}, opts...)
	if err != nil {
		return err
	}
	role, err := newServiceRole(ctx, name+"-backup", "backup.amazonaws.com", []string{policyBackup, policyBackupRestores}, tagMap, opts...)
	if err != nil {
		return err
	}
	_, err = backup.NewSelection(ctx, name+"-backup", &backup.SelectionArgs{
		Name: pulumi.String("shared-database"), PlanId: plan.ID(), IamRoleArn: role.Arn, Resources: pulumi.StringArray{clusterARN},
	}, opts...)
	return err
}
