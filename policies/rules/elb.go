package rules

import (
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const (
	loadBalancer = "aws:lb/loadBalancer:LoadBalancer"
	listener     = "aws:lb/listener:Listener"
)

var elbRules = []Rule{
	{ID: "target-group-https", Control: "tenancy", Types: []string{"aws:lb/targetGroup:TargetGroup"},
		Description: "load balancers forward to their targets over TLS, and health-check them so",
		Fix:         "set protocol HTTPS (the app listens with TLS on components.AppPort) and healthCheck.protocol HTTPS",
		Check: func(n graph.Node) (bool, string) {
			if p := n.Str("protocol"); p != "HTTPS" {
				return false, fmt.Sprintf("forwards over %s", show(n.Inputs["protocol"]))
			}
			if p, _ := graph.Path(n.Inputs, "healthCheck", "protocol").(string); p != "HTTPS" {
				return false, fmt.Sprintf("health checks over %s", show(graph.Path(n.Inputs, "healthCheck", "protocol")))
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "TLS", Inputs: map[string]any{"protocol": "HTTPS", "healthCheck": map[string]any{"protocol": "HTTPS"}}, Pass: true},
			{Name: "plain HTTP", Inputs: map[string]any{"protocol": "HTTP", "healthCheck": map[string]any{"protocol": "HTTP"}}},
			{Name: "health checks in the clear", Inputs: map[string]any{"protocol": "HTTPS", "healthCheck": map[string]any{"protocol": "HTTP"}}},
			{Name: "unset (HTTP by default)", Inputs: map[string]any{}},
		}},
	{ID: "http-redirects-to-https", Control: "ELB.1", Types: []string{listener},
		Description: "HTTP listeners redirect to HTTPS", Fix: "make the HTTP listener's default action a redirect to HTTPS",
		Check: func(n graph.Node) (bool, string) {
			if n.Str("protocol") != "HTTP" {
				return true, ""
			}
			a := graph.Path(n.Inputs, "defaultActions", 0)
			if graph.Path(a, "type") != "redirect" || graph.Path(a, "redirect", "protocol") != "HTTPS" {
				return false, "the HTTP listener does not redirect to HTTPS"
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "redirect", Inputs: map[string]any{"protocol": "HTTP", "defaultActions": []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS"}}}}, Pass: true},
			{Name: "forward", Inputs: map[string]any{"protocol": "HTTP", "defaultActions": []any{map[string]any{"type": "forward"}}}},
		}},
	{ID: "https-tls-policy", Control: "ELB.17/ELB.18", Types: []string{listener},
		Description: "HTTPS listeners use a TLS 1.3 policy", Fix: "set sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 (or a newer TLS13 policy)",
		Check: func(n graph.Node) (bool, string) {
			switch n.Str("protocol") {
			case "HTTPS":
				if p := n.Str("sslPolicy"); !strings.HasPrefix(p, "ELBSecurityPolicy-TLS13-") {
					return false, fmt.Sprintf("sslPolicy is %s", show(n.Inputs["sslPolicy"]))
				}
				return isSet(n, "certificateArn")
			case "HTTP":
				return true, ""
			}
			return false, fmt.Sprintf("protocol is %s", show(n.Inputs["protocol"]))
		},
		Examples: []Example{
			{Name: "TLS 1.3", Inputs: map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificateArn": "arn:c"}, Pass: true},
			{Name: "old policy", Inputs: map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08", "certificateArn": "arn:c"}},
		}},
	{ID: "alb-drop-invalid-headers", Control: "ELB.4", Types: []string{loadBalancer},
		Description: "load balancers drop invalid header fields", Fix: "set dropInvalidHeaderFields: true",
		Check:    func(n graph.Node) (bool, string) { return isTrue(n, "dropInvalidHeaderFields") },
		Examples: []Example{{Name: "on", Inputs: map[string]any{"dropInvalidHeaderFields": true}, Pass: true}, {Name: "off", Inputs: map[string]any{}}}},
	{ID: "alb-deletion-protection", Control: "ELB.6", Types: []string{loadBalancer}, ProdOnly: true,
		Description: "load balancers have deletion protection", Fix: "set enableDeletionProtection: true (the program does in prod)",
		Check:    func(n graph.Node) (bool, string) { return isTrue(n, "enableDeletionProtection") },
		Examples: []Example{{Name: "on", Inputs: map[string]any{"enableDeletionProtection": true}, Pass: true}, {Name: "off", Inputs: map[string]any{}}}},
	{ID: "alb-access-logs", Control: "ELB.5", Types: []string{loadBalancer},
		Description: "load balancers write access logs", Fix: "set accessLogs {bucket, enabled: true}",
		Check: func(n graph.Node) (bool, string) {
			if graph.Path(n.Inputs, "accessLogs", "enabled") != true || graph.Path(n.Inputs, "accessLogs", "bucket") == nil {
				return false, "access logs are off"
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "on", Inputs: map[string]any{"accessLogs": map[string]any{"enabled": true, "bucket": "b"}}, Pass: true},
			{Name: "off", Inputs: map[string]any{"accessLogs": map[string]any{"enabled": false, "bucket": "b"}}},
		}},
	{ID: "alb-desync-and-azs", Control: "ELB.12/ELB.13", Types: []string{loadBalancer},
		Description: "load balancers mitigate desync attacks and span 2 or more AZs", Fix: "set desyncMitigationMode: defensive (or strictest) and 2 or more subnets",
		Check: func(n graph.Node) (bool, string) {
			if m := n.Str("desyncMitigationMode"); m != "defensive" && m != "strictest" {
				return false, fmt.Sprintf("desyncMitigationMode is %s", show(n.Inputs["desyncMitigationMode"]))
			}
			if l, ok := n.List("subnets"); !ok || len(l) < 2 {
				return false, "fewer than 2 subnets"
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "defensive in 2 AZs", Inputs: map[string]any{"desyncMitigationMode": "defensive", "subnets": []any{"a", "b"}}, Pass: true},
			{Name: "monitor", Inputs: map[string]any{"desyncMitigationMode": "monitor", "subnets": []any{"a", "b"}}},
		}},
}
