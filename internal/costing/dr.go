package costing

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/stacks"
)

// DROption is one way the shared database could survive the loss of its
// region, priced for this stack with the same pricers as the program's own
// resources, with its recovery objectives for a region loss.
type DROption struct {
	Strategy string // the tenancy:drStrategy value
	Detail   string // e.g. "weekly copies kept 21 days"
	Monthly  decimal.Decimal
	RPO, RTO string
	Current  bool // the stack's own setting
	Unpriced int  // components with no price (Monthly leaves them out)
}

// DROptions prices each strategy for the stack's shared database: the
// components that differ between them (copies, their transfer, a global
// secondary). The cluster's own continuous backups, the same under every
// strategy, are not in these figures.
func DROptions(cfg *stacks.Config, cat *cost.Catalog) []DROption {
	shared := cfg.SharedTenants()
	if len(shared) == 0 {
		return nil
	}
	var volume, io float64
	for _, t := range shared {
		volume += t.Workload.DBStorageGB
		io += t.Workload.DBIOMillions
	}
	home, dr, pl := cfg.Region, cfg.BackupCopyRegion, cfg.Usage.Platform
	total := func(cs ...[]cost.Component) (decimal.Decimal, int) {
		sum, missing := decimal.Zero, 0
		for _, list := range cs {
			for _, c := range list {
				if !c.PriceFound() {
					missing++
				}
				sum = sum.Add(c.MonthlyCost())
			}
		}
		return sum, missing
	}
	copyOption := func(every, keep int) DROption {
		m, miss := total(
			cost.BackupPlan{Region: home, VolumeGB: volume, CopiesPerMonth: cost.CopiesPerMonth(every)}.Components(cat),
			cost.BackupVault{Region: dr, VolumeGB: volume, RecoveryPoints: cost.RecoveryPoints(keep, every)}.Components(cat))
		return DROption{Strategy: "snapshot-copy", Detail: fmt.Sprintf("%s copies kept %d days", cadence(every), keep), Monthly: m, Unpriced: miss,
			RPO:     fmt.Sprintf("up to %s (the last copy)", days(every)),
			RTO:     "hours: restore the copy into a new cluster, add instances, deploy the app tier there",
			Current: cfg.DR.Strategy == "snapshot-copy" && cfg.DR.CopyEveryDays == every && cfg.DR.CopyRetentionDays == keep}
	}
	none := DROption{Strategy: "none", Detail: "no copy leaves " + home, Monthly: decimal.Zero,
		RPO: "no recovery from a region loss", RTO: "no recovery from a region loss", Current: cfg.DR.Strategy == "none"}
	out := []DROption{none}
	seen := map[[2]int]bool{}
	for _, c := range [][2]int{{1, 35}, {7, 21}, {cfg.DR.CopyEveryDays, cfg.DR.CopyRetentionDays}} {
		if c[0] > 0 && !seen[c] && c[1] >= c[0] {
			seen[c] = true
			out = append(out, copyOption(c[0], c[1]))
		}
	}
	gm, gmiss := total(cost.AuroraGlobalSecondary{Region: dr, StorageGB: volume, ReplicatedWriteIOMillions: io * pl.DBWriteIOShare,
		BackupGB: cost.BackupStoredGB(volume, cfg.Shared.DBBackupRetentionDays, pl.BackupDailyChangeRate)}.Components(cat))
	out = append(out, DROption{Strategy: "global-database", Detail: "headless secondary in " + dr, Monthly: gm, Unpriced: gmiss,
		RPO: "seconds (replication lag, typically under one)", RTO: "under an hour: add an instance to the secondary, then fail over",
		Current: cfg.DR.Strategy == "global-database"})
	return out
}

func cadence(everyDays int) string {
	switch everyDays {
	case 1:
		return "daily"
	case 7:
		return "weekly"
	case 30:
		return "monthly"
	}
	return fmt.Sprintf("every-%d-day", everyDays)
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
