package components

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/cost"
)

// AccountBaselineType is the component every stack registers once: with
// the baseline's resources when the stack owns its account's baseline, or
// empty, named BaselineRefName(owner), when another stack does.
const AccountBaselineType = "tenancy:index:AccountBaseline"

// BaselineRefName names the empty baseline component of a stack whose
// account's baseline is owned by stack owner.
func BaselineRefName(owner string) string { return "account-baseline@" + owner }

// TrailName is the stack's CloudTrail trail.
func TrailName(stack string) string { return "tenancy-" + stack }

// TrailLogGroupName is the log group the trail delivers to, which the CIS
// metric filters read.
func TrailLogGroupName(stack string) string { return "/aws/cloudtrail/" + TrailName(stack) }

// TrailBucketDays is how long the trail's files are kept, and locked: a
// year (CIS and PCI DSS 10.5.1 keep audit trails twelve months).
const TrailBucketDays = 365

// SecurityMetricNamespace is where the CIS metric filters publish.
const SecurityMetricNamespace = "tenancy/Security"

// AccountBaselineArgs configures the account baseline.
type AccountBaselineArgs struct {
	Stack     string
	Region    string
	AccountID pulumi.StringOutput
	Protected bool
	// SecurityServices adds GuardDuty, AWS Config and Security Hub, and
	// routes their findings to the security topic.
	SecurityServices bool
	AlarmEmail       string
	Tags             map[string]string
}

// AccountBaseline is what an account needs once, whatever the topology: a
// multi-region CloudTrail trail (log file validation, KMS, a locked bucket
// of its own, delivered to CloudWatch Logs), the CIS metric-filter alarms on
// it, and, with the security services, GuardDuty and Security Hub findings
// routed through EventBridge to the security topic.
type AccountBaseline struct {
	pulumi.ResourceState

	SecurityTopicARN pulumi.StringOutput `pulumi:"securityTopicArn"`
	TrailARN         pulumi.StringOutput `pulumi:"trailArn"`
}

// NewAccountBaselineRef registers the empty baseline component of a stack
// whose account's baseline is stack owner's: the policy pack reads it to
// accept the missing trail.
func NewAccountBaselineRef(ctx *pulumi.Context, owner string) error {
	c := &AccountBaseline{}
	if err := ctx.RegisterComponentResource(AccountBaselineType, BaselineRefName(owner), c); err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

// NewAccountBaseline builds the baseline.
func NewAccountBaseline(ctx *pulumi.Context, name string, args *AccountBaselineArgs, opts ...pulumi.ResourceOption) (*AccountBaseline, error) {
	if args == nil {
		return nil, errors.New("account baseline: args are required")
	}
	c := &AccountBaseline{}
	if err := ctx.RegisterComponentResource(AccountBaselineType, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	t := args.Tags
	trail, logs := TrailName(args.Stack), TrailLogGroupName(args.Stack)
	trailARN := args.AccountID.ApplyT(func(acct string) string {
		return fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", args.Region, acct, trail)
	}).(pulumi.StringOutput)

	key, err := newKey(ctx, name, fmt.Sprintf("tenancy-%s-baseline", args.Stack), "tenancy account baseline: CloudTrail, its logs, the security topic",
		args.AccountID.ApplyT(func(acct string) string {
			return keyPolicy(keyPolicyArgs{AccountID: acct, Region: args.Region, Alarms: true, Events: true, LogGroups: []string{logs},
				Trail: fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", args.Region, acct, trail)})
		}).(pulumi.StringOutput), args.Protected, t, parent)
	if err != nil {
		return nil, baselineErr("key", err)
	}
	topic, err := newSecurityTopic(ctx, name, args, key.Arn, parent)
	if err != nil {
		return nil, baselineErr("security topic", err)
	}

	tr, group, err := newTrail(ctx, name, args, key.Arn, parent)
	if err != nil {
		return nil, err
	}
	if err := newCISAlarms(ctx, name, args, group.Name, topic.Arn, parent); err != nil {
		return nil, err
	}
	if args.SecurityServices {
		if _, err := NewSecurityServices(ctx, name, &SecurityServicesArgs{Region: args.Region, AccountID: args.AccountID,
			Protected: args.Protected, Tags: t}, parent); err != nil {
			return nil, baselineErr("security services", err)
		}
		if err := newFindingRoutes(ctx, name, args, topic.Arn, parent); err != nil {
			return nil, err
		}
	}
	c.SecurityTopicARN = topic.Arn
	c.TrailARN = pulumi.All(tr.Arn, trailARN).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"securityTopicArn": c.SecurityTopicARN, "trailArn": c.TrailARN})
}

// baselineErr wraps an error at the account baseline's boundary.
func baselineErr(what string, err error) error {
	return fmt.Errorf("account baseline: %s: %w", what, err)
}

// newTrail builds the multi-region trail (CloudTrail.1/2/4/5): its
// Object-Locked bucket, its encrypted log group, and the role that writes
// to the group.
func newTrail(ctx *pulumi.Context, name string, args *AccountBaselineArgs, keyARN pulumi.StringOutput, parent pulumi.ResourceOption) (*cloudtrail.Trail, *cloudwatch.LogGroup, error) {
	t := args.Tags
	trail, logs := TrailName(args.Stack), TrailLogGroupName(args.Stack)
	bucket, policy, err := newPrivateBucket(ctx, name+"-trail", privateBucketArgs{
		Purpose: cost.PurposeCloudTrail, AccountID: args.AccountID, ExpireDays: TrailBucketDays, LockDays: TrailBucketDays,
		Protected: args.Protected, Tags: t,
		Policy: func(arn, acct string) []map[string]any {
			service := map[string]any{"Service": "cloudtrail.amazonaws.com"}
			source := map[string]any{"StringEquals": map[string]any{
				"aws:SourceArn": fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", args.Region, acct, trail)}}
			return []map[string]any{
				{"Sid": "CloudTrailChecksBucket", "Effect": "Allow", "Principal": service, "Action": "s3:GetBucketAcl", "Resource": arn, "Condition": source},
				{"Sid": "CloudTrailDelivers", "Effect": "Allow", "Principal": service, "Action": "s3:PutObject",
					"Resource": fmt.Sprintf("%s/AWSLogs/%s/*", arn, acct), "Condition": source},
			}
		},
	}, parent)
	if err != nil {
		return nil, nil, baselineErr("trail bucket", err)
	}
	group, err := cloudwatch.NewLogGroup(ctx, name+"-trail", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(logs), RetentionInDays: pulumi.Int(TrailBucketDays), KmsKeyId: keyARN, Tags: tags(t),
	}, stateful(args.Protected, parent)...)
	if err != nil {
		return nil, nil, baselineErr("trail log group", err)
	}
	role, err := newServiceRole(ctx, name+"-trail-logs", "cloudtrail.amazonaws.com", args.AccountID, nil, t, parent)
	if err != nil {
		return nil, nil, baselineErr("trail role", err)
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-trail-logs", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: group.Arn.ApplyT(func(arn string) string {
			return policyDocument(map[string]any{"Sid": "TrailWritesItsGroup", "Effect": "Allow",
				"Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": arn + ":log-stream:*"})
		}).(pulumi.StringOutput),
	}, parent); err != nil {
		return nil, nil, baselineErr("trail role policy", err)
	}
	tr, err := cloudtrail.NewTrail(ctx, name, &cloudtrail.TrailArgs{
		Name: pulumi.String(trail), S3BucketName: bucket.Bucket, KmsKeyId: keyARN,
		IsMultiRegionTrail: pulumi.Bool(true), IncludeGlobalServiceEvents: pulumi.Bool(true), EnableLogFileValidation: pulumi.Bool(true),
		EnableLogging: pulumi.Bool(true), CloudWatchLogsGroupArn: pulumi.Sprintf("%s:*", group.Arn), CloudWatchLogsRoleArn: role.Arn,
		Tags: tags(t),
	}, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
	if err != nil {
		return nil, nil, baselineErr("trail", err)
	}
	return tr, group, nil
}

// newCISAlarms builds a metric filter and an alarm to the security topic
// for each of CISMetricFilters.
func newCISAlarms(ctx *pulumi.Context, name string, args *AccountBaselineArgs, group, topicARN pulumi.StringOutput, parent pulumi.ResourceOption) error {
	t := args.Tags
	for _, f := range CISMetricFilters {
		if _, err := cloudwatch.NewLogMetricFilter(ctx, name+"-"+f.Name, &cloudwatch.LogMetricFilterArgs{
			Name: pulumi.String(f.Name), LogGroupName: group, Pattern: pulumi.String(f.Pattern),
			MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
				Name: pulumi.String(f.Name), Namespace: pulumi.String(SecurityMetricNamespace), Value: pulumi.String("1")},
		}, parent); err != nil {
			return baselineErr("metric filter "+f.Name, err)
		}
		if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+f.Name, onAnyEvent(&cloudwatch.MetricAlarmArgs{
			Name:             pulumi.Sprintf("tenancy-%s-%s", args.Stack, f.Name),
			AlarmDescription: pulumi.String(f.Control + ": " + f.What),
			Namespace:        pulumi.String(SecurityMetricNamespace), MetricName: pulumi.String(f.Name),
		}, topicARN, t), parent); err != nil {
			return baselineErr("alarm "+f.Name, err)
		}
	}
	return nil
}

// newFindingRoutes sends GuardDuty, Security Hub and Config findings to the
// security topic through EventBridge, with an alarm on each route that
// fails to deliver.
func newFindingRoutes(ctx *pulumi.Context, name string, args *AccountBaselineArgs, topicARN pulumi.StringOutput, parent pulumi.ResourceOption) error {
	t := args.Tags
	for _, r := range FindingRoutes {
		pattern, err := json.Marshal(r.Pattern)
		if err != nil {
			return err
		}
		rule, err := cloudwatch.NewEventRule(ctx, name+"-"+r.Name, &cloudwatch.EventRuleArgs{
			Name: pulumi.Sprintf("tenancy-%s-%s", args.Stack, r.Name), Description: pulumi.String(r.What),
			EventPattern: pulumi.String(string(pattern)), Tags: tags(t),
		}, parent)
		if err != nil {
			return baselineErr("finding route "+r.Name, err)
		}
		if _, err := cloudwatch.NewEventTarget(ctx, name+"-"+r.Name, &cloudwatch.EventTargetArgs{
			Rule: rule.Name, Arn: topicARN,
		}, parent); err != nil {
			return baselineErr("finding target "+r.Name, err)
		}
		// A route that cannot deliver (a key or topic policy refusing
		// EventBridge) fails silently but for this metric.
		if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+r.Name+"-failed", onAnyEvent(&cloudwatch.MetricAlarmArgs{
			Name:             pulumi.Sprintf("tenancy-%s-%s-failed", args.Stack, r.Name),
			AlarmDescription: pulumi.String("findings could not be delivered to the security topic: " + r.What),
			Namespace:        pulumi.String("AWS/Events"), MetricName: pulumi.String("FailedInvocations"),
			Dimensions: pulumi.StringMap{"RuleName": rule.Name},
		}, topicARN, t), parent); err != nil {
			return baselineErr("finding route alarm "+r.Name, err)
		}
	}
	return nil
}

// onAnyEvent completes an alarm that fires on a single event in five
// minutes (a count metric of 1 or more) and tells the security topic.
func onAnyEvent(a *cloudwatch.MetricAlarmArgs, topicARN pulumi.StringOutput, t map[string]string) *cloudwatch.MetricAlarmArgs {
	a.Statistic, a.Period, a.EvaluationPeriods = pulumi.String("Sum"), pulumi.Int(300), pulumi.Int(1)
	a.Threshold, a.ComparisonOperator = pulumi.Float64(1), pulumi.String("GreaterThanOrEqualToThreshold")
	a.TreatMissingData, a.AlarmActions, a.Tags = pulumi.String("notBreaching"), pulumi.Array{topicARN}, tags(t)
	return a
}

// newSecurityTopic is the topic the CIS alarms and the finding routes
// publish to, encrypted, with a policy that lets EventBridge rules of this
// account publish and CloudWatch alarms of this account publish.
func newSecurityTopic(ctx *pulumi.Context, name string, args *AccountBaselineArgs, keyARN pulumi.StringOutput, opts ...pulumi.ResourceOption) (*sns.Topic, error) {
	topic, err := sns.NewTopic(ctx, name+"-security", &sns.TopicArgs{
		Name: pulumi.Sprintf("tenancy-%s-security", args.Stack), KmsMasterKeyId: keyARN, Tags: tags(args.Tags),
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := sns.NewTopicPolicy(ctx, name+"-security", &sns.TopicPolicyArgs{
		Arn: topic.Arn,
		Policy: pulumi.All(topic.Arn, args.AccountID).ApplyT(func(v []any) string {
			arn, acct := v[0].(string), v[1].(string)
			return policyDocument(
				map[string]any{"Sid": "AccountAdministers", "Effect": "Allow", "Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", acct)},
					"Action": []string{"sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:DeleteTopic"}, "Resource": arn},
				map[string]any{"Sid": "FindingsAndAlarmsPublish", "Effect": "Allow",
					"Principal": map[string]any{"Service": []string{"events.amazonaws.com", "cloudwatch.amazonaws.com"}},
					"Action":    "sns:Publish", "Resource": arn,
					"Condition": map[string]any{
						"StringEquals": map[string]any{"aws:SourceAccount": acct},
						"ArnLike": map[string]any{"aws:SourceArn": []string{
							fmt.Sprintf("arn:aws:events:%s:%s:rule/tenancy-%s-*", args.Region, acct, args.Stack),
							fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:tenancy-%s-*", args.Region, acct, args.Stack)}},
					}},
			)
		}).(pulumi.StringOutput),
	}, opts...); err != nil {
		return nil, err
	}
	if args.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-security-email", &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(args.AlarmEmail),
		}, opts...); err != nil {
			return nil, err
		}
	}
	return topic, nil
}

// CISMetricFilter is one CIS AWS Foundations metric filter on the trail's
// log group, with the FSBP control that checks for it.
type CISMetricFilter struct {
	Name, Control, What, Pattern string
}

// CISMetricFilters are the CIS AWS Foundations Benchmark (v1.2/v1.4,
// section 3/4) metric filters that FSBP checks as CloudWatch.1 to
// CloudWatch.14, and one of tenancy's own: a changed key policy (the
// tenant-data key's is the tenant boundary).
var CISMetricFilters = []CISMetricFilter{
	{"root-usage", "CloudWatch.1", "the root user was used",
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`},
	{"unauthorized-api-calls", "CloudWatch.2", "API calls were refused",
		`{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`},
	{"console-sign-in-without-mfa", "CloudWatch.3", "a console sign-in without MFA",
		`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`},
	{"iam-policy-changes", "CloudWatch.4", "an IAM policy changed",
		`{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }`},
	{"cloudtrail-changes", "CloudWatch.5", "a trail changed or stopped",
		`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`},
	{"console-auth-failures", "CloudWatch.6", "console sign-ins failed",
		`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`},
	{"key-disabled-or-deleted", "CloudWatch.7", "a customer managed key was disabled or scheduled for deletion",
		`{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`},
	{"s3-bucket-policy-changes", "CloudWatch.8", "a bucket's policy, ACL, CORS, lifecycle or replication changed",
		`{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }`},
	{"config-changes", "CloudWatch.9", "AWS Config recording or delivery changed",
		`{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }`},
	{"security-group-changes", "CloudWatch.10", "a security group changed",
		`{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`},
	{"nacl-changes", "CloudWatch.11", "a network ACL changed",
		`{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`},
	{"network-gateway-changes", "CloudWatch.12", "a network gateway changed",
		`{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`},
	{"route-table-changes", "CloudWatch.13", "a route table changed",
		`{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }`},
	{"vpc-changes", "CloudWatch.14", "a VPC or its peering changed",
		`{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`},
	{"key-policy-changes", "tenancy", "a key policy changed or a grant was made (the tenant-data key's policy is the tenant boundary)",
		`{ ($.eventSource = kms.amazonaws.com) && (($.eventName = PutKeyPolicy) || ($.eventName = CreateGrant)) }`},
}

// FindingRoute is an EventBridge rule that sends findings to the security topic.
type FindingRoute struct {
	Name, What string
	Pattern    map[string]any
}

// FindingRoutes send GuardDuty findings of medium severity and up (4.0+)
// and new, active Security Hub findings labelled HIGH or CRITICAL to the
// security topic.
var FindingRoutes = []FindingRoute{
	{"guardduty-findings", "GuardDuty findings of severity 4 (medium) and up", map[string]any{
		"source": []string{"aws.guardduty"}, "detail-type": []string{"GuardDuty Finding"},
		"detail": map[string]any{"severity": []any{map[string]any{"numeric": []any{">=", 4}}}}}},
	{"securityhub-findings", "new Security Hub findings labelled HIGH or CRITICAL", map[string]any{
		"source": []string{"aws.securityhub"}, "detail-type": []string{"Security Hub Findings - Imported"},
		"detail": map[string]any{"findings": map[string]any{
			"Severity": map[string]any{"Label": []string{"HIGH", "CRITICAL"}}, "Workflow": map[string]any{"Status": []string{"NEW"}},
			"RecordState": []string{"ACTIVE"}}}}},
}
