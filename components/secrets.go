package components

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newSecret keeps a credential the application or a service reads: a
// Secrets Manager secret encrypted with keyARN, holding value as JSON, kept
// 30 days after deletion. Readers need secretsmanager:GetSecretValue on it
// and kms:Decrypt on the key through Secrets Manager (secretRead).
func newSecret(ctx *pulumi.Context, name, description string, keyARN pulumi.StringOutput, value pulumi.MapOutput,
	tagMap map[string]string, opts ...pulumi.ResourceOption) (*secretsmanager.Secret, error) {
	secret, err := secretsmanager.NewSecret(ctx, name, &secretsmanager.SecretArgs{
		Description: pulumi.String(description), KmsKeyId: keyARN, RecoveryWindowInDays: pulumi.Int(30), Tags: tags(tagMap),
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := secretsmanager.NewSecretVersion(ctx, name, &secretsmanager.SecretVersionArgs{
		SecretId: secret.ID(),
		SecretString: pulumi.ToSecret(value.ApplyT(func(m map[string]any) (string, error) {
			b, err := json.Marshal(m)
			return string(b), err
		})).(pulumi.StringOutput),
	}, opts...); err != nil {
		return nil, err
	}
	return secret, nil
}

// secretRead lets a role read one secret encrypted with keyARN.
func secretRead(sid, secretARN, keyARN, region string) []map[string]any {
	return []map[string]any{
		{"Sid": sid, "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secretARN},
		{"Sid": sid + "Key", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": keyARN,
			"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + region + ".amazonaws.com"}}},
	}
}
