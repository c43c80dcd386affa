package stacks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tenancy-dev/tenancy/cost"
)

// The instance shapes the program may deploy are exactly the shapes the
// embedded price catalog prices in every one of its regions (cost.Offered):
// one table for the validator and the cost model, so a shape that passes
// validation always has a price. Validation checks a configured class
// against it before anything is created, because under mocks nothing else
// would: "m5.2xlrge" previews fine and fails at `pulumi up`. To adopt a new
// family, add its prices to cost/prices/*.json (every region).

// Shape kinds, used in messages.
const (
	shapeEC2            = cost.EC2InstanceType
	shapeRDSPostgres    = cost.RDSPostgresClass
	shapeAuroraPostgres = cost.AuroraPostgresClass
	shapeElastiCache    = cost.ElastiCacheRedisNode
)

// offeredShapes groups the catalog's offered shapes of a kind by family.
func offeredShapes(kind cost.ShapeKind) (map[string][]string, error) {
	offered, err := offeredOf(kind)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, class := range offered {
		family, size := cost.SplitShape(class)
		out[family] = append(out[family], size)
	}
	return out, nil
}

// checkShape returns "" when class is offered for kind, or a message and a fix.
func checkShape(kind cost.ShapeKind, class string) (msg, fix string) {
	table, err := offeredShapes(kind)
	if err != nil {
		return fmt.Sprintf("the price catalog cannot be read: %v", err), "rebuild the binary from a clean checkout"
	}
	family, size := cost.SplitShape(class)
	if sizes, ok := table[family]; ok && size != "" {
		for _, s := range sizes {
			if s == size {
				return "", ""
			}
		}
		all := make([]string, len(sizes))
		for k, s := range sizes {
			all[k] = family + "." + s
		}
		return fmt.Sprintf("%q is not a valid %s: family %s has no size %q", class, kind, family, size), oneOfFix(class, all)
	}
	var all []string
	for family, sizes := range table {
		for _, s := range sizes {
			all = append(all, family+"."+s)
		}
	}
	sort.Strings(all)
	if c := closest(class, all); c != "" {
		return fmt.Sprintf("%q is not a valid %s", class, kind), fmt.Sprintf("did you mean %q?", c)
	}
	families := make([]string, 0, len(table))
	for f := range table {
		families = append(families, f)
	}
	sort.Strings(families)
	return fmt.Sprintf("%q is not a valid %s", class, kind),
		"use FAMILY.SIZE with a family of: " + strings.Join(families, ", ") + " (a new family needs its prices in cost/prices/*.json first)"
}

// IsGraviton reports whether an EC2 instance type runs on arm64, which decides
// the AMI architecture.
func IsGraviton(instanceType string) bool {
	family, _, _ := strings.Cut(instanceType, ".")
	return strings.HasSuffix(family, "g")
}
