package rules

import (
	"fmt"
	"github.com/tenancy-dev/tenancy/stacks"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const logGroup = "aws:cloudwatch/logGroup:LogGroup"

// isAuditLog reports whether a log group holds tenant audit trails.
func isAuditLog(name string) bool {
	return name == stacks.AuditLogGroupName || strings.HasPrefix(name, stacks.TenantLogGroupPrefix)
}

var cloudWatchRules = []Rule{
	{ID: "log-retention-and-encryption", Control: "CloudWatch.16", Types: []string{logGroup},
		Description: "log groups are KMS-encrypted and kept: audit logs 365 days or more", Fix: "set kmsKeyId and retentionInDays (365 or more for audit logs)",
		Check: func(n graph.Node) (bool, string) {
			if ok, why := isSet(n, "kmsKeyId"); !ok {
				return false, why
			}
			days, ok := n.Num("retentionInDays")
			if !ok || days <= 0 {
				return false, "retentionInDays is not set"
			}
			if isAuditLog(n.Str("name")) && days < 365 {
				return false, fmt.Sprintf("audit log %s keeps %v days, under 365", n.Str("name"), days)
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "audit, a year", Inputs: map[string]any{"name": "/aws/saas/audit", "retentionInDays": 365.0, "kmsKeyId": "arn:k"}, Pass: true},
			{Name: "flow logs, 90 days", Inputs: map[string]any{"retentionInDays": 90.0, "kmsKeyId": "arn:k"}, Pass: true},
			{Name: "audit, 90 days", Inputs: map[string]any{"name": "/aws/saas/audit", "retentionInDays": 90.0, "kmsKeyId": "arn:k"}},
			{Name: "unencrypted", Inputs: map[string]any{"retentionInDays": 90.0}},
			{Name: "kept forever (0)", Inputs: map[string]any{"retentionInDays": 0.0, "kmsKeyId": "arn:k"}},
			{Name: "a day", Inputs: map[string]any{"retentionInDays": 1.0, "kmsKeyId": "arn:k"}, Pass: true},
			{Name: "audit, 364 days", Inputs: map[string]any{"name": "/aws/saas/audit", "retentionInDays": 364.0, "kmsKeyId": "arn:k"}},
		}},
}
