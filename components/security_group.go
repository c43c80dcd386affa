package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newSecurityGroup creates a group with no rules: the provider removes AWS's
// default allow-all egress, so every path is a rule written below.
func newSecurityGroup(ctx *pulumi.Context, name, description string, vpcID pulumi.IDOutput, tagMap map[string]string,
	opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String(description), RevokeRulesOnDelete: pulumi.Bool(true),
		Tags: withName(tagMap, name),
	}, opts...)
}

// sgPath opens one TCP port from one group to another: an ingress rule on the
// target and the matching egress rule on the source.
func sgPath(ctx *pulumi.Context, name string, from, to *ec2.SecurityGroup, port int, opts ...pulumi.ResourceOption) error {
	if _, err := ec2.NewSecurityGroupRule(ctx, name+"-in", &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("ingress"), SecurityGroupId: to.ID(), SourceSecurityGroupId: from.ID(),
		Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		Description: pulumi.String(fmt.Sprintf("tcp/%d from %s", port, name)),
	}, opts...); err != nil {
		return err
	}
	_, err := ec2.NewSecurityGroupRule(ctx, name+"-out", &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("egress"), SecurityGroupId: from.ID(), SourceSecurityGroupId: to.ID(),
		Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		Description: pulumi.String(fmt.Sprintf("tcp/%d to %s", port, name)),
	}, opts...)
	return err
}

// sgInternet opens a TCP port between a group and the internet, in one direction.
func sgInternet(ctx *pulumi.Context, name, direction string, sg *ec2.SecurityGroup, port int, opts ...pulumi.ResourceOption) error {
	_, err := ec2.NewSecurityGroupRule(ctx, name, &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String(direction), SecurityGroupId: sg.ID(), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		Description: pulumi.String(fmt.Sprintf("tcp/%d %s internet", port, map[string]string{"ingress": "from", "egress": "to"}[direction])),
	}, opts...)
	return err
}
