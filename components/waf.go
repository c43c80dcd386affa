package components

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// WAF capacity (WCU) costs, from the AWS WAF developer guide.
const (
	wcuCommonRuleSet  = 700 // AWSManagedRulesCommonRuleSet
	wcuKnownBadInputs = 200 // AWSManagedRulesKnownBadInputsRuleSet
	wcuSQLi           = 200 // AWSManagedRulesSQLiRuleSet
	wcuRegex          = 3   // a regex match, no transformation
	wcuRateBased      = 2   // a rate-based statement
	wcuExactHostMatch = 2   // a string match, EXACTLY, on one header, no transformation
	// MaxWebACLCapacity is the most WCUs AWS lets a web ACL use.
	MaxWebACLCapacity = 5000
)

// EdgeRateLimitCapacity is the WCUs the shared web ACL needs for tenants per tier.
func EdgeRateLimitCapacity(tenantsPerTier map[string]int) int {
	// The managed groups, the canonical-host rule and the per-IP rate rule.
	wcu := wcuCommonRuleSet + wcuKnownBadInputs + wcuSQLi + wcuRegex + wcuRateBased
	for _, n := range tenantsPerTier {
		if n > 0 {
			wcu += wcuRateBased + n*wcuExactHostMatch
		}
	}
	return wcu
}

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

// EdgeRules are the shared web ACL's rules: AWS's common, known-bad-input
// and SQL injection rule groups; a rule that refuses any Host header that is
// not a tenant's host written canonically (lower case, no port), so the
// exact host matches below cannot be sidestepped with "ACME.app...",
// "acme.app...:443" or the ALB's own DNS name; a per-IP rate limit (the
// highest tier's: no single address may send more than a whole enterprise
// tenant); then one rate-based rule per tier that counts each tenant host
// apart (custom key: the Host header) over one minute, scoped to that tier's
// hosts, and answers 429 above the tier's per-minute limit.
func EdgeRules(stack, domain string, tenants []SharedTenantArgs) []wafRule {
	managed := func(prio int, group string) wafRule {
		return wafRule{"Name": group, "Priority": prio, "OverrideAction": map[string]any{"None": map[string]any{}},
			"Statement":        map[string]any{"ManagedRuleGroupStatement": map[string]any{"VendorName": "AWS", "Name": group}},
			"VisibilityConfig": visibility(group)}
	}
	rules := []wafRule{managed(0, "AWSManagedRulesCommonRuleSet"), managed(1, "AWSManagedRulesKnownBadInputsRuleSet"),
		managed(2, "AWSManagedRulesSQLiRuleSet")}
	hosts := map[string][]string{}
	limit := map[string]int{}
	perIP := 0
	for _, t := range tenants {
		hosts[t.Tier] = append(hosts[t.Tier], t.Host)
		limit[t.Tier] = t.Limits.APIRatePerMinute
		perIP = max(perIP, t.Limits.APIRatePerMinute)
	}
	rules = append(rules,
		wafRule{"Name": "canonical-host", "Priority": 3, "Action": map[string]any{"Block": map[string]any{}},
			"Statement": map[string]any{"NotStatement": map[string]any{"Statement": map[string]any{"RegexMatchStatement": map[string]any{
				"RegexString":         CanonicalHostPattern(domain),
				"FieldToMatch":        map[string]any{"SingleHeader": map[string]any{"Name": "host"}},
				"TextTransformations": []map[string]any{{"Priority": 0, "Type": "NONE"}},
			}}}},
			"VisibilityConfig": visibility(fmt.Sprintf("tenancy-%s-canonical-host", stack))},
		wafRule{"Name": "ip-rate", "Priority": 4,
			"Action":           map[string]any{"Block": map[string]any{"CustomResponse": map[string]any{"ResponseCode": 429}}},
			"Statement":        map[string]any{"RateBasedStatement": map[string]any{"Limit": perIP, "EvaluationWindowSec": 60, "AggregateKeyType": "IP"}},
			"VisibilityConfig": visibility(fmt.Sprintf("tenancy-%s-ip-rate", stack))},
	)
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

// newEdgeRateLimits attaches a web ACL with EdgeRules to the shared ALB.
func newEdgeRateLimits(ctx *pulumi.Context, name, stack, domain string, tenants []SharedTenantArgs, albARN pulumi.StringOutput,
	tagMap map[string]string, opts ...pulumi.ResourceOption) error {
	rules, err := json.Marshal(EdgeRules(stack, domain, tenants))
	if err != nil {
		return err
	}
	acl, err := wafv2.NewWebAcl(ctx, name+"-edge", &wafv2.WebAclArgs{
		Name: pulumi.String(fmt.Sprintf("tenancy-%s-shared", stack)), Scope: pulumi.String("REGIONAL"),
		Description:   pulumi.String("tenancy shared tier: AWS managed rules, canonical hosts, per-IP and per-tier tenant rate limits for *." + domain),
		DefaultAction: &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		RuleJson:      pulumi.String(string(rules)),
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{SampledRequestsEnabled: pulumi.Bool(true),
			CloudwatchMetricsEnabled: pulumi.Bool(true), MetricName: pulumi.String(fmt.Sprintf("tenancy-%s-shared", stack))},
		Tags: tags(tagMap),
	}, opts...)
	if err != nil {
		return err
	}
	_, err = wafv2.NewWebAclAssociation(ctx, name+"-edge", &wafv2.WebAclAssociationArgs{ResourceArn: albARN, WebAclArn: acl.Arn}, opts...)
	return err
}
