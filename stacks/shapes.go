package stacks

import (
	"fmt"
	"sort"
	"strings"
)

// The instance shapes AWS offers, per service, as of 2026. Validation checks a
// configured class against these before anything is created, because under
// mocks nothing else would: "m5.2xlrge" previews fine and fails at `pulumi up`.
// Extend the tables when the platform adopts a new family.

var (
	burstSizes   = []string{"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"}
	generalSizes = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"}
	gravSizes    = []string{"medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}
)

// ec2Shapes maps an EC2 family to its sizes.
var ec2Shapes = map[string][]string{
	"t3": burstSizes, "t3a": burstSizes, "t4g": burstSizes,
	"m5": generalSizes, "m5a": generalSizes, "m6i": append(generalSizes, "32xlarge"), "m7i": append(generalSizes, "48xlarge"),
	"m6g": gravSizes, "m7g": gravSizes,
	"c5":  {"large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"},
	"c6i": append(generalSizes, "32xlarge"), "c6g": gravSizes, "c7g": gravSizes,
	"r5": generalSizes, "r6i": append(generalSizes, "32xlarge"), "r6g": gravSizes, "r7g": gravSizes,
}

// rdsPostgresShapes: RDS for PostgreSQL instance classes (single instances).
var rdsPostgresShapes = map[string][]string{
	"db.t3":  {"micro", "small", "medium", "large", "xlarge", "2xlarge"},
	"db.t4g": {"micro", "small", "medium", "large", "xlarge", "2xlarge"},
	"db.m5":  generalSizes, "db.m6i": append(generalSizes, "32xlarge"), "db.m6g": gravSizes[1:], "db.m7g": gravSizes[1:],
	"db.r5": generalSizes, "db.r6i": append(generalSizes, "32xlarge"), "db.r6g": gravSizes[1:], "db.r7g": gravSizes[1:],
}

// auroraPostgresShapes: Aurora PostgreSQL offers no db.t3.small/micro and no m-classes.
var auroraPostgresShapes = map[string][]string{
	"db.t3":  {"medium", "large"},
	"db.t4g": {"medium", "large"},
	"db.r5":  generalSizes, "db.r6i": append(generalSizes, "32xlarge"), "db.r6g": gravSizes[1:], "db.r7g": gravSizes[1:],
	"db.x2g": gravSizes[1:],
}

// elastiCacheShapes: ElastiCache for Redis/Valkey node types.
var elastiCacheShapes = map[string][]string{
	"cache.t3": {"micro", "small", "medium"}, "cache.t4g": {"micro", "small", "medium"},
	"cache.m5":  {"large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"},
	"cache.m6g": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}, "cache.m7g": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"cache.r5":  {"large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"},
	"cache.r6g": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}, "cache.r7g": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
}

// Shape kinds, used in messages.
const (
	shapeEC2            = "EC2 instance type"
	shapeRDSPostgres    = "RDS for PostgreSQL instance class"
	shapeAuroraPostgres = "Aurora PostgreSQL instance class"
	shapeElastiCache    = "ElastiCache node type"
)

var shapeTables = map[string]map[string][]string{
	shapeEC2: ec2Shapes, shapeRDSPostgres: rdsPostgresShapes, shapeAuroraPostgres: auroraPostgresShapes, shapeElastiCache: elastiCacheShapes,
}

// checkShape returns "" when class is offered for kind, or a message and a fix.
func checkShape(kind, class string) (msg, fix string) {
	table := shapeTables[kind]
	i := strings.LastIndex(class, ".")
	if i > 0 {
		family, size := class[:i], class[i+1:]
		if sizes, ok := table[family]; ok {
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
	return fmt.Sprintf("%q is not a valid %s", class, kind), "use FAMILY.SIZE with a family of: " + strings.Join(families, ", ")
}

// IsGraviton reports whether an EC2 instance type runs on arm64, which decides
// the AMI architecture.
func IsGraviton(instanceType string) bool {
	family, _, _ := strings.Cut(instanceType, ".")
	return strings.HasSuffix(family, "g")
}
