package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/table"
	"github.com/tenancy-dev/tenancy/internal/tenantdata"
	"github.com/tenancy-dev/tenancy/stacks"
)

func markVerifiedCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var sf stackFlags
	var record string
	return command("mark-verified ID", "set migration.dataVerified from a passing verification record",
		"Set dataVerified: true and record: FILE on the tenant's migration entry in the registry, from a record that\n"+
			"`tenancy migrate tenant` or `tenancy migrate verify` wrote for this tenant and that passed. Only the entry's text\n"+
			"changes: the registry keeps its comments and layout. The preview refuses dataVerified: true without such a record.",
		exactlyOneTenant, func(fs *pflag.FlagSet) {
			sf.register(fs)
			fs.StringVar(&record, "record", "", "the verification record (a file in the project; required)")
		}, func(args []string) int { return runMarkVerified(args[0], &sf, record, stdout, stderr) }, code)
}

func runMarkVerified(id string, sf *stackFlags, record string, stdout, stderr io.Writer) int {
	if record == "" {
		fmt.Fprintln(stderr, "tenancy migrate mark-verified: --record is required: the file tenancy migrate tenant or verify wrote")
		return exitUsage
	}
	rec, err := tenantdata.ReadRecord(record)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy migrate mark-verified: %v\n", err)
		return exitInvalid
	}
	switch {
	case rec.Tenant != id:
		err = fmt.Errorf("%s is the record of tenant %s, not %s", record, rec.Tenant, id)
	case rec.Kind != "migration" && rec.Kind != "verification":
		err = fmt.Errorf("%s is a %s record: mark a tenant verified from a migration's or a verification's", record, rec.Kind)
	case !rec.Passed:
		err = fmt.Errorf("%s records a verification that failed: %s", record, strings.Join(rec.Mismatches(), "; "))
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenancy migrate mark-verified: %v\n", err)
		return exitInvalid
	}
	cfg, code := sf.load(stderr)
	if code != exitOK {
		return code
	}
	abs, _ := filepath.Abs(record)
	root, _ := filepath.Abs(cfg.Dir)
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		fmt.Fprintf(stderr, "tenancy migrate mark-verified: %s is outside the project %s: keep the record with the registry (e.g. tenants/records/)\n", record, cfg.Dir)
		return exitInvalid
	}
	if err := stacks.MarkVerified(cfg.Dir, cfg.RegistryFile, id, filepath.ToSlash(rel)); err != nil {
		fmt.Fprintf(stderr, "tenancy migrate mark-verified: %v\n", err)
		return exitInvalid
	}
	if _, err := stacks.Load(sf.dir, sf.stack, stacks.LoadOptions{}); err != nil {
		fmt.Fprintf(stderr, "tenancy migrate mark-verified: the registry no longer loads after the edit: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintf(stdout, "%s: %s marked verified (record %s, %d rows in %d tables, verified %s)\n", cfg.RegistryFile, id, rel, rec.Rows,
		len(rec.Tables), rec.FinishedAt.Format(time.RFC3339))
	return exitOK
}

// MeasuredRateMBps is the plan's default copy rate: BenchmarkMigrateOneGigabyteTenant
// measured 12.65 MB/s (verification included) for a 1 GB tenant on the
// 2-core development machine, source and target on one PostgreSQL (README,
// "Migrating a tenant"); rounded down.
const MeasuredRateMBps = 12

func planCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var sf stackFlags
	var parallel int
	var rate float64
	var format string
	return command("plan", "plan the waves: free, then pro, then enterprise, batched by data volume",
		"Plan the moves of the stack's dedicated tenants to the shared tier in the article's order (free, then pro, then\n"+
			"enterprise; tenants whose compliance requires dedicated placement never move), batched by data volume with\n"+
			"--parallel copies side by side, each wave's duration estimated from the registry's data sizes at --rate-mbps,\n"+
			"and the registry change each wave needs. --topology multi-instance plans the whole consolidation.",
		noArgs, func(fs *pflag.FlagSet) {
			sf.register(fs)
			fs.IntVar(&parallel, "parallel", 4, "tenants copied side by side")
			fs.Float64Var(&rate, "rate-mbps", MeasuredRateMBps, "one copy's rate in MB/s (the default is measured: README, Migrating a tenant)")
			enum(fs, &format, "format", "table", "the plan's form", "table", "markdown", "json")
		}, func([]string) int { return runPlan(&sf, parallel, rate, format, stdout, stderr) }, code)
}

func runPlan(sf *stackFlags, parallel int, rate float64, format string, stdout, stderr io.Writer) int {
	cfg, code := sf.load(stderr)
	if code != exitOK {
		return code
	}
	var cands []tenantdata.Candidate
	for _, t := range cfg.Tenants {
		c := tenantdata.Candidate{ID: t.ID, Tier: string(t.Tier), Dedicated: cfg.PlacementOf(t) == stacks.Dedicated, DataGB: t.Workload.DBStorageGB}
		if t.NeedsDedicated() {
			c.Stays = "compliance: dedicated-required"
		}
		if t.Migration != nil {
			c.Phase = string(t.Phase())
		}
		cands = append(cands, c)
	}
	p, err := tenantdata.MakePlan(cands, parallel, rate)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy migrate plan: %v\n", err)
		return exitUsage
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(p); err != nil {
			return exitRuntime
		}
		return exitOK
	}
	t := table.New([]string{"Wave", "Tier", "Tenants", "Batches", "Data", "Estimated duration"}, 2, 3, 4, 5)
	var total time.Duration
	for i, w := range p.Waves {
		t.Add(fmt.Sprint(i+1), w.Tier, fmt.Sprint(w.Tenants), fmt.Sprint(len(w.Batches)), fmt.Sprintf("%.0f GB", w.DataGB), w.Duration.Round(time.Minute).String())
		total += w.Duration
	}
	if format == "markdown" {
		t.Markdown(stdout)
	} else {
		t.Text(stdout, "  ")
	}
	fmt.Fprintf(stdout, "\n%d waves, %s of copying at %.0f MB/s per copy, %d side by side (verification included in the rate).\n",
		len(p.Waves), total.Round(time.Minute), p.RateMBps, p.Parallel)
	for i, w := range p.Waves {
		fmt.Fprintf(stdout, "Wave %d (%s): %s\n", i+1, w.Tier, w.Registry)
	}
	if len(p.InProgress) > 0 {
		fmt.Fprintf(stdout, "Under way: %s\n", strings.Join(p.InProgress, ", "))
	}
	if len(p.Stay) > 0 {
		fmt.Fprintf(stdout, "Stay dedicated: %s\n", strings.Join(p.Stay, ", "))
	}
	return exitOK
}
