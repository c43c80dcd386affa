package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/cost"
)

// SecurityServicesArgs configures the account-level security services.
type SecurityServicesArgs struct {
	Region    string
	AccountID pulumi.StringOutput
	Protected bool
	Tags      map[string]string
}

// GuardDutyFeatures are the optional GuardDuty protection plans, each
// declared explicitly: a detector created without them turns on every
// optional plan but Runtime Monitoring (GuardDuty API, CreateDetector).
// RDS login monitoring is on: the databases hold every tenant's data. The
// others are off, each for its reason: no EKS or Lambda runs here; the app
// servers are immutable instances from an AMI, replaced rather than
// repaired (EBS malware scans and the runtime agent are a later choice);
// the only buckets hold logs written by AWS services (S3 data events).
var GuardDutyFeatures = []struct {
	Name, Status, Why string
}{
	{"RDS_LOGIN_EVENTS", "ENABLED", "login anomalies on the Aurora and RDS databases that hold tenant data"},
	{"S3_DATA_EVENTS", "DISABLED", "the only buckets hold logs that AWS services write"},
	{"EBS_MALWARE_PROTECTION", "DISABLED", "app servers are immutable, launched from an AMI and replaced, not repaired"},
	{"RUNTIME_MONITORING", "DISABLED", "needs an agent on the app servers; not installed yet"},
	{"EKS_AUDIT_LOGS", "DISABLED", "no EKS cluster"},
	{"LAMBDA_NETWORK_LOGS", "DISABLED", "no Lambda function"},
}

// ConfigBucketExpireDays is how long AWS Config's snapshots and history
// files are kept in its bucket.
const ConfigBucketExpireDays = 365

// SecurityServices enables GuardDuty (its features declared), AWS Config
// (every supported resource, delivered to a private bucket) and Security Hub
// with the AWS Foundational Security Best Practices standard, whose controls
// Config evaluates: the article's "Security & Compliance Tools". They are
// per account and region: enable them in one stack of each.
type SecurityServices struct {
	pulumi.ResourceState
}

// NewSecurityServices builds the account security services.
func NewSecurityServices(ctx *pulumi.Context, name string, args *SecurityServicesArgs, opts ...pulumi.ResourceOption) (*SecurityServices, error) {
	if args == nil {
		return nil, errors.New("security services: args are required")
	}
	c := &SecurityServices{}
	if err := ctx.RegisterComponentResource("tenancy:index:SecurityServices", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	detector, err := guardduty.NewDetector(ctx, name+"-guardduty", &guardduty.DetectorArgs{
		Enable: pulumi.Bool(true), FindingPublishingFrequency: pulumi.String("FIFTEEN_MINUTES"), Tags: tags(args.Tags),
	}, parent)
	if err != nil {
		return nil, err
	}
	for _, f := range GuardDutyFeatures {
		if _, err := guardduty.NewDetectorFeature(ctx, name+"-guardduty-"+f.Name, &guardduty.DetectorFeatureArgs{
			DetectorId: detector.ID(), Name: pulumi.String(f.Name), Status: pulumi.String(f.Status),
		}, parent); err != nil {
			return nil, err
		}
	}
	recorderStatus, err := newConfigRecorder(ctx, name, args, parent)
	if err != nil {
		return nil, fmt.Errorf("security services: AWS Config: %w", err)
	}
	hub, err := securityhub.NewAccount(ctx, name+"-securityhub", &securityhub.AccountArgs{
		EnableDefaultStandards: pulumi.Bool(false), AutoEnableControls: pulumi.Bool(true),
	}, parent, pulumi.DependsOn([]pulumi.Resource{recorderStatus}))
	if err != nil {
		return nil, err
	}
	if _, err := securityhub.NewStandardsSubscription(ctx, name+"-fsbp", &securityhub.StandardsSubscriptionArgs{
		StandardsArn: pulumi.String(fmt.Sprintf("arn:aws:securityhub:%s::standards/aws-foundational-security-best-practices/v/1.0.0", args.Region)),
	}, parent, pulumi.DependsOn([]pulumi.Resource{hub})); err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

// newConfigRecorder records every supported resource type, global ones
// included, and delivers to a private bucket that expires what it holds; it
// returns the started recorder (Security Hub's controls need it running).
func newConfigRecorder(ctx *pulumi.Context, name string, args *SecurityServicesArgs, opts ...pulumi.ResourceOption) (*cfg.RecorderStatus, error) {
	bucket, policy, err := newPrivateBucket(ctx, name+"-config", privateBucketArgs{
		Purpose: cost.PurposeConfig, AccountID: args.AccountID, ExpireDays: ConfigBucketExpireDays, Protected: args.Protected, Tags: args.Tags,
		Policy: func(arn, acct string) []map[string]any {
			service := map[string]any{"Service": "config.amazonaws.com"}
			source := map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": acct}}
			return []map[string]any{
				{"Sid": "ConfigChecksBucket", "Effect": "Allow", "Principal": service, "Action": []string{"s3:GetBucketAcl", "s3:ListBucket"},
					"Resource": arn, "Condition": source},
				{"Sid": "ConfigDelivers", "Effect": "Allow", "Principal": service, "Action": "s3:PutObject",
					"Resource": fmt.Sprintf("%s/AWSLogs/%s/Config/*", arn, acct), "Condition": source},
			}
		},
	}, opts...)
	if err != nil {
		return nil, err
	}
	role, err := newServiceRole(ctx, name+"-config", "config.amazonaws.com", args.AccountID, []string{policyConfig}, args.Tags, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-config", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: pulumi.All(bucket.Arn, args.AccountID).ApplyT(func(v []any) string {
			return policyDocument(map[string]any{"Effect": "Allow", "Action": "s3:PutObject",
				"Resource": fmt.Sprintf("%s/AWSLogs/%s/Config/*", v[0].(string), v[1].(string))})
		}).(pulumi.StringOutput),
	}, opts...); err != nil {
		return nil, err
	}
	recorder, err := cfg.NewRecorder(ctx, name+"-config", &cfg.RecorderArgs{
		RoleArn: role.Arn,
		RecordingGroup: &cfg.RecorderRecordingGroupArgs{
			AllSupported: pulumi.Bool(true), IncludeGlobalResourceTypes: pulumi.Bool(true),
		},
	}, opts...)
	if err != nil {
		return nil, err
	}
	channel, err := cfg.NewDeliveryChannel(ctx, name+"-config", &cfg.DeliveryChannelArgs{
		S3BucketName: bucket.Bucket,
		SnapshotDeliveryProperties: &cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs{
			DeliveryFrequency: pulumi.String("TwentyFour_Hours")},
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{recorder, policy}))...)
	if err != nil {
		return nil, err
	}
	return cfg.NewRecorderStatus(ctx, name+"-config", &cfg.RecorderStatusArgs{
		Name: recorder.Name, IsEnabled: pulumi.Bool(true),
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{channel}))...)
}
