package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// replicationGroup prices a Redis group's nodes and the snapshots it keeps
// beyond the free one.
func (p *pricer) replicationGroup(n graph.Node, served []string) ([]cost.Component, error) {
	nodes, ok := n.Num("numCacheClusters")
	if groups, sharded := n.Num("numNodeGroups"); sharded && !ok {
		replicas, _ := n.Num("replicasPerNodeGroup")
		nodes = groups * (replicas + 1)
	}
	keep, _ := n.Num("snapshotRetentionLimit")
	memory := p.sum(served, func(x stacks.Workload) float64 { return x.CacheMemoryGB })
	return cost.ReplicationGroup{Region: p.region, NodeType: n.Str("nodeType"), Nodes: int64(nodes),
		SnapshotGB: memory * max(keep-1, 0)}.Components(p.cat), nil
}
