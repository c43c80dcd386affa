package rules

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const (
	launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
	ec2Instance    = "aws:ec2/instance:Instance"
	subnet         = "aws:ec2/subnet:Subnet"
)

var ec2Rules = []Rule{
	{ID: "imdsv2-only", Control: "EC2.170/AutoScaling.3/EC2.8", Types: []string{launchTemplate, ec2Instance},
		Description: "instances require IMDSv2", Fix: "set metadataOptions.httpTokens: required",
		Check: func(n graph.Node) (bool, string) {
			if v := graph.Path(n.Inputs, "metadataOptions", "httpTokens"); v != "required" {
				return false, fmt.Sprintf("metadataOptions.httpTokens is %s", show(v))
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "IMDSv2", Inputs: map[string]any{"metadataOptions": map[string]any{"httpTokens": "required"}}, Pass: true},
			{Name: "IMDSv1 allowed", Inputs: map[string]any{"metadataOptions": map[string]any{"httpTokens": "optional"}}},
		}},
	{ID: "imds-hop-limit", Control: "AutoScaling.4", Types: []string{launchTemplate},
		Description: "the metadata response hop limit is 1", Fix: "set metadataOptions.httpPutResponseHopLimit: 1",
		Check: func(n graph.Node) (bool, string) {
			if v := graph.AsNum(graph.Path(n.Inputs, "metadataOptions", "httpPutResponseHopLimit"), 99); v > 1 {
				return false, fmt.Sprintf("the hop limit is %v", show(graph.Path(n.Inputs, "metadataOptions", "httpPutResponseHopLimit")))
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "1", Inputs: map[string]any{"metadataOptions": map[string]any{"httpPutResponseHopLimit": 1.0}}, Pass: true},
			{Name: "2", Inputs: map[string]any{"metadataOptions": map[string]any{"httpPutResponseHopLimit": 2.0}}},
		}},
	{ID: "no-public-ip", Control: "EC2.25/AutoScaling.5", Types: []string{launchTemplate, ec2Instance},
		Description: "instances get no public IP address", Fix: "set associatePublicIpAddress \"false\" on launch template interfaces, false on instances",
		Check: func(n graph.Node) (bool, string) {
			if n.Type == ec2Instance {
				if v, ok := n.Inputs["associatePublicIpAddress"]; !ok || n.Bool("associatePublicIpAddress") {
					return false, fmt.Sprintf("associatePublicIpAddress is %s", show(v))
				}
				return true, ""
			}
			nis, _ := n.List("networkInterfaces")
			for i := range nis {
				if v := graph.Path(nis, i, "associatePublicIpAddress"); v != "false" {
					return false, fmt.Sprintf("networkInterfaces[%d].associatePublicIpAddress is %s", i, show(v))
				}
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "template without", Inputs: map[string]any{"networkInterfaces": []any{map[string]any{"associatePublicIpAddress": "false"}}}, Pass: true},
			{Name: "template with", Inputs: map[string]any{"networkInterfaces": []any{map[string]any{"associatePublicIpAddress": "true"}}}},
			{Name: "instance without", Type: ec2Instance, Inputs: map[string]any{"associatePublicIpAddress": false}, Pass: true},
			{Name: "instance unset", Type: ec2Instance, Inputs: map[string]any{}},
		}},
	{ID: "ebs-encrypted", Control: "EC2.181/EC2.3/EC2.7", Types: []string{launchTemplate},
		Description: "volumes are encrypted with a customer managed key", Fix: "set blockDeviceMappings[].ebs.encrypted \"true\" and kmsKeyId",
		Check: func(n graph.Node) (bool, string) {
			bdms, _ := n.List("blockDeviceMappings")
			if len(bdms) == 0 {
				return false, "no block device mapping: the root volume takes the AMI's unencrypted default"
			}
			for i := range bdms {
				if graph.Path(bdms, i, "ebs", "encrypted") != "true" || graph.Path(bdms, i, "ebs", "kmsKeyId") == nil {
					return false, fmt.Sprintf("blockDeviceMappings[%d].ebs is not encrypted with a key", i)
				}
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "encrypted", Inputs: map[string]any{"blockDeviceMappings": []any{map[string]any{"ebs": map[string]any{"encrypted": "true", "kmsKeyId": "arn:k"}}}}, Pass: true},
			{Name: "plain", Inputs: map[string]any{"blockDeviceMappings": []any{map[string]any{"ebs": map[string]any{"encrypted": "false"}}}}},
			{Name: "none", Inputs: map[string]any{}},
		}},
	{ID: "subnet-no-auto-public-ip", Control: "EC2.15", Types: []string{subnet},
		Description: "subnets do not give instances public IPs", Fix: "set mapPublicIpOnLaunch: false",
		Check: func(n graph.Node) (bool, string) { return isFalse(n, "mapPublicIpOnLaunch") },
		Examples: []Example{
			{Name: "off", Inputs: map[string]any{"mapPublicIpOnLaunch": false}, Pass: true},
			{Name: "on", Inputs: map[string]any{"mapPublicIpOnLaunch": true}},
		}},
}
