package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newServiceRole creates a role an AWS service assumes for this account
// only, with AWS managed policies attached by name.
func newServiceRole(ctx *pulumi.Context, name, service string, account pulumi.StringOutput, managed []string, tagMap map[string]string,
	opts ...pulumi.ResourceOption) (*iam.Role, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		AssumeRolePolicy: account.ApplyT(func(acct string) string { return assumeRolePolicy(service, acct) }).(pulumi.StringOutput),
		Tags:             tags(tagMap),
	}, opts...)
	if err != nil {
		return nil, err
	}
	for i, arn := range managed {
		if _, err := iam.NewRolePolicyAttachment(ctx, fmt.Sprintf("%s-%d", name, i), &iam.RolePolicyAttachmentArgs{
			Role: role.Name, PolicyArn: pulumi.String(arn),
		}, opts...); err != nil {
			return nil, err
		}
	}
	return role, nil
}

// AWS managed policies the program attaches.
const (
	policyRDSMonitoring = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
	policyConfig        = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
	policyBackup        = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
)

// newInstanceProfile creates the role and profile an app server runs as. It
// attaches no AWS managed policy: AmazonSSMManagedInstanceCore and
// CloudWatchAgentServerPolicy allow ssm:GetParameter, log writes and
// PutMetricData on every resource of the account. The caller grants the
// server its own resources, with instanceBaseline for what every server
// needs.
func newInstanceProfile(ctx *pulumi.Context, name string, tagMap map[string]string, opts ...pulumi.ResourceOption) (*iam.Role, *iam.InstanceProfile, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(assumeRolePolicy("ec2.amazonaws.com", "")), Tags: tags(tagMap),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	profile, err := iam.NewInstanceProfile(ctx, name, &iam.InstanceProfileArgs{Role: role.Name, Tags: tags(tagMap)}, opts...)
	if err != nil {
		return nil, nil, err
	}
	return role, profile, nil
}

// AppDBUser is the database user the application logs in as with IAM: not
// the tables' owner, so row-level security applies to it.
const AppDBUser = "app"

// CloudWatchAgentNamespace is where the CloudWatch agent publishes the
// servers' own metrics (memory, disk).
const CloudWatchAgentNamespace = "CWAgent"

// instanceBaseline are the statements every app server needs whatever it
// serves: Session Manager (its ssmmessages and ec2messages actions have no
// resource to scope to; UpdateInstanceInformation is scoped to this
// account's instances) and the CloudWatch agent's metrics, in its own
// namespace only. Log writes are granted per group by the caller.
func instanceBaseline(region, account string) []map[string]any {
	return []map[string]any{
		{"Sid": "SessionManager", "Effect": "Allow", "Action": []string{
			"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
			"ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
			"ec2messages:GetMessages", "ec2messages:SendReply"}, "Resource": "*"},
		{"Sid": "SessionManagerInstance", "Effect": "Allow", "Action": "ssm:UpdateInstanceInformation",
			"Resource": fmt.Sprintf("arn:aws:ec2:%s:%s:instance/*", region, account)},
		{"Sid": "AgentMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
			"Condition": map[string]any{"StringEquals": map[string]any{"cloudwatch:namespace": CloudWatchAgentNamespace}}},
	}
}

// logWrites lets a server create streams in and write to one log group
// (streamPattern narrows the streams, "*" for all of them), and list the
// group's streams (DescribeLogStreams is authorised on "<group>:*", which
// would also match every stream, so it is a statement of its own).
func logWrites(sid, groupARN, streamPattern string) []map[string]any {
	return []map[string]any{
		{"Sid": sid, "Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": []string{groupARN, groupARN + ":log-stream:" + streamPattern}},
		{"Sid": sid + "List", "Effect": "Allow", "Action": "logs:DescribeLogStreams", "Resource": groupARN + ":*"},
	}
}

// dbConnect lets a role log in with IAM as user to one database, proxy or
// cluster, named by its resource id (db-..., prx-..., cluster-...).
func dbConnect(region, account, resourceID, user string) map[string]any {
	return map[string]any{"Sid": "DatabaseIAMAuth", "Effect": "Allow", "Action": "rds-db:connect",
		"Resource": fmt.Sprintf("arn:aws:rds-db:%s:%s:dbuser:%s/%s", region, account, resourceID, user)}
}
