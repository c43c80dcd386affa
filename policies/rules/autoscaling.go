package rules

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const autoScalingGroup = "aws:autoscaling/group:Group"

var autoScalingRules = []Rule{
	{ID: "asg-elb-health-checks", Control: "AutoScaling.1", Types: []string{autoScalingGroup},
		Description: "the group replaces instances the load balancer finds unhealthy", Fix: "set healthCheckType: ELB and targetGroupArns",
		Check: func(n graph.Node) (bool, string) {
			if n.Str("healthCheckType") != "ELB" {
				return false, fmt.Sprintf("healthCheckType is %s", show(n.Inputs["healthCheckType"]))
			}
			if l, _ := n.List("targetGroupArns"); len(l) == 0 {
				return false, "no target group"
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "ELB", Inputs: map[string]any{"healthCheckType": "ELB", "targetGroupArns": []any{"arn:tg"}}, Pass: true},
			{Name: "EC2", Inputs: map[string]any{"healthCheckType": "EC2", "targetGroupArns": []any{"arn:tg"}}},
		}},
	{ID: "asg-multi-az-launch-template", Control: "AutoScaling.2/AutoScaling.9", Types: []string{autoScalingGroup},
		Description: "the group spans 2 or more AZs and launches from a launch template", Fix: "give vpcZoneIdentifiers 2 or more subnets and set launchTemplate",
		Check: func(n graph.Node) (bool, string) {
			if l, ok := n.List("vpcZoneIdentifiers"); !ok || len(l) < 2 {
				return false, "fewer than 2 subnets"
			}
			return isSet(n, "launchTemplate")
		},
		Examples: []Example{
			{Name: "2 AZs", Inputs: map[string]any{"vpcZoneIdentifiers": []any{"a", "b"}, "launchTemplate": map[string]any{"id": "lt"}}, Pass: true},
			{Name: "1 AZ", Inputs: map[string]any{"vpcZoneIdentifiers": []any{"a"}, "launchTemplate": map[string]any{"id": "lt"}}},
		}},
}
