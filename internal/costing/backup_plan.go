package costing

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// backupPlan prices the cross-region copies a plan makes: the whole volume
// each time (see cost.BackupPlan).
func (p *pricer) backupPlan(n graph.Node, served []string) ([]cost.Component, error) {
	sched, err := p.backupScheduleOf(n)
	if err != nil {
		return nil, err
	}
	copies := 0.0
	if sched.copyDays > 0 {
		copies = cost.CopiesPerMonth(sched.everyDays)
	}
	volumeGB := p.sum(served, func(x stacks.Workload) float64 { return x.DBStorageGB })
	return cost.BackupPlan{Region: p.regionOf(n), VolumeGB: volumeGB, CopiesPerMonth: copies}.Components(p.cat), nil
}

// planWithoutCopy: a plan that copies nothing costs nothing itself.
func planWithoutCopy(n graph.Node) (string, bool) {
	return "copies nothing out of the region; its vault carries the storage", graph.Path(n.Inputs, "rules", 0, "copyActions", 0) == nil
}

// backupSchedule is what an AWS Backup plan does: a backup every everyDays,
// kept homeDays in its vault, and copied to another region's vault, kept
// copyDays (0: no copy).
type backupSchedule struct{ everyDays, homeDays, copyDays int }

func (p *pricer) backupScheduleOf(plan graph.Node) (backupSchedule, error) {
	cron, _ := graph.Path(plan.Inputs, "rules", 0, "schedule").(string)
	var s backupSchedule
	for _, d := range []int{1, 7, 30} {
		if want, _ := cost.CopySchedule(d); want == cron {
			s.everyDays = d
		}
	}
	if s.everyDays == 0 {
		return s, fmt.Errorf("backup plan schedule %q is not one tenancy prices (daily, weekly or monthly)", cron)
	}
	s.homeDays = int(graph.AsNum(graph.Path(plan.Inputs, "rules", 0, "lifecycle", "deleteAfter"), 0))
	s.copyDays = int(graph.AsNum(graph.Path(plan.Inputs, "rules", 0, "copyActions", 0, "lifecycle", "deleteAfter"), 0))
	if s.homeDays <= 0 {
		return s, fmt.Errorf("backup plan keeps its recovery points forever (no lifecycle.deleteAfter); tenancy prices only plans that expire them")
	}
	return s, nil
}
