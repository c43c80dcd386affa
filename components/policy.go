package components

import (
	"encoding/json"
	"fmt"
	"sort"
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
	Logs       bool // CloudWatch Logs log groups in this account and region
	EBS        bool // EBS volumes launched by EC2 and Auto Scaling (the aws/ebs key pattern)
	Alarms     bool // CloudWatch alarms publishing to an encrypted SNS topic
	TenantData []string
	// TenantData lists the role ARNs that may generate and decrypt data keys,
	// only with a tenant_id encryption context.
}

// keyPolicy is the key policy of a customer managed key: the account's IAM
// administers it; services and tenant roles get only what they need.
func keyPolicy(a keyPolicyArgs) string {
	root := fmt.Sprintf("arn:aws:iam::%s:root", a.AccountID)
	st := []map[string]any{{
		"Sid": "AccountAdministers", "Effect": "Allow",
		"Principal": map[string]any{"AWS": root}, "Action": "kms:*", "Resource": "*",
	}}
	if a.Logs {
		st = append(st, map[string]any{
			"Sid": "CloudWatchLogs", "Effect": "Allow",
			"Principal": map[string]any{"Service": fmt.Sprintf("logs.%s.amazonaws.com", a.Region)},
			"Action":    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			"Resource":  "*",
			"Condition": map[string]any{"ArnLike": map[string]any{
				"kms:EncryptionContext:aws:logs:arn": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:*", a.Region, a.AccountID)}},
		})
	}
	if a.EBS {
		// Auto Scaling launches with its service-linked role, which the
		// account's IAM cannot grant KMS rights to: allow any principal of
		// this account, only through EC2, as the AWS managed aws/ebs key does.
		st = append(st, map[string]any{
			"Sid": "EBSThroughEC2", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
			"Action":   []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"},
			"Resource": "*",
			"Condition": map[string]any{"StringEquals": map[string]any{
				"kms:CallerAccount": a.AccountID, "kms:ViaService": fmt.Sprintf("ec2.%s.amazonaws.com", a.Region)}},
		})
	}
	if a.Alarms {
		st = append(st, map[string]any{
			"Sid": "CloudWatchAlarmsToSNS", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
		})
	}
	if len(a.TenantData) > 0 {
		roles := append([]string(nil), a.TenantData...)
		sort.Strings(roles)
		st = append(st, map[string]any{
			"Sid": "TenantDataKeysOnlyWithTenantContext", "Effect": "Allow",
			"Principal": map[string]any{"AWS": roles},
			"Action":    []string{"kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"},
			"Resource":  "*",
			"Condition": map[string]any{
				"Null":                      map[string]any{"kms:EncryptionContext:tenant_id": "false"},
				"ForAllValues:StringEquals": map[string]any{"kms:EncryptionContextKeys": []string{"tenant_id", "purpose"}},
			},
		})
	}
	return policyDocument(st...)
}

// assumeRolePolicy lets an AWS service assume a role.
func assumeRolePolicy(service string) string {
	return policyDocument(map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"Service": service}, "Action": "sts:AssumeRole",
	})
}
