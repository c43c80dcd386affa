package rules

import (
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const kmsKey = "aws:kms/key:Key"

var kmsRules = []Rule{
	{ID: "kms-rotation", Control: "KMS.4", Types: []string{kmsKey},
		Description: "customer managed keys rotate", Fix: "set enableKeyRotation: true",
		Check:    func(n graph.Node) (bool, string) { return isTrue(n, "enableKeyRotation") },
		Examples: []Example{{Name: "on", Inputs: map[string]any{"enableKeyRotation": true}, Pass: true}, {Name: "off", Inputs: map[string]any{}}}},
	{ID: "kms-no-unintended-deletion", Control: "KMS.3", Types: []string{kmsKey},
		Description: "keys wait 30 days before deletion", Fix: "set deletionWindowInDays: 30",
		Check: func(n graph.Node) (bool, string) {
			if v, _ := n.Num("deletionWindowInDays"); v != 30 {
				return false, fmt.Sprintf("deletionWindowInDays is %s", show(n.Inputs["deletionWindowInDays"]))
			}
			return true, ""
		},
		Examples: []Example{{Name: "30 days", Inputs: map[string]any{"deletionWindowInDays": 30.0}, Pass: true}, {Name: "7 days", Inputs: map[string]any{"deletionWindowInDays": 7.0}}}},
	{ID: "kms-logs-grant-scoped", Control: "tenancy", Types: []string{kmsKey},
		Description: "a key lets CloudWatch Logs encrypt the program's own log groups, not every group in the account",
		Fix:         "name the groups in the kms:EncryptionContext:aws:logs:arn condition (components keyPolicyArgs.LogGroups)",
		Check: func(n graph.Node) (bool, string) {
			sts, err := statements(n.Str("policy"))
			if err != nil {
				return false, "the key policy is not a JSON policy document: " + err.Error()
			}
			for _, st := range sts {
				like, _ := st.Condition["ArnLike"].(map[string]any)
				var arns []string
				switch v := like["kms:EncryptionContext:aws:logs:arn"].(type) {
				case string:
					arns = []string{v}
				case []any:
					for _, a := range v {
						arns = append(arns, fmt.Sprint(a))
					}
				}
				for _, a := range arns {
					if strings.HasSuffix(a, ":log-group:*") {
						return false, fmt.Sprintf("statement %q lets CloudWatch Logs use the key for every log group (%s)", st.Sid, a)
					}
				}
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "named groups", Pass: true, Inputs: map[string]any{"policy": `{"Statement":[{"Sid":"CloudWatchLogs","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":"kms:Encrypt*","Resource":"*","Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":["arn:aws:logs:us-east-1:1:log-group:/aws/saas/audit","arn:aws:logs:us-east-1:1:log-group:shared-flow-logs-*"]}}}]}`}},
			{Name: "no logs grant", Pass: true, Inputs: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:*","Resource":"*"}]}`}},
			{Name: "every group", Inputs: map[string]any{"policy": `{"Statement":[{"Sid":"CloudWatchLogs","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":"kms:Encrypt*","Resource":"*","Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:1:log-group:*"}}}]}`}},
		}},
	{ID: "tenant-data-key-bound", Control: "tenancy", Types: []string{kmsKey},
		Description: "the tenant-data key is a tenant boundary: the account administers it without using it, and explicit denies refuse its use without a tenant_id context or by any principal but the tenant sessions",
		Fix:         "build its policy with components' tenantDataKeyPolicy",
		Check:       tenantDataKeyBound,
		Examples: []Example{
			{Name: "not a tenant-data key", Pass: true, Inputs: map[string]any{"description": "tenancy platform", "policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:*","Resource":"*"}]}`}},
			{Name: "bound", Pass: true, Inputs: map[string]any{"description": "tenancy tenant data keys", "policy": boundKeyPolicy}},
			{Name: "the root may use it", Inputs: map[string]any{"description": "tenancy tenant data keys", "policy": strings.Replace(boundKeyPolicy, `"kms:Describe*"`, `"kms:*"`, 1)}},
			{Name: "the root may grant its use", Inputs: map[string]any{"description": "tenancy tenant data keys", "policy": strings.Replace(boundKeyPolicy, `"kms:CreateAlias"`, `"kms:CreateGrant"`, 1)}},
			{Name: "no deny without context", Inputs: map[string]any{"description": "tenancy tenant data keys", "policy": strings.Replace(boundKeyPolicy, `"Null":{"kms:EncryptionContext:tenant_id":"true"}`, `"Null":{"kms:EncryptionContext:other":"true"}`, 1)}},
			{Name: "no deny of other principals", Inputs: map[string]any{"description": "tenancy tenant data keys", "policy": strings.Replace(boundKeyPolicy, `"ArnNotEquals"`, `"ArnEquals"`, 1)}},
			{Name: "not JSON", Inputs: map[string]any{"description": "tenancy tenant data keys", "policy": `{`}},
			{Name: "the old policy: some tenant_id present", Inputs: map[string]any{"description": "tenancy tenant data keys", "policy": `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:*","Resource":"*"},
				{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:role/app"]},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*","Condition":{"Null":{"kms:EncryptionContext:tenant_id":"false"}}}]}`}},
		}},
}

// boundKeyPolicy is the shape of a tenant-data key policy that passes.
const boundKeyPolicy = `{"Statement":[
	{"Sid":"AccountAdministersOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":["kms:CreateAlias","kms:Describe*","kms:Put*"],"Resource":"*"},
	{"Sid":"Use","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/s"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:tenant_id":"${aws:PrincipalTag/tenant_id}"}}},
	{"Sid":"DenyWithoutTenantContext","Effect":"Deny","Principal":"*","Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*"],"Resource":"*","Condition":{"Null":{"kms:EncryptionContext:tenant_id":"true"}}},
	{"Sid":"DenyEveryOtherPrincipal","Effect":"Deny","Principal":"*","Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*"],"Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::1:role/s"}}}]}`

// kmsCrypto are the actions that use a key rather than manage it.
var kmsCrypto = map[string]bool{"kms:*": true, "*": true, "kms:Encrypt": true, "kms:Decrypt": true, "kms:ReEncrypt*": true,
	"kms:GenerateDataKey": true, "kms:GenerateDataKey*": true, "kms:GenerateDataKeyWithoutPlaintext": true}

func tenantDataKeyBound(n graph.Node) (bool, string) {
	doc := n.Str("policy")
	if !strings.Contains(doc, "kms:EncryptionContext:tenant_id") && !strings.Contains(n.Str("description"), "tenant data") {
		return true, ""
	}
	sts, err := statements(doc)
	if err != nil {
		return false, "the key policy is not a JSON policy document: " + err.Error()
	}
	var denyNoContext, denyOthers bool
	for _, st := range sts {
		covers := false
		for _, a := range st.Actions {
			if kmsCrypto[a] {
				covers = true
			}
		}
		switch st.Effect {
		case "Allow":
			if !strings.Contains(fmt.Sprint(st.Principal), ":root") {
				continue
			}
			if covers {
				return false, fmt.Sprintf("statement %q lets the account's IAM use the key", st.Sid)
			}
			for _, a := range st.Actions {
				if a == "kms:CreateGrant" || a == "kms:Create*" {
					return false, fmt.Sprintf("statement %q lets the account's IAM grant the key's use (%s), past the tenant condition", st.Sid, a)
				}
			}
		case "Deny":
			if null, _ := st.Condition["Null"].(map[string]any); covers && null["kms:EncryptionContext:tenant_id"] == "true" {
				denyNoContext = true
			}
			for _, op := range []string{"ArnNotEquals", "ArnNotLike"} {
				if m, _ := st.Condition[op].(map[string]any); covers && m["aws:PrincipalArn"] != nil {
					denyOthers = true
				}
			}
		}
	}
	switch {
	case !denyNoContext:
		return false, "no explicit deny of its use without a tenant_id encryption context"
	case !denyOthers:
		return false, "no explicit deny of its use by principals other than the tenant sessions"
	}
	return true, ""
}
