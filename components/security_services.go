package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SecurityServicesArgs configures the account-level security services.
type SecurityServicesArgs struct {
	Region string
	Tags   map[string]string
}

// SecurityServices enables GuardDuty and Security Hub with the AWS
// Foundational Security Best Practices standard: the article's "Security &
// Compliance Tools". They are per account and region: enable them in one
// stack of each.
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
	if _, err := guardduty.NewDetector(ctx, name+"-guardduty", &guardduty.DetectorArgs{
		Enable: pulumi.Bool(true), FindingPublishingFrequency: pulumi.String("FIFTEEN_MINUTES"), Tags: tags(args.Tags),
	}, parent); err != nil {
		return nil, err
	}
	hub, err := securityhub.NewAccount(ctx, name+"-securityhub", &securityhub.AccountArgs{
		EnableDefaultStandards: pulumi.Bool(false), AutoEnableControls: pulumi.Bool(true),
	}, parent)
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
