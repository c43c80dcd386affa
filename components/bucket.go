package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/cost"
)

// privateBucketArgs shapes a bucket that AWS services write logs into.
type privateBucketArgs struct {
	Purpose   string // cost.PurposeALBLogs or cost.PurposeConfig
	AccountID pulumi.StringOutput
	// Policy writes the bucket policy from the bucket's ARN and the account;
	// a TLS-only deny is added to it.
	Policy func(arn, account string) []map[string]any
	// ExpireDays, when set, expires objects after that many days.
	ExpireDays int
	// LockDays, when set, turns on S3 Object Lock with that default
	// retention: compliance mode where the stack is protected (no one, root
	// included, can delete a file before then), governance mode elsewhere.
	LockDays  int
	Protected bool
	Tags      map[string]string
}

// NoncurrentVersionDays is how long a log bucket keeps a file that was
// overwritten or deleted.
const NoncurrentVersionDays = 30

// newPrivateBucket builds a bucket no one outside the account can reach:
// public access blocked, owner-enforced objects, SSE-S3, TLS only, and the
// policy the writing service needs. It returns the bucket and its policy
// (writers must wait for the policy).
func newPrivateBucket(ctx *pulumi.Context, name string, a privateBucketArgs, opts ...pulumi.ResourceOption) (*s3.BucketV2, *s3.BucketPolicy, error) {
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{ObjectLockEnabled: pulumi.Bool(a.LockDays > 0),
		Tags: tags(tags2(a.Tags, cost.PurposeTagKey, a.Purpose))}, stateful(a.Protected, opts...)...)
	if err != nil {
		return nil, nil, err
	}
	// Versioned: an overwritten or deleted log file stays as a noncurrent
	// version for NoncurrentVersionDays (or its lock) before it expires.
	versioning, err := s3.NewBucketVersioningV2(ctx, name, &s3.BucketVersioningV2Args{
		Bucket: bucket.ID(), VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	if a.LockDays > 0 {
		mode := "GOVERNANCE"
		if a.Protected {
			mode = "COMPLIANCE"
		}
		if _, err := s3.NewBucketObjectLockConfigurationV2(ctx, name, &s3.BucketObjectLockConfigurationV2Args{
			Bucket: bucket.ID(), ObjectLockEnabled: pulumi.String("Enabled"),
			Rule: &s3.BucketObjectLockConfigurationV2RuleArgs{DefaultRetention: &s3.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs{
				Mode: pulumi.String(mode), Days: pulumi.Int(a.LockDays)}},
		}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{versioning}))...); err != nil {
			return nil, nil, err
		}
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, name, &s3.BucketPublicAccessBlockArgs{
		Bucket: bucket.ID(), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...); err != nil {
		return nil, nil, err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, name, &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(), Rule: &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, opts...); err != nil {
		return nil, nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256")}}},
	}, opts...); err != nil {
		return nil, nil, err
	}
	if a.ExpireDays > 0 {
		if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name, &s3.BucketLifecycleConfigurationV2Args{
			Bucket: bucket.ID(),
			Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id: pulumi.String("expire"), Status: pulumi.String("Enabled"),
				Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
				Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(a.ExpireDays)},
				NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
					NoncurrentDays: pulumi.Int(NoncurrentVersionDays)},
			}},
		}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{versioning}))...); err != nil {
			return nil, nil, err
		}
	}
	policy, err := s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: pulumi.All(bucket.Arn, a.AccountID).ApplyT(func(v []any) string {
			arn, acct := v[0].(string), v[1].(string)
			statements := a.Policy(arn, acct)
			statements = append(statements, map[string]any{"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
				"Resource":  []string{arn, arn + "/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}})
			return policyDocument(statements...)
		}).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	return bucket, policy, nil
}
