package cost

import "github.com/shopspring/decimal"

// ReplicationGroup prices an aws:elasticache/replicationGroup:ReplicationGroup:
// every node's hours, and snapshot storage beyond one free backup per cluster.
type ReplicationGroup struct {
	Region     string
	NodeType   string
	Nodes      int64
	SnapshotGB float64 // snapshot storage billed (beyond the free one)
}

// Components prices the group.
func (r ReplicationGroup) Components(c *Catalog) []Component {
	nodes := c.Component(r.Region, "cache nodes ("+r.NodeType+")", "node-hours", ElastiCacheRedisKey(r.NodeType),
		HoursPerMonth.Mul(decimal.NewFromInt(r.Nodes)))
	snap := c.Component(r.Region, "snapshot storage beyond the free backup", "GB-months", Key{Service: "elasticache", Item: "backup"}, dec(r.SnapshotGB))
	snap.Line, snap.Driver = Backup, CacheMemory
	return []Component{nodes, snap}
}
