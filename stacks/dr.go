package stacks

import (
	"fmt"
	"strconv"
	"strings"
)

// globalDatabaseMinimums are the oldest Aurora PostgreSQL minor version of
// each major that AWS allows in a global database (Aurora User Guide,
// "Supported Regions and DB engines for Aurora global databases"); majors
// before 11 are not offered at all.
var globalDatabaseMinimums = map[int]int{11: 9, 12: 8, 13: 4, 14: 3, 15: 2, 16: 1, 17: 4}

// checkDR holds the disaster-recovery settings to what AWS accepts.
func checkDR(c *Config, stackFile string, raw map[string]rawValue, ps *problems) {
	line := func(key string) int { return raw[Namespace+":"+key].Line }
	set := func(key string) bool { _, ok := raw[Namespace+":"+key]; return ok }
	if c.DR.Strategy != "snapshot-copy" {
		for _, k := range []string{"drCopyEveryDays", "drCopyRetentionDays"} {
			if set(k) {
				ps.add(stackFile, line(k), Namespace+":"+k, "remove it, or set tenancy:drStrategy: snapshot-copy",
					"applies to drStrategy snapshot-copy only, and the stack's strategy is %s", c.DR.Strategy)
			}
		}
	}
	switch c.DR.Strategy {
	case "snapshot-copy":
		if c.DR.CopyRetentionDays < c.DR.CopyEveryDays {
			ps.add(stackFile, line("drCopyRetentionDays"), Namespace+":drCopyRetentionDays",
				fmt.Sprintf("keep each copy at least %d days, or copy more often", c.DR.CopyEveryDays),
				"copies kept %d days are gone before the next copy, every %d days", c.DR.CopyRetentionDays, c.DR.CopyEveryDays)
		}
	case "global-database":
		if class := c.Shared.DBInstanceClass; !strings.HasPrefix(class, "db.r") && !strings.HasPrefix(class, "db.x") {
			ps.add(stackFile, line("dbInstanceClass"), Namespace+":dbInstanceClass", "use a memory-optimized class, e.g. db.r6g.large, or another tenancy:drStrategy",
				"%q cannot be in an Aurora Global Database, which requires memory-optimized instance classes (db.r5 or higher)", class)
		}
		if msg := globalDatabaseVersion(c.Shared.DBEngineVersion); msg != "" {
			ps.add(stackFile, line("dbEngineVersion"), Namespace+":dbEngineVersion", "upgrade the engine, e.g. 16.6, or another tenancy:drStrategy", "%s", msg)
		}
	}
}

// globalDatabaseVersion is "" when an Aurora PostgreSQL version may join a
// global database, else why not.
func globalDatabaseVersion(v string) string {
	parts := strings.Split(v, ".")
	major, err := strconv.Atoi(parts[0])
	if err != nil {
		return "" // the version's own check reports it
	}
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	least, ok := globalDatabaseMinimums[major]
	if !ok && major < 11 {
		return fmt.Sprintf("Aurora PostgreSQL %s cannot be in a global database (11.9 or later)", v)
	}
	if ok && minor < least {
		return fmt.Sprintf("Aurora PostgreSQL %s cannot be in a global database (%d.%d or later)", v, major, least)
	}
	return ""
}
