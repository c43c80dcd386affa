package components

import (
	"encoding/json"
	"fmt"
)

// policyDocument renders an IAM or KMS policy.
func policyDocument(statements ...map[string]any) string {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		panic(fmt.Sprintf("policy document: %v", err)) // only maps of strings: cannot fail
	}
	return string(b)
}

// keyPolicyArgs says who may use a customer managed key besides the account's admins.
type keyPolicyArgs struct {
	AccountID string
	Region    string
	// Services lets these AWS services use the key on the account's behalf.
	// LogGroups lets CloudWatch Logs encrypt these groups of this account
	// and region with the key (names, "*" as a wildcard): the program's own,
	// not every group in the account.
	LogGroups []string
	// EBS lets Auto Scaling's service-linked role launch volumes encrypted
	// with the key, through EC2 only.
	EBS    bool
	Alarms bool // CloudWatch alarms publishing to an encrypted SNS topic
	Events bool // EventBridge rules of this account publishing to an encrypted SNS topic
	// Trail lets this CloudTrail trail (its ARN) encrypt its log files.
	Trail string
}

// AutoScalingRoleARN is the service-linked role Auto Scaling launches with.
func AutoScalingRoleARN(account string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", account)
}

// keyPolicy is the key policy of a customer managed key: the account's IAM
// administers it; services and tenant roles get only what they need.
func keyPolicy(a keyPolicyArgs) string {
	root := fmt.Sprintf("arn:aws:iam::%s:root", a.AccountID)
	st := []map[string]any{{
		"Sid": "AccountAdministers", "Effect": "Allow",
		"Principal": map[string]any{"AWS": root}, "Action": "kms:*", "Resource": "*",
	}}
	if len(a.LogGroups) > 0 {
		arns := make([]string, len(a.LogGroups))
		for i, g := range a.LogGroups {
			arns[i] = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", a.Region, a.AccountID, g)
		}
		st = append(st, map[string]any{
			"Sid": "CloudWatchLogs", "Effect": "Allow",
			"Principal": map[string]any{"Service": fmt.Sprintf("logs.%s.amazonaws.com", a.Region)},
			"Action":    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			"Resource":  "*",
			"Condition": map[string]any{"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": arns}},
		})
	}
	if a.EBS {
		// Auto Scaling launches with its service-linked role, which the
		// account's IAM cannot grant KMS rights to. The role is named by
		// aws:PrincipalArn rather than as the principal: a key policy that
		// names a role that does not exist yet (the account's first Auto
		// Scaling group creates it) is refused. Only that role, only through
		// EC2: not every principal of the account, as aws/ebs allows.
		st = append(st, map[string]any{
			"Sid": "AutoScalingVolumesThroughEC2", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
			"Action":   []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"},
			"Resource": "*",
			"Condition": map[string]any{
				"StringEquals": map[string]any{"kms:CallerAccount": a.AccountID, "kms:ViaService": fmt.Sprintf("ec2.%s.amazonaws.com", a.Region)},
				"ArnEquals":    map[string]any{"aws:PrincipalArn": AutoScalingRoleARN(a.AccountID)},
			},
		})
	}
	if a.Alarms {
		st = append(st, map[string]any{
			"Sid": "CloudWatchAlarmsToSNS", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
		})
	}
	if a.Events {
		// No source condition: EventBridge's KMS calls for an encrypted
		// topic carry none, so one would never match (SNS Developer Guide);
		// the topic's own policy limits who publishes.
		st = append(st, map[string]any{
			"Sid": "EventBridgeToSNS", "Effect": "Allow",
			"Principal": map[string]any{"Service": "events.amazonaws.com"},
			"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
		})
	}
	if a.Trail != "" {
		source := map[string]any{"aws:SourceArn": a.Trail}
		st = append(st, map[string]any{
			"Sid": "CloudTrailEncryptsItsLogs", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action":    "kms:GenerateDataKey*", "Resource": "*",
			"Condition": map[string]any{"StringEquals": source, "StringLike": map[string]any{
				"kms:EncryptionContext:aws:cloudtrail:arn": fmt.Sprintf("arn:aws:cloudtrail:*:%s:trail/*", a.AccountID)}},
		}, map[string]any{
			"Sid": "CloudTrailDescribesTheKey", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action":    "kms:DescribeKey", "Resource": "*", "Condition": map[string]any{"StringEquals": source},
		})
	}
	return policyDocument(st...)
}

// tenantCryptoActions are the key's cryptographic operations.
var tenantCryptoActions = []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}

// keyAdministration is what the account's IAM may do with the tenant-data
// key: manage it, never use it. Not kms:CreateGrant: a grant could hand a
// session the key's use without the tenant condition.
var keyAdministration = []string{"kms:CreateAlias", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
	"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
	"kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"}

// TenantIDContextKey is the encryption context key that binds a data key to
// a tenant; TenantSessionTag is the session tag that names the tenant a
// session works for.
const (
	TenantIDContextKey = "kms:EncryptionContext:tenant_id"
	TenantSessionTag   = "tenant_id"
)

// tenantDataKeyPolicy makes the tenant-data key a tenant boundary. The
// account administers the key but cannot use it (so no IAM policy, an
// admin's or a CI role's, grants its use); only the tenant-session role may
// generate and decrypt data keys, and only for the tenant its session is
// tagged with; explicit denies refuse every cryptographic operation without
// a tenant_id context or from any other principal, and every grant (a grant
// carries no tenant condition). Whoever may call kms:PutKeyPolicy can still
// rewrite this: keep that right to the deployer (README).
func tenantDataKeyPolicy(account, sessionRoleARN string) string {
	root := fmt.Sprintf("arn:aws:iam::%s:root", account)
	return policyDocument(
		map[string]any{"Sid": "AccountAdministersOnly", "Effect": "Allow", "Principal": map[string]any{"AWS": root},
			"Action": keyAdministration, "Resource": "*"},
		map[string]any{"Sid": "TenantSessionsUseTheirTenantsDataKeys", "Effect": "Allow",
			"Principal": map[string]any{"AWS": sessionRoleARN},
			"Action":    []string{"kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"}, "Resource": "*",
			"Condition": map[string]any{"StringEquals": map[string]any{TenantIDContextKey: "${aws:PrincipalTag/" + TenantSessionTag + "}"}}},
		map[string]any{"Sid": "DenyWithoutTenantContext", "Effect": "Deny", "Principal": "*",
			"Action": tenantCryptoActions, "Resource": "*",
			"Condition": map[string]any{"Null": map[string]any{TenantIDContextKey: "true"}}},
		map[string]any{"Sid": "DenyEveryOtherPrincipal", "Effect": "Deny", "Principal": "*",
			"Action": tenantCryptoActions, "Resource": "*",
			"Condition": map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": sessionRoleARN}}},
		map[string]any{"Sid": "DenyGrants", "Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*"},
	)
}

// tenantSessionTrust lets the app role assume the tenant-session role only
// with a tenant_id session tag, and no other tag.
func tenantSessionTrust(appRoleARN string) string {
	return policyDocument(map[string]any{
		"Sid": "AppAssumesPerTenant", "Effect": "Allow", "Principal": map[string]any{"AWS": appRoleARN},
		"Action": []string{"sts:AssumeRole", "sts:TagSession"},
		"Condition": map[string]any{
			"StringLike":                map[string]any{"aws:RequestTag/" + TenantSessionTag: "?*"},
			"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []string{TenantSessionTag}},
		},
	})
}

// assumeRolePolicy lets an AWS service assume a role on this account's
// behalf only (aws:SourceAccount: the confused-deputy guard), when account
// is given. EC2 assumes instance roles for the instance, with no source to
// name: it gets none.
func assumeRolePolicy(service, account string) string {
	st := map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": service}, "Action": "sts:AssumeRole"}
	if account != "" {
		st["Condition"] = map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}}
	}
	return policyDocument(st)
}
