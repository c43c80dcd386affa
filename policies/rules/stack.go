package rules

import (
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

// Untaggable are the types AWS gives no tags to.
var Untaggable = map[string]bool{
	"aws:ec2/route:Route": true, "aws:ec2/routeTableAssociation:RouteTableAssociation": true,
	"aws:ec2/securityGroupRule:SecurityGroupRule": true, "aws:iam/rolePolicy:RolePolicy": true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": true, "aws:kms/alias:Alias": true,
	"aws:lb/targetGroupAttachment:TargetGroupAttachment": true, "aws:route53/record:Record": true,
	"random:index/randomPassword:RandomPassword": true, "aws:cloudwatch/logStream:LogStream": true,
	"aws:secretsmanager/secretVersion:SecretVersion": true,
	"aws:wafv2/webAclAssociation:WebAclAssociation":  true, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": true,
	"aws:backup/vaultLockConfiguration:VaultLockConfiguration": true, "aws:backup/selection:Selection": true,
	"aws:s3/bucketVersioningV2:BucketVersioningV2": true, "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2": true,
	"aws:cloudwatch/logMetricFilter:LogMetricFilter": true, "aws:cloudwatch/eventTarget:EventTarget": true,
	"aws:sns/topicPolicy:TopicPolicy": true, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": true,
}

// Stateful are the types whose loss loses data.
var Stateful = map[string]bool{
	rdsCluster: true, rdsClusterInstance: true, rdsInstance: true, replicationGroup: true, kmsKey: true,
	"aws:backup/vault:Vault": true, "aws:cloudtrail/trail:Trail": false,
}

// isStateful counts the platform's log groups as stateful too.
func isStateful(n graph.Node) bool {
	return Stateful[n.Type] || (n.Type == logGroup && strings.HasPrefix(n.Str("name"), "/aws/saas/"))
}

func ids(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

var stackRules = []StackRule{
	{ID: "data-reachable-only-from-app-tier", Control: "network (FSBP EC2.19/EC2.18 intent)",
		Description: "databases and caches accept connections only from the app tier's (or its pooler's) security group",
		Fix:         "open the database and cache groups with ingress rules whose source is the app or pooler group; no CIDR ranges",
		Check: func(s *Stack) []Violation {
			g := s.Graph
			sgByID := map[string]graph.Node{}
			for _, n := range g.OfType("aws:ec2/securityGroup:SecurityGroup") {
				if n.ID != "" {
					sgByID[n.ID] = n
				}
			}
			data, app := map[string]bool{}, map[string]bool{}
			for _, n := range g.Nodes {
				switch n.Type {
				case rdsCluster, rdsInstance:
					for _, id := range ids(n.Inputs["vpcSecurityGroupIds"]) {
						data[id] = true
					}
				case replicationGroup:
					for _, id := range ids(n.Inputs["securityGroupIds"]) {
						data[id] = true
					}
				case "aws:rds/proxy:Proxy":
					for _, id := range ids(n.Inputs["vpcSecurityGroupIds"]) {
						app[id] = true
					}
				case launchTemplate:
					for _, id := range ids(n.Inputs["vpcSecurityGroupIds"]) {
						app[id] = true
					}
					nis, _ := n.List("networkInterfaces")
					for i := range nis {
						for _, id := range ids(graph.Path(nis, i, "securityGroups")) {
							app[id] = true
						}
					}
				}
			}
			var out []Violation
			for id := range data {
				if id == graph.Unknown {
					continue
				}
				if sg, ok := sgByID[id]; ok {
					if l, _ := sg.List("ingress"); len(l) > 0 {
						out = append(out, Violation{URN: sg.URN, Type: sg.Type, Why: "a database or cache group has inline ingress rules"})
					}
				}
			}
			for _, r := range g.OfType("aws:ec2/securityGroupRule:SecurityGroupRule") {
				if r.Str("type") != "ingress" || !data[r.Str("securityGroupId")] {
					continue
				}
				if l, _ := r.List("cidrBlocks"); len(l) > 0 {
					out = append(out, Violation{URN: r.URN, Type: r.Type, Why: fmt.Sprintf("a database or cache group is open to %v", l)})
					continue
				}
				if l, _ := r.List("ipv6CidrBlocks"); len(l) > 0 {
					out = append(out, Violation{URN: r.URN, Type: r.Type, Why: fmt.Sprintf("a database or cache group is open to %v", l)})
					continue
				}
				if src := r.Str("sourceSecurityGroupId"); !app[src] {
					out = append(out, Violation{URN: r.URN, Type: r.Type, Why: fmt.Sprintf("a database or cache group admits %s, which is not the app tier's or its pooler's group", show(r.Inputs["sourceSecurityGroupId"]))})
				}
			}
			return out
		}},
	{ID: "dedicated-resources-tagged", Control: "tenancy (cost allocation, isolation)",
		Description: "every resource of a dedicated tenant carries its tenant id", Fix: "tag it TenantId: <id> (components/tags.go)",
		Check: func(s *Stack) []Violation {
			var out []Violation
			for _, n := range s.Graph.Nodes {
				if !n.Cloud() || Untaggable[n.Type] {
					continue
				}
				id, _ := s.Graph.TenantOf(n)
				if id == "" {
					continue
				}
				if got := graph.Path(n.Inputs, "tags", "TenantId"); got != id {
					out = append(out, Violation{URN: n.URN, Type: n.Type, Why: fmt.Sprintf("tag TenantId is %s, not %s", show(got), id)})
				}
			}
			return out
		}},
	{ID: "vpc-flow-logs-and-closed-default-sg", Control: "EC2.6/EC2.2",
		Description: "every VPC logs all its traffic and closes its default security group", Fix: "use components.Network, which adds both",
		Check: func(s *Stack) []Violation {
			var out []Violation
			for _, vpc := range s.Graph.OfType("aws:ec2/vpc:Vpc") {
				var flow, closed bool
				for _, sib := range s.Graph.Children(vpc.Parent) {
					switch sib.Type {
					case "aws:ec2/flowLog:FlowLog":
						flow = flow || sib.Str("trafficType") == "ALL"
					case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
						in, _ := sib.List("ingress")
						eg, _ := sib.List("egress")
						closed = closed || (len(in) == 0 && len(eg) == 0)
					}
				}
				if !flow {
					out = append(out, Violation{URN: vpc.URN, Type: vpc.Type, Why: "no flow log of ALL traffic"})
				}
				if !closed {
					out = append(out, Violation{URN: vpc.URN, Type: vpc.Type, Why: "the default security group is not closed"})
				}
			}
			return out
		}},
	{ID: "aurora-multi-az", Control: "RDS.15",
		Description: "Aurora clusters have instances in 2 or more AZs", Fix: "set tenancy:dbInstances to 2 or more",
		Check: func(s *Stack) []Violation {
			var out []Violation
			for _, c := range s.Graph.OfType(rdsCluster) {
				azs := map[string]bool{}
				for _, sib := range s.Graph.Children(c.Parent) {
					if sib.Type == rdsClusterInstance {
						azs[sib.Str("availabilityZone")] = true
					}
				}
				if len(azs) < 2 {
					out = append(out, Violation{URN: c.URN, Type: c.Type, Why: fmt.Sprintf("instances in %d AZ", len(azs))})
				}
			}
			return out
		}},
	{ID: "stateful-protected-in-prod", Control: "data safety",
		Description: "in prod, databases, caches, keys, vaults and audit logs are protected and retained on delete",
		Fix:         "give them protect and retainOnDelete (components/protection.go does in prod)",
		Check: func(s *Stack) []Violation {
			if s.Environment != "prod" {
				return nil
			}
			var out []Violation
			for _, n := range s.Graph.Nodes {
				if n.Cloud() && isStateful(n) && !(n.Protect && n.RetainOnDelete) {
					v := Violation{URN: n.URN, Type: n.Type, Why: "not protected and retained on delete"}
					if migrationVerified(n) {
						v.Accepted = acceptedVerified
					}
					out = append(out, v)
				}
			}
			return out
		}},
	{ID: "no-stateful-deletion", Control: "data safety",
		Description: "a change never deletes or replaces a database, cache, key, vault or audit log",
		Fix:         "keep the resource (for a tenant leaving its dedicated stack, set migration.from: dedicated until its data is verified)",
		Check: func(s *Stack) []Violation {
			var out []Violation
			for _, n := range s.Graph.Deleted {
				if isStateful(n) {
					out = append(out, Violation{URN: n.URN, Type: n.Type, Why: "the change deletes it"})
				}
			}
			return out
		}},
	{ID: "monthly-budget", Control: "tenancy (cost)",
		Description: "the stack costs no more a month than tenancy:monthlyBudgetUsd", Fix: "raise the budget in the stack config, or shrink the change",
		Check: func(s *Stack) []Violation {
			if s.BudgetUSD <= 0 {
				return nil
			}
			var v Violation
			switch {
			case !s.CostKnown:
				v = Violation{Type: "pulumi:pulumi:Stack", Why: fmt.Sprintf("the stack could not be priced, so it cannot be held to the budget of $%.2f", s.BudgetUSD)}
			case len(s.Unpriced) > 0:
				v = Violation{Type: "pulumi:pulumi:Stack", Why: fmt.Sprintf("$%.2f a month leaves out %d components with no price (first: %s), so it cannot be held to the budget of $%.2f",
					s.MonthlyCostUSD, len(s.Unpriced), s.Unpriced[0], s.BudgetUSD)}
			case s.MonthlyCostUSD > s.BudgetUSD:
				v = Violation{Type: "pulumi:pulumi:Stack", Why: fmt.Sprintf("$%.2f a month is over the budget of $%.2f by $%.2f", s.MonthlyCostUSD, s.BudgetUSD, s.MonthlyCostUSD-s.BudgetUSD)}
			default:
				return nil
			}
			if s.WhatIf != "" {
				v.Accepted = fmt.Sprintf("a what-if evaluation as %s; the budget is set for the stack's own topology", s.WhatIf)
			}
			return []Violation{v}
		}},
}
