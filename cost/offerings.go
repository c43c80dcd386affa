package cost

import (
	"sort"
	"strconv"
	"strings"
)

// ShapeKind is a kind of instance shape the program sizes: an EC2 instance
// type, an RDS or Aurora instance class, an ElastiCache node type.
type ShapeKind string

// The shape kinds, named as AWS names them (used in messages).
const (
	EC2InstanceType      ShapeKind = "EC2 instance type"
	RDSPostgresClass     ShapeKind = "RDS for PostgreSQL instance class"
	AuroraPostgresClass  ShapeKind = "Aurora PostgreSQL instance class"
	ElastiCacheRedisNode ShapeKind = "ElastiCache node type"
)

// ShapeKinds lists every kind, for tests that walk them.
var ShapeKinds = []ShapeKind{EC2InstanceType, RDSPostgresClass, AuroraPostgresClass, ElastiCacheRedisNode}

// EC2InstanceKey is the catalog key of an EC2 instance type's hourly price.
func EC2InstanceKey(instanceType string) Key {
	return Key{Service: "ec2", Item: "instance", Variant: instanceType}
}

// RDSPostgresKey is the catalog key of an RDS for PostgreSQL class's hourly
// price in one deployment option.
func RDSPostgresKey(class string, multiAZ bool) Key {
	if multiAZ {
		return Key{Service: "rds", Item: "postgres", Variant: class, Option: "multi-az"}
	}
	return Key{Service: "rds", Item: "postgres", Variant: class, Option: "single-az"}
}

// AuroraPostgresKey is the catalog key of an Aurora PostgreSQL class's hourly price.
func AuroraPostgresKey(class string) Key {
	return Key{Service: "aurora", Item: "postgres", Variant: class}
}

// ElastiCacheRedisKey is the catalog key of an ElastiCache node type's hourly price.
func ElastiCacheRedisKey(nodeType string) Key {
	return Key{Service: "elasticache", Item: "redis", Variant: nodeType}
}

// shapeKeys are the catalog keys a shape of a kind must have: a class the
// program may deploy in either deployment option needs both prices.
func shapeKeys(kind ShapeKind, class string) []Key {
	switch kind {
	case EC2InstanceType:
		return []Key{EC2InstanceKey(class)}
	case RDSPostgresClass:
		return []Key{RDSPostgresKey(class, false), RDSPostgresKey(class, true)}
	case AuroraPostgresClass:
		return []Key{AuroraPostgresKey(class)}
	case ElastiCacheRedisNode:
		return []Key{ElastiCacheRedisKey(class)}
	}
	return nil
}

// Offered lists the shapes of a kind that the catalog prices in every one
// of its regions, sorted by family and then size. This is the one table the
// validator accepts shapes from: a shape it accepts always has a price.
func (c *Catalog) Offered(kind ShapeKind) []string {
	want := shapeKeys(kind, "")[0]
	candidates := map[string]bool{}
	for _, region := range c.Regions() {
		for key := range c.regions[region] {
			if key.Service != want.Service || key.Item != want.Item {
				continue
			}
			class := key.Variant
			if class != "" {
				candidates[class] = true
			}
		}
	}
	var out []string
	for class := range candidates {
		if c.PricedEverywhere(kind, class) {
			out = append(out, class)
		}
	}
	sort.Slice(out, func(i, j int) bool { return shapeLess(out[i], out[j]) })
	return out
}

// PricedEverywhere reports whether every catalog region prices the shape.
func (c *Catalog) PricedEverywhere(kind ShapeKind, class string) bool {
	keys := shapeKeys(kind, class)
	if len(keys) == 0 || len(c.regions) == 0 {
		return false
	}
	for _, region := range c.Regions() {
		for _, k := range keys {
			if c.Lookup(region, k) == nil {
				return false
			}
		}
	}
	return true
}

// sizeRank orders instance sizes from the smallest: nano < micro < small <
// medium < large < xlarge < 2xlarge < 4xlarge...
func sizeRank(size string) int {
	named := map[string]int{"nano": 1, "micro": 2, "small": 3, "medium": 4, "large": 5, "xlarge": 6}
	if r, ok := named[size]; ok {
		return r
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(size, "xlarge")); err == nil && strings.HasSuffix(size, "xlarge") {
		return 6 + n
	}
	return 1000
}

// SplitShape splits "db.r6g.xlarge" into its family "db.r6g" and size "xlarge".
func SplitShape(class string) (family, size string) {
	i := strings.LastIndex(class, ".")
	if i <= 0 {
		return class, ""
	}
	return class[:i], class[i+1:]
}

func shapeLess(a, b string) bool {
	fa, sa := SplitShape(a)
	fb, sb := SplitShape(b)
	if fa != fb {
		return fa < fb
	}
	return sizeRank(sa) < sizeRank(sb)
}
