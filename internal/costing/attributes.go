package costing

import (
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

// sizingInputs are the inputs a price depends on, whichever type has them:
// what a cost diff shows as "what changed" (old → new).
var sizingInputs = []string{
	"instanceType", "instanceClass", "nodeType", "engine", "loadBalancerType",
	"allocatedStorage", "storageType", "multiAz",
	"minSize", "desiredCapacity", "maxSize",
	"numCacheClusters", "numNodeGroups", "replicasPerNodeGroup",
	"backupRetentionPeriod", "snapshotRetentionLimit", "retentionInDays", "logGroupClass",
}

// attributes are a priced resource's sizing inputs, as text. An Auto Scaling
// group's instance type lives in its launch template: it is read there.
func (p *pricer) attributes(n graph.Node) map[string]string {
	out := map[string]string{}
	for _, k := range sizingInputs {
		if v, ok := n.Inputs[k]; ok && v != nil {
			out[k] = scalar(v)
		}
	}
	if n.Type == "aws:autoscaling/group:Group" {
		if t := p.appTierOf(n); t.instanceType != "" {
			out["instanceType"] = t.instanceType
		}
	}
	return out
}

func scalar(v any) string {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return fmt.Sprintf("%d", int64(f))
	}
	return fmt.Sprint(v)
}

// address is a resource's short name: its parent component's name and its
// own, or its own at the stack's root.
func (p *pricer) address(n graph.Node) string {
	if n.Parent == "" || strings.Contains(n.Parent, "::pulumi:pulumi:Stack::") {
		return n.Name
	}
	return n.Parent[strings.LastIndex(n.Parent, "::")+2:] + "/" + n.Name
}
