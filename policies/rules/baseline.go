package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const (
	trail             = "aws:cloudtrail/trail:Trail"
	metricFilter      = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	metricAlarm       = "aws:cloudwatch/metricAlarm:MetricAlarm"
	webACL            = "aws:wafv2/webAcl:WebAcl"
	webACLAssociation = "aws:wafv2/webAclAssociation:WebAclAssociation"
	webACLLogging     = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
	backupVault       = "aws:backup/vault:Vault"
	backupVaultLock   = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
	backupSelection   = "aws:backup/selection:Selection"
	// accountBaseline is the component the program registers once per stack:
	// with the baseline, or empty and named "account-baseline@<owner>".
	accountBaseline = "tenancy:index:AccountBaseline"
	// backupPlanTag on a database names the AWS Backup selection that holds it.
	backupPlanTag = "tenancy:backup-plan"
)

// CISFilters are the CIS AWS Foundations metric filters (FSBP CloudWatch.1
// to CloudWatch.14) the account baseline must carry, by the name the
// program gives them; each must have an alarm that notifies someone.
var CISFilters = []string{"root-usage", "unauthorized-api-calls", "console-sign-in-without-mfa", "iam-policy-changes",
	"cloudtrail-changes", "console-auth-failures", "key-disabled-or-deleted", "s3-bucket-policy-changes", "config-changes",
	"security-group-changes", "nacl-changes", "network-gateway-changes", "route-table-changes", "vpc-changes"}

var baselineRules = []Rule{
	{ID: "cloudtrail-multi-region", Control: "CloudTrail.1/CloudTrail.2/CloudTrail.4/CloudTrail.5", Types: []string{trail},
		Description: "the trail records every region and global services, validates its log files, encrypts them with a KMS key and delivers to CloudWatch Logs",
		Fix:         "set isMultiRegionTrail, includeGlobalServiceEvents and enableLogFileValidation true, kmsKeyId, cloudWatchLogsGroupArn and cloudWatchLogsRoleArn (components.NewAccountBaseline)",
		Check: func(n graph.Node) (bool, string) {
			for _, k := range []string{"isMultiRegionTrail", "includeGlobalServiceEvents", "enableLogFileValidation"} {
				if v, set := n.Inputs[k]; set && v != true || (!set && k != "includeGlobalServiceEvents") {
					return false, fmt.Sprintf("%s is %s", k, show(n.Inputs[k]))
				}
			}
			if v, set := n.Inputs["enableLogging"]; set && v != true {
				return false, "logging is stopped (enableLogging false)"
			}
			for _, k := range []string{"kmsKeyId", "cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"} {
				if ok, why := isSet(n, k); !ok {
					return false, why
				}
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "complete", Inputs: map[string]any{"isMultiRegionTrail": true, "enableLogFileValidation": true, "kmsKeyId": "arn:k",
				"cloudWatchLogsGroupArn": "arn:g:*", "cloudWatchLogsRoleArn": "arn:r"}, Pass: true},
			{Name: "one region", Inputs: map[string]any{"isMultiRegionTrail": false, "enableLogFileValidation": true, "kmsKeyId": "arn:k",
				"cloudWatchLogsGroupArn": "arn:g:*", "cloudWatchLogsRoleArn": "arn:r"}},
			{Name: "multi-region unset", Inputs: map[string]any{"enableLogFileValidation": true, "kmsKeyId": "arn:k",
				"cloudWatchLogsGroupArn": "arn:g:*", "cloudWatchLogsRoleArn": "arn:r"}},
			{Name: "no global services", Inputs: map[string]any{"isMultiRegionTrail": true, "includeGlobalServiceEvents": false, "enableLogFileValidation": true,
				"kmsKeyId": "arn:k", "cloudWatchLogsGroupArn": "arn:g:*", "cloudWatchLogsRoleArn": "arn:r"}},
			{Name: "no validation", Inputs: map[string]any{"isMultiRegionTrail": true, "kmsKeyId": "arn:k",
				"cloudWatchLogsGroupArn": "arn:g:*", "cloudWatchLogsRoleArn": "arn:r"}},
			{Name: "stopped", Inputs: map[string]any{"isMultiRegionTrail": true, "enableLogFileValidation": true, "enableLogging": false,
				"kmsKeyId": "arn:k", "cloudWatchLogsGroupArn": "arn:g:*", "cloudWatchLogsRoleArn": "arn:r"}},
			{Name: "SSE-S3 only", Inputs: map[string]any{"isMultiRegionTrail": true, "enableLogFileValidation": true,
				"cloudWatchLogsGroupArn": "arn:g:*", "cloudWatchLogsRoleArn": "arn:r"}},
			{Name: "not in CloudWatch Logs", Inputs: map[string]any{"isMultiRegionTrail": true, "enableLogFileValidation": true, "kmsKeyId": "arn:k"}},
		}},
}

// stackRoot is the stack's own node, where a finding about something
// missing is reported.
func stackRoot(g *graph.Graph) (string, string) {
	for _, n := range g.OfType(graph.TypeStack) {
		return n.URN, n.Type
	}
	// A policy pack sees no stack resource: write its URN from any node's
	// (urn:pulumi:<stack>::<project>::...).
	for _, n := range g.Nodes {
		if parts := strings.SplitN(strings.TrimPrefix(n.URN, "urn:pulumi:"), "::", 3); len(parts) == 3 {
			return fmt.Sprintf("urn:pulumi:%s::%s::%s::%s-%s", parts[0], parts[1], graph.TypeStack, parts[1], parts[0]), graph.TypeStack
		}
	}
	return "", graph.TypeStack
}

var baselineStackRules = []StackRule{
	{ID: "account-baseline", Control: "CloudTrail.1/CloudWatch.1/CloudWatch.4/CloudWatch.14",
		Description: "the stack owns its account's baseline (a CloudTrail trail into CloudWatch Logs, each CIS metric filter with an alarm that notifies) or names the stack that does",
		Fix:         "build components.NewAccountBaseline in one stack per account, and set tenancy:accountBaselineStack to that stack in the others",
		Check: func(s *Stack) []Violation {
			g := s.Graph
			trails := g.OfType(trail)
			if len(trails) == 0 {
				root, typ := stackRoot(g)
				for _, c := range g.OfType(accountBaseline) {
					if owner, ok := strings.CutPrefix(c.Name, "account-baseline@"); ok {
						return []Violation{{URN: c.URN, Type: c.Type, Why: "no trail in this stack",
							Accepted: "the account's baseline is stack " + owner + "'s (tenancy:accountBaselineStack)"}}
					}
				}
				return []Violation{{URN: root, Type: typ, Why: "no CloudTrail trail, and no stack named as the account's baseline"}}
			}
			filters := map[string]graph.Node{}
			for _, f := range g.OfType(metricFilter) {
				filters[f.Str("name")] = f
			}
			alarmed := map[string]bool{}
			for _, a := range g.OfType(metricAlarm) {
				if acts, _ := a.List("alarmActions"); len(acts) > 0 {
					alarmed[a.Str("metricName")] = true
				}
			}
			var out []Violation
			for _, name := range CISFilters {
				f, ok := filters[name]
				switch {
				case !ok:
					out = append(out, Violation{URN: trails[0].URN, Type: trail, Why: "no CIS metric filter " + name + " on the trail's log group"})
				case !alarmed[fmt.Sprint(graph.Path(f.Inputs, "metricTransformation", "name"))]:
					out = append(out, Violation{URN: f.URN, Type: f.Type, Why: "metric filter " + name + " has no alarm with an action"})
				}
			}
			return out
		}},
	{ID: "alb-web-acl", Control: "ELB.16",
		Description: "every load balancer has a web ACL", Fix: "attach one (components.newWebACL): the managed rule groups, the tenant hosts only, a per-IP rate",
		Check: func(s *Stack) []Violation {
			// The ALB's ARN is unknown in a first preview, so the association
			// is found beside the ALB, in its component (one ALB each).
			g := s.Graph
			var out []Violation
			for _, lb := range g.OfType(loadBalancer) {
				if _, ok := g.Sibling(lb, webACLAssociation); !ok {
					out = append(out, Violation{URN: lb.URN, Type: lb.Type, Why: "no web ACL is associated with it"})
				}
			}
			return out
		}},
	{ID: "waf-logging", Control: "WAF.11",
		Description: "every web ACL logs to an encrypted log group", Fix: "add a wafv2 WebAclLoggingConfiguration to an aws-waf-logs- group with a KMS key (components.newWebACL)",
		Check: func(s *Stack) []Violation {
			g := s.Graph
			var out []Violation
			for _, acl := range g.OfType(webACL) {
				if _, ok := siblingNamed(g, acl, webACLLogging); !ok {
					out = append(out, Violation{URN: acl.URN, Type: acl.Type, Why: "the web ACL logs nothing"})
				}
			}
			return out
		}},
	{ID: "database-in-backup-plan", Control: "RDS.26",
		Description: "every database (RDS instance, primary Aurora cluster) is in an AWS Backup plan, selected by its " + backupPlanTag + " tag",
		Fix:         "tag it " + backupPlanTag + " with the value an aws:backup/selection selects (components.NewDatabaseBackups, newClusterBackup)",
		Check: func(s *Stack) []Violation {
			g := s.Graph
			selected := map[string]bool{}
			for _, sel := range g.OfType(backupSelection) {
				tags, _ := sel.List("selectionTags")
				for i := range tags {
					if graph.Path(tags, i, "key") == backupPlanTag {
						selected[fmt.Sprint(graph.Path(tags, i, "value"))] = true
					}
				}
			}
			var out []Violation
			for _, typ := range []string{rdsInstance, rdsCluster} {
				for _, db := range g.OfType(typ) {
					if db.Str("globalClusterIdentifier") != "" {
						continue // a global secondary replicates its primary, which is backed up
					}
					v, _ := graph.Path(db.Inputs, "tags", backupPlanTag).(string)
					if v == "" || !selected[v] {
						out = append(out, Violation{URN: db.URN, Type: db.Type, Why: fmt.Sprintf("no AWS Backup selection holds it (tag %s is %s)", backupPlanTag, show(graph.Path(db.Inputs, "tags", backupPlanTag)))})
					}
				}
			}
			return out
		}},
	{ID: "backup-vault-locked", Control: "data safety",
		Description: "every backup vault is under Vault Lock, in compliance mode in prod, with a minimum retention",
		Fix:         "add aws:backup/vaultLockConfiguration beside the vault with minRetentionDays, and changeableForDays in prod (components.newLockedVault)",
		Check: func(s *Stack) []Violation {
			g := s.Graph
			var out []Violation
			for _, v := range g.OfType(backupVault) {
				lock, ok := siblingNamed(g, v, backupVaultLock)
				switch {
				case !ok:
					out = append(out, Violation{URN: v.URN, Type: v.Type, Why: "no vault lock"})
				case graph.AsNum(lock.Inputs["minRetentionDays"], 0) < 1:
					out = append(out, Violation{URN: v.URN, Type: v.Type, Why: "the vault lock has no minimum retention"})
				case s.Environment == "prod" && graph.AsNum(lock.Inputs["changeableForDays"], 0) < 3:
					out = append(out, Violation{URN: v.URN, Type: v.Type, Why: "the vault lock is in governance mode (no changeableForDays): an administrator can delete recovery points"})
				}
			}
			return out
		}},
}

// siblingNamed is the node of type typ beside n (the same parent) with n's
// logical name.
func siblingNamed(g *graph.Graph, n graph.Node, typ string) (graph.Node, bool) {
	var found []graph.Node
	for _, c := range g.Children(n.Parent) {
		if c.Type == typ && c.Name == n.Name {
			found = append(found, c)
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].URN < found[j].URN })
	if len(found) == 0 {
		return graph.Node{}, false
	}
	return found[0], true
}
