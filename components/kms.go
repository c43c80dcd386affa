package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newKey creates a customer managed key with rotation on (KMS.4), a 30-day
// deletion window (KMS.3) and an alias, protected when the stack is.
func newKey(ctx *pulumi.Context, name, alias, description string, policy pulumi.StringInput, protected bool,
	tagMap map[string]string, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String(description),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Policy:               policy,
		Tags:                 tags(tagMap),
	}, stateful(protected, opts...)...)
	if err != nil {
		return nil, err
	}
	if _, err := kms.NewAlias(ctx, name, &kms.AliasArgs{Name: pulumi.String("alias/" + alias), TargetKeyId: key.KeyId}, opts...); err != nil {
		return nil, err
	}
	return key, nil
}
