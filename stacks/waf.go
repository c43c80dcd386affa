package stacks

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

// EdgeRateLimitCapacity is the WCUs the shared web ACL (components.EdgeRules)
// needs for tenants per tier.
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
