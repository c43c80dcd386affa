package components

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// wafRule is a web ACL rule in the WAF API's JSON shape (RuleJson).
type wafRule map[string]any

func visibility(metric string) map[string]any {
	return map[string]any{"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": metric}
}

func hostMatch(host string) map[string]any {
	return map[string]any{"ByteMatchStatement": map[string]any{
		"SearchString": host, "PositionalConstraint": "EXACTLY",
		"FieldToMatch":        map[string]any{"SingleHeader": map[string]any{"Name": "host"}},
		"TextTransformations": []map[string]any{{"Priority": 0, "Type": "NONE"}},
	}}
}

// CanonicalHostPattern matches the only Host headers the shared tier
// serves: a tenant id (a slug) under the domain, lower case, no port.
func CanonicalHostPattern(domain string) string {
	return `^[a-z0-9]+(-[a-z0-9]+)*\.` + regexp.QuoteMeta(domain) + `$`
}

// managedRules are AWS's common, known-bad-input and SQL injection rule groups.
func managedRules() []wafRule {
	managed := func(prio int, group string) wafRule {
		return wafRule{"Name": group, "Priority": prio, "OverrideAction": map[string]any{"None": map[string]any{}},
			"Statement":        map[string]any{"ManagedRuleGroupStatement": map[string]any{"VendorName": "AWS", "Name": group}},
			"VisibilityConfig": visibility(group)}
	}
	return []wafRule{managed(0, "AWSManagedRulesCommonRuleSet"), managed(1, "AWSManagedRulesKnownBadInputsRuleSet"),
		managed(2, "AWSManagedRulesSQLiRuleSet")}
}

// hostAndIPRules refuse any Host header that does not match pattern (so the
// exact host matches of the rate rules cannot be sidestepped with
// "ACME.app...", "acme.app...:443" or the ALB's own DNS name), and limit
// each client address to perIP requests a minute.
func hostAndIPRules(stack, owner, pattern string, perIP int) []wafRule {
	return []wafRule{
		{"Name": "canonical-host", "Priority": 3, "Action": map[string]any{"Block": map[string]any{}},
			"Statement": map[string]any{"NotStatement": map[string]any{"Statement": map[string]any{"RegexMatchStatement": map[string]any{
				"RegexString":         pattern,
				"FieldToMatch":        map[string]any{"SingleHeader": map[string]any{"Name": "host"}},
				"TextTransformations": []map[string]any{{"Priority": 0, "Type": "NONE"}},
			}}}},
			"VisibilityConfig": visibility(fmt.Sprintf("tenancy-%s-%s-canonical-host", stack, owner))},
		{"Name": "ip-rate", "Priority": 4,
			"Action":           map[string]any{"Block": map[string]any{"CustomResponse": map[string]any{"ResponseCode": 429}}},
			"Statement":        map[string]any{"RateBasedStatement": map[string]any{"Limit": perIP, "EvaluationWindowSec": 60, "AggregateKeyType": "IP"}},
			"VisibilityConfig": visibility(fmt.Sprintf("tenancy-%s-%s-ip-rate", stack, owner))},
	}
}

// EdgeRules are the shared web ACL's rules: the managed groups; a rule that
// refuses any Host header that is not a tenant's host written canonically
// (lower case, no port); a per-IP rate limit (the highest tier's: no single
// address may send more than a whole enterprise tenant); then, with
// perTenant, one rate-based rule per tier that counts each tenant host apart
// (custom key: the Host header) over one minute, scoped to that tier's
// hosts, and answers 429 above the tier's per-minute limit.
func EdgeRules(stack, domain string, tenants []SharedTenantArgs, perTenant bool) []wafRule {
	hosts := map[string][]string{}
	limit := map[string]int{}
	perIP := 0
	for _, t := range tenants {
		hosts[t.Tier] = append(hosts[t.Tier], t.Host)
		limit[t.Tier] = t.Limits.APIRatePerMinute
		perIP = max(perIP, t.Limits.APIRatePerMinute)
	}
	rules := append(managedRules(), hostAndIPRules(stack, "shared", CanonicalHostPattern(domain), perIP)...)
	if !perTenant {
		return rules
	}
	tiers := make([]string, 0, len(hosts))
	for tier := range hosts {
		tiers = append(tiers, tier)
	}
	sort.Strings(tiers)
	for i, tier := range tiers {
		var scope map[string]any
		if hs := hosts[tier]; len(hs) == 1 {
			scope = hostMatch(hs[0])
		} else {
			stmts := make([]map[string]any, len(hs))
			for j, h := range hs {
				stmts[j] = hostMatch(h)
			}
			scope = map[string]any{"OrStatement": map[string]any{"Statements": stmts}}
		}
		name := fmt.Sprintf("tenant-rate-%s", tier)
		rules = append(rules, wafRule{
			"Name": name, "Priority": 10 + i,
			"Action": map[string]any{"Block": map[string]any{"CustomResponse": map[string]any{"ResponseCode": 429}}},
			"Statement": map[string]any{"RateBasedStatement": map[string]any{
				"Limit": limit[tier], "EvaluationWindowSec": 60, "AggregateKeyType": "CUSTOM_KEYS",
				"CustomKeys": []map[string]any{{"Header": map[string]any{"Name": "host",
					"TextTransformations": []map[string]any{{"Priority": 0, "Type": "NONE"}}}}},
				"ScopeDownStatement": scope,
			}},
			"VisibilityConfig": visibility(fmt.Sprintf("tenancy-%s-%s", stack, name)),
		})
	}
	return rules
}

// DedicatedEdgeRules are a dedicated tenant's web ACL rules: the managed
// groups, its one host and nothing else, and its tier's rate per client
// address (the whole ALB serves the one tenant).
func DedicatedEdgeRules(stack, tenant, host string, ratePerMinute int) []wafRule {
	return append(managedRules(), hostAndIPRules(stack, tenant, "^"+regexp.QuoteMeta(host)+"$", ratePerMinute)...)
}

// WAFLogGroupName is the log group a web ACL logs its blocked requests to
// (AWS requires the aws-waf-logs- prefix).
func WAFLogGroupName(stack, owner string) string {
	return "aws-waf-logs-tenancy-" + stack + "-" + owner
}

// dependsOn lists r when it is set.
func dependsOn(r pulumi.Resource) []pulumi.Resource {
	if r == nil {
		return nil
	}
	return []pulumi.Resource{r}
}

// webACLArgs shapes a web ACL on one load balancer.
type webACLArgs struct {
	Stack, Owner, Description string
	Rules                     []wafRule
	ALB                       pulumi.StringOutput
	LogKeyARN                 pulumi.StringOutput
	LogRetentionDays          int
	Protected                 bool
	// RetainLogs keeps the log group in AWS when the stack is removed.
	RetainLogs bool
	// LogDelivery is the resource policy WAF delivers under (Edge).
	LogDelivery pulumi.Resource
	Tags        map[string]string
}

// newWebACL attaches a web ACL to a load balancer and logs what it blocks
// (only that: allowed requests are in the ALB's access logs) to an
// encrypted log group, with the Authorization and Cookie headers redacted.
func newWebACL(ctx *pulumi.Context, name string, a webACLArgs, opts ...pulumi.ResourceOption) error {
	rules, err := json.Marshal(a.Rules)
	if err != nil {
		return err
	}
	aclName := fmt.Sprintf("tenancy-%s-%s", a.Stack, a.Owner)
	acl, err := wafv2.NewWebAcl(ctx, name+"-edge", &wafv2.WebAclArgs{
		Name: pulumi.String(aclName), Scope: pulumi.String("REGIONAL"), Description: pulumi.String(a.Description),
		DefaultAction: &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		RuleJson:      pulumi.String(string(rules)),
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{SampledRequestsEnabled: pulumi.Bool(true),
			CloudwatchMetricsEnabled: pulumi.Bool(true), MetricName: pulumi.String(aclName)},
		Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return err
	}
	if _, err := wafv2.NewWebAclAssociation(ctx, name+"-edge", &wafv2.WebAclAssociationArgs{ResourceArn: a.ALB, WebAclArn: acl.Arn}, opts...); err != nil {
		return err
	}
	group, err := cloudwatch.NewLogGroup(ctx, name+"-waf-logs", &cloudwatch.LogGroupArgs{
		Name: pulumi.String(WAFLogGroupName(a.Stack, a.Owner)), RetentionInDays: pulumi.Int(a.LogRetentionDays), KmsKeyId: a.LogKeyARN,
		Tags: tags(a.Tags),
	}, stateful(a.Protected, append(append([]pulumi.ResourceOption{}, opts...), pulumi.RetainOnDelete(a.RetainLogs))...)...)
	if err != nil {
		return err
	}
	redact := func(h string) wafv2.WebAclLoggingConfigurationRedactedFieldArgs {
		return wafv2.WebAclLoggingConfigurationRedactedFieldArgs{SingleHeader: &wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String(h)}}
	}
	auth, cookie := redact("authorization"), redact("cookie")
	_, err = wafv2.NewWebAclLoggingConfiguration(ctx, name+"-edge", &wafv2.WebAclLoggingConfigurationArgs{
		ResourceArn: acl.Arn, LogDestinationConfigs: pulumi.StringArray{group.Arn},
		LoggingFilter: &wafv2.WebAclLoggingConfigurationLoggingFilterArgs{
			DefaultBehavior: pulumi.String("DROP"),
			Filters: wafv2.WebAclLoggingConfigurationLoggingFilterFilterArray{&wafv2.WebAclLoggingConfigurationLoggingFilterFilterArgs{
				Behavior: pulumi.String("KEEP"), Requirement: pulumi.String("MEETS_ANY"),
				Conditions: wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArray{&wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArgs{
					ActionCondition: &wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionActionConditionArgs{Action: pulumi.String("BLOCK")}}},
			}},
		},
		RedactedFields: wafv2.WebAclLoggingConfigurationRedactedFieldArray{&auth, &cookie},
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn(dependsOn(a.LogDelivery)))...)
	return err
}
