package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newServiceRole creates a role an AWS service assumes, with AWS managed
// policies attached by name.
func newServiceRole(ctx *pulumi.Context, name, service string, managed []string, tagMap map[string]string,
	opts ...pulumi.ResourceOption) (*iam.Role, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(assumeRolePolicy(service)), Tags: tags(tagMap),
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
	policySSMCore         = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
	policyCloudWatchAgent = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
	policyRDSMonitoring   = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
	policyConfig          = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
	policyBackup          = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
	policyBackupRestores  = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
)

// newInstanceProfile creates the role and profile an app server runs as.
func newInstanceProfile(ctx *pulumi.Context, name string, tagMap map[string]string, opts ...pulumi.ResourceOption) (*iam.Role, *iam.InstanceProfile, error) {
	role, err := newServiceRole(ctx, name, "ec2.amazonaws.com", []string{policySSMCore, policyCloudWatchAgent}, tagMap, opts...)
	if err != nil {
		return nil, nil, err
	}
	profile, err := iam.NewInstanceProfile(ctx, name, &iam.InstanceProfileArgs{Role: role.Name, Tags: tags(tagMap)}, opts...)
	if err != nil {
		return nil, nil, err
	}
	return role, profile, nil
}
