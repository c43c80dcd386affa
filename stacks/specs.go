package stacks

import (
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/cost"
)

// The hardware each offered shape brings, for the capacity model. Prices
// live in the catalog (cost/prices); these are the specifications AWS
// publishes for the same shapes, and a test holds the two together: every
// shape the validator accepts has a specification here.

// Spec is what one instance, database instance or cache node holds.
type Spec struct {
	VCPU      float64 // virtual CPUs
	MemoryGiB float64 // memory; for a cache node, the node's memory before Redis's reserve
}

// vcpuBySize is the vCPU count of an EC2 (and RDS, which runs on the same
// hardware) size: AWS "Amazon EC2 instance types" specifications, identical
// for the t3/t3a/t4g, m5/m6i/m6g/m7g, c6i/c6g and r5/r6i/r6g/r7g families
// this catalog offers.
var vcpuBySize = map[string]float64{"micro": 2, "small": 2, "medium": 2, "large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32}

// burstableMemoryGiB is the memory of a t-family size; the other families
// have a fixed memory per vCPU (gibPerVCPU).
var burstableMemoryGiB = map[string]float64{"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}

// gibPerVCPU is memory per vCPU by family letter: general purpose (m) 4 GiB,
// compute (c) 2 GiB, memory (r) 8 GiB (AWS EC2 and RDS instance class
// specifications).
var gibPerVCPU = map[byte]float64{'m': 4, 'c': 2, 'r': 8}

// cacheNodeGiB is each ElastiCache node type's memory, from AWS "Supported
// node types" (ElastiCache user guide) and the ElastiCache pricing page.
var cacheNodeGiB = map[string]float64{
	"cache.t3.micro": 0.5, "cache.t3.small": 1.37, "cache.t3.medium": 3.09,
	"cache.t4g.micro": 0.5, "cache.t4g.small": 1.37, "cache.t4g.medium": 3.09,
	"cache.m6g.large": 6.38, "cache.m6g.xlarge": 12.93, "cache.m6g.2xlarge": 26.04, "cache.m6g.4xlarge": 52.26,
	"cache.r6g.large": 13.07, "cache.r6g.xlarge": 26.32, "cache.r6g.2xlarge": 52.82, "cache.r6g.4xlarge": 105.81,
}

// AWS limits the capacity model holds demand to (each from AWS's service
// quotas and user guides).
const (
	// MaxConnectionsDivisor: PostgreSQL's default max_connections on RDS and
	// Aurora is LEAST(DBInstanceClassMemory/9531392, 5000).
	maxConnectionsDivisor = 9531392
	maxConnectionsCap     = 5000
	// AuroraMaxStorageGB: an Aurora PostgreSQL cluster volume grows to 128 TiB.
	auroraMaxStorageGB = 128 * 1024 * 1.073741824
	// RedisMaxClients: ElastiCache's maxclients, not modifiable.
	redisMaxClients = 65000
	// NATMaxGbps: a NAT gateway scales to 100 Gbps.
	natMaxGbps = 100
	// NATConnectionsPerDestination: a NAT gateway holds 55,000 simultaneous
	// connections to each unique destination (IP, port and protocol).
	natConnectionsPerDestination = 55000
)

// ShapeSpec is the specification of an offered shape, or an error naming
// the shape when none is known: a shape the capacity model cannot size is
// refused, never treated as infinite.
func ShapeSpec(kind cost.ShapeKind, class string) (Spec, error) {
	if kind == cost.ElastiCacheRedisNode {
		if gib, ok := cacheNodeGiB[class]; ok {
			return Spec{VCPU: 0, MemoryGiB: gib}, nil
		}
		return Spec{}, fmt.Errorf("no specification for cache node type %q: add its memory to stacks/specs.go", class)
	}
	family, size := cost.SplitShape(strings.TrimPrefix(class, "db."))
	vcpu, ok := vcpuBySize[size]
	if !ok || family == "" {
		return Spec{}, fmt.Errorf("no specification for %s %q: add its size to stacks/specs.go", kind, class)
	}
	if family[0] == 't' {
		mem, ok := burstableMemoryGiB[size]
		if !ok {
			return Spec{}, fmt.Errorf("no specification for %s %q: add its size to stacks/specs.go", kind, class)
		}
		return Spec{VCPU: vcpu, MemoryGiB: mem}, nil
	}
	per, ok := gibPerVCPU[family[0]]
	if !ok {
		return Spec{}, fmt.Errorf("no specification for %s %q: add its family to stacks/specs.go", kind, class)
	}
	return Spec{VCPU: vcpu, MemoryGiB: vcpu * per}, nil
}

// MaxConnections is PostgreSQL's default max_connections for a database
// instance of this memory on RDS and Aurora.
func MaxConnections(memoryGiB float64) float64 {
	n := float64(int64(memoryGiB * (1 << 30) / maxConnectionsDivisor))
	if n > maxConnectionsCap {
		return maxConnectionsCap
	}
	return n
}
