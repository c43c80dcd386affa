package rules

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const (
	iamRole                 = "aws:iam/role:Role"
	iamRolePolicy           = "aws:iam/rolePolicy:RolePolicy"
	iamRolePolicyAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

// BroadManagedPolicies are AWS managed policies whose grants reach every
// resource of the account: attached to a role, they undo its scoped inline
// policy (AmazonSSMManagedInstanceCore allows ssm:GetParameter on *,
// CloudWatchAgentServerPolicy log writes and PutMetricData on *).
var BroadManagedPolicies = []string{
	"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
	"arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
	"arn:aws:iam::aws:policy/AdministratorAccess",
	"arn:aws:iam::aws:policy/PowerUserAccess",
	"arn:aws:iam::aws:policy/AmazonSSMFullAccess",
	"arn:aws:iam::aws:policy/CloudWatchFullAccess",
	"arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
}

// statement is one policy statement with Action, Resource and Principal
// read as lists whatever their JSON shape.
type statement struct {
	Sid, Effect string
	Actions     []string
	Resources   []string
	Condition   map[string]any
	Principal   any
}

// statements parses an IAM or KMS policy document.
func statements(doc string) ([]statement, error) {
	var raw struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, err
	}
	var list []map[string]any
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		var one map[string]any
		if err2 := json.Unmarshal(raw.Statement, &one); err2 != nil {
			return nil, err
		}
		list = []map[string]any{one}
	}
	strs := func(v any) []string {
		switch x := v.(type) {
		case string:
			return []string{x}
		case []any:
			out := make([]string, 0, len(x))
			for _, e := range x {
				out = append(out, fmt.Sprint(e))
			}
			return out
		}
		return nil
	}
	out := make([]statement, 0, len(list))
	for _, m := range list {
		cond, _ := m["Condition"].(map[string]any)
		sid, _ := m["Sid"].(string)
		effect, _ := m["Effect"].(string)
		out = append(out, statement{Sid: sid, Effect: effect, Actions: strs(m["Action"]), Resources: strs(m["Resource"]), Condition: cond, Principal: m["Principal"]})
	}
	return out, nil
}

// scopedServices are the action prefixes that must name their resources.
var scopedServices = []string{"logs:", "ssm:Get", "ssm:Put", "ssm:Delete", "rds-db:", "secretsmanager:", "s3:"}

// logGroupControl are actions no workload role needs: the program owns its
// log groups' life and retention.
var logGroupControl = []string{"logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"}

func wildcard(resource string) bool {
	return resource == "*" || strings.Contains(resource, "dbuser:*") || strings.HasSuffix(resource, ":log-group:*")
}

var iamRules = []Rule{
	{ID: "no-broad-managed-policies", Control: "tenancy", Types: []string{iamRolePolicyAttachment},
		Description: "no role carries an AWS managed policy that grants on every resource of the account",
		Fix:         "drop the attachment and grant the role its own resources in an inline policy (components/roles.go instanceBaseline)",
		Check: func(n graph.Node) (bool, string) {
			arn := n.Str("policyArn")
			for _, broad := range BroadManagedPolicies {
				if arn == broad {
					return false, "attaches " + arn
				}
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "a service role's policy", Inputs: map[string]any{"policyArn": "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"}, Pass: true},
			{Name: "SSM core", Inputs: map[string]any{"policyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}},
			{Name: "CloudWatch agent", Inputs: map[string]any{"policyArn": "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"}},
		}},
	{ID: "role-policy-scoped", Control: "tenancy", Types: []string{iamRolePolicy},
		Description: "inline policies name their resources for logs, SSM parameters, database logins, secrets and S3; PutMetricData is held to a namespace; no role controls log groups",
		Fix:         "scope the statement to the role's own ARNs (its log groups, its parameter path, its database's resource id) and add a cloudwatch:namespace condition",
		Check: func(n graph.Node) (bool, string) {
			sts, err := statements(n.Str("policy"))
			if err != nil {
				return false, "the policy is not a JSON policy document: " + err.Error()
			}
			for _, st := range sts {
				if st.Effect != "Allow" {
					continue
				}
				for _, a := range st.Actions {
					for _, banned := range logGroupControl {
						if a == banned || a == "logs:*" || a == "*" {
							return false, fmt.Sprintf("statement %q allows %s", st.Sid, a)
						}
					}
					if a == "cloudwatch:PutMetricData" {
						if ns, _ := st.Condition["StringEquals"].(map[string]any); ns == nil || ns["cloudwatch:namespace"] == nil {
							return false, fmt.Sprintf("statement %q allows PutMetricData in any namespace", st.Sid)
						}
					}
					for _, prefix := range scopedServices {
						if !strings.HasPrefix(a, prefix) {
							continue
						}
						for _, r := range st.Resources {
							if wildcard(r) {
								return false, fmt.Sprintf("statement %q allows %s on %s", st.Sid, a, r)
							}
						}
					}
				}
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "scoped", Pass: true, Inputs: map[string]any{"policy": `{"Statement":[
				{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":["arn:aws:logs:us-east-1:1:log-group:/aws/saas/app","arn:aws:logs:us-east-1:1:log-group:/aws/saas/app:log-stream:*"]},
				{"Sid":"Metrics","Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"SaaS/Tenant"}}},
				{"Sid":"DB","Effect":"Allow","Action":"rds-db:connect","Resource":"arn:aws:rds-db:us-east-1:1:dbuser:prx-abc/app"},
				{"Sid":"Session","Effect":"Allow","Action":["ssmmessages:OpenDataChannel"],"Resource":"*"}]}`}},
			{Name: "one statement, not a list", Pass: true, Inputs: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/*"}}`}},
			{Name: "SSM parameters on *", Inputs: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":["ssm:GetParameter"],"Resource":"*"}]}`}},
			{Name: "logs on every group", Inputs: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:us-east-1:1:log-group:*"}]}`}},
			{Name: "any database as app", Inputs: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"arn:aws:rds-db:us-east-1:1:dbuser:*/app"}]}`}},
			{Name: "metrics in any namespace", Inputs: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*"}]}`}},
			{Name: "sets log retention", Inputs: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":"logs:PutRetentionPolicy","Resource":"arn:aws:logs:us-east-1:1:log-group:/aws/saas/audit"}]}`}},
			{Name: "creates log groups", Inputs: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup"],"Resource":"arn:aws:logs:us-east-1:1:log-group:/x"}]}`}},
			{Name: "not JSON", Inputs: map[string]any{"policy": `{`}},
		}},
	{ID: "service-trust-source-condition", Control: "tenancy", Types: []string{iamRole},
		Description: "a role an AWS service assumes may be assumed only on this account's behalf (aws:SourceAccount or aws:SourceArn: the confused-deputy guard)",
		Fix:         "add Condition StringEquals aws:SourceAccount = the account to the trust statement (components' assumeRolePolicy)",
		Check: func(n graph.Node) (bool, string) {
			sts, err := statements(n.Str("assumeRolePolicy"))
			if err != nil {
				return false, "the trust policy is not a JSON policy document: " + err.Error()
			}
			for _, st := range sts {
				principal, _ := st.Principal.(map[string]any)
				service := fmt.Sprint(principal["Service"])
				if st.Effect != "Allow" || principal["Service"] == nil || service == "ec2.amazonaws.com" {
					continue // EC2 assumes instance roles for the instance: no source to name
				}
				guarded := false
				for _, op := range st.Condition {
					if m, ok := op.(map[string]any); ok && (m["aws:SourceAccount"] != nil || m["aws:SourceArn"] != nil) {
						guarded = true
					}
				}
				if !guarded {
					return false, fmt.Sprintf("%s may assume it for any account", service)
				}
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "guarded", Pass: true, Inputs: map[string]any{"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}]}`}},
			{Name: "an instance role", Pass: true, Inputs: map[string]any{"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}},
			{Name: "a role of a role", Pass: true, Inputs: map[string]any{"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/app"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`}},
			{Name: "unguarded", Inputs: map[string]any{"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}},
			{Name: "not JSON", Inputs: map[string]any{"assumeRolePolicy": `{`}},
			{Name: "a condition on something else", Inputs: map[string]any{"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"rds.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`}},
		}},
}
