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
func EC2InstanceKey(instanceType string) string { return "ec2:instance:" + instanceType }

// RDSPostgresKey is the catalog key of an RDS for PostgreSQL class's hourly
// price in one deployment option.
func RDSPostgresKey(class string, multiAZ bool) string {
	if multiAZ {
		return "rds:postgres:" + class + ":multi-az"
	}
	return "rds:postgres:" + class + ":single-az"
}

// AuroraPostgresKey is the catalog key of an Aurora PostgreSQL class's hourly price.
func AuroraPostgresKey(class string) string { return "aurora:postgres:" + class }

// ElastiCacheRedisKey is the catalog key of an ElastiCache node type's hourly price.
func ElastiCacheRedisKey(nodeType string) string { return "elasticache:redis:" + nodeType }

// shapeKeys are the catalog keys a shape of a kind must have: a class the
// program may deploy in either deployment option needs both prices.
func shapeKeys(kind ShapeKind, class string) []string {
	switch kind {
	case EC2InstanceType:
		return []string{EC2InstanceKey(class)}
	case RDSPostgresClass:
		return []string{RDSPostgresKey(class, false), RDSPostgresKey(class, true)}
	case AuroraPostgresClass:
		return []string{AuroraPostgresKey(class)}
	case ElastiCacheRedisNode:
		return []string{ElastiCacheRedisKey(class)}
	}
	return nil
}

// Offered lists the shapes of a kind that the catalog prices in every one
// of its regions, sorted by family and then size. This is the one table the
// validator accepts shapes from: a shape it accepts always has a price.
func (c *Catalog) Offered(kind ShapeKind) []string {
	prefix := shapeKeys(kind, "")[0]
	if kind == RDSPostgresClass {
		prefix = "rds:postgres:"
	}
	candidates := map[string]bool{}
	for _, region := range c.Regions() {
		for key := range c.regions[region] {
			if !strings.HasPrefix(key, prefix) {
				continue
			}
			class := strings.TrimPrefix(key, prefix)
			if kind == RDSPostgresClass {
				class = class[:max(strings.LastIndex(class, ":"), 0)]
			}
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
