package costing

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/table"
	"github.com/tenancy-dev/tenancy/stacks"
)

// Lever is one way to spend less: what to change, what it saves a month and
// what it risks. Savings that a config change makes are measured by pricing
// the stack again with the change; a commitment is priced from the
// catalog's commitment price.
type Lever struct {
	Name   string          `json:"name"`
	Saving decimal.Decimal `json:"monthlySavingUsd"`
	Change string          `json:"change"` // the exact config change or purchase
	Risk   string          `json:"risk"`
	Basis  string          `json:"basis"` // how the saving was measured
}

// Recommendations are the levers, largest saving first, and the levers
// that could not be priced, each with the reason.
type Recommendations struct {
	Levers  []Lever  `json:"levers"`
	Skipped []string `json:"skipped"`
}

// Recommend measures each lever against after, the stack priced as it is.
func Recommend(cfg *stacks.Config, after *Estimate, cat *cost.Catalog, evaluate Evaluator) (*Recommendations, error) {
	out := &Recommendations{Skipped: []string{}}
	reprice := func(name, change, risk string, mutate func(*stacks.Config) bool) error {
		c := cloneConfig(cfg)
		if !mutate(c) {
			return nil
		}
		e, err := evaluateAndPrice("after", c, cat, evaluate)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(e.Gaps()) > 0 {
			out.Skipped = append(out.Skipped, fmt.Sprintf("%s: %d components have no price with the change (first: %s)", name, len(e.Gaps()), e.Gaps()[0]))
			return nil
		}
		if saving := after.Total().Sub(e.Total()); saving.IsPositive() {
			out.Levers = append(out.Levers, Lever{Name: name, Saving: saving.Round(2), Change: change, Risk: risk,
				Basis: fmt.Sprintf("the stack priced with the change: $%s against $%s a month", cost.FormatUSD(e.Total()), cost.FormatUSD(after.Total()))})
		}
		return nil
	}
	for _, l := range configLevers(cfg) {
		if err := reprice(l.name, l.change, l.risk, l.mutate); err != nil {
			return nil, err
		}
	}
	commitmentLevers(cfg, cat, out)
	drLever(cfg, cat, out)
	sort.SliceStable(out.Levers, func(i, j int) bool { return out.Levers[i].Saving.GreaterThan(out.Levers[j].Saving) })
	return out, nil
}

// configLever is a change of the stack's config, measured by repricing.
type configLever struct {
	name, change, risk string
	mutate             func(*stacks.Config) bool // false: does not apply
}

func configLevers(cfg *stacks.Config) []configLever {
	sh := cfg.Shared
	var out []configLever
	if cfg.HasSharedTier() {
		out = append(out,
			configLever{"Aurora I/O-Optimized", cfg.StackFile + ": tenancy:dbStorageType: io-optimized",
				"AWS allows a switch to I/O-Optimized once every 30 days; it pays while I/O is more than about a quarter of Aurora's bill, which the workload model (dbIoMillions) sets",
				func(c *stacks.Config) bool {
					c.Shared.DBStorageType = "io-optimized"
					return sh.DBStorageType != "io-optimized"
				}},
			configLever{"CloudWatch Logs Infrequent Access for the audit log", cfg.StackFile + ": tenancy:auditLogClass: infrequent-access",
				"the class cannot change after creation: the group is replaced, so export or keep the old group's events; no metric filters, subscription filters or Live Tail on /aws/saas/audit (none is used); Logs Insights queries still work",
				func(c *stacks.Config) bool {
					c.Shared.AuditLogClass = "infrequent-access"
					return sh.AuditLogClass != "infrequent-access"
				}})
		if g := gravitonOf(sh.AppInstanceType); g != "" && offered(cost.EC2InstanceType, g) {
			out = append(out, configLever{"Graviton for the shared app tier", fmt.Sprintf("%s: tenancy:appInstanceType: %s", cfg.StackFile, g),
				"arm64: the application, its agents and its AMI pipeline must ship arm64 builds; the same vCPUs and memory",
				func(c *stacks.Config) bool { c.Shared.AppInstanceType = g; return true }})
		}
		if smaller := smallerFits(cfg); smaller != nil {
			out = append(out, *smaller)
		}
	}
	if l := dedicatedGraviton(cfg); l != nil {
		out = append(out, *l)
	}
	return out
}

// gravitonOf is the Graviton family's shape of the same size, or "".
func gravitonOf(class string) string {
	family, size := cost.SplitShape(class)
	to := map[string]string{"t3": "t4g", "t3a": "t4g", "m5": "m6g", "m6i": "m6g", "c6i": "c6g", "r6i": "r6g", "cache.t3": "cache.t4g", "cache.m5": "cache.m6g"}[family]
	if to == "" {
		return ""
	}
	return to + "." + size
}

func offered(kind cost.ShapeKind, class string) bool {
	cat, err := cost.DefaultCatalog()
	return err == nil && cat.PricedEverywhere(kind, class)
}

// dedicatedGraviton moves every dedicated stack's app server and cache to
// the Graviton shape of the same size, as a registry change per tenant.
func dedicatedGraviton(cfg *stacks.Config) *configLever {
	var ids []string
	for _, t := range cfg.DedicatedTenants() {
		s := t.Sizing.Resolved()
		if app, cache := gravitonOf(s.AppInstanceType), gravitonOf(s.CacheNodeType); (app != "" && offered(cost.EC2InstanceType, app)) ||
			(cache != "" && offered(cost.ElastiCacheRedisNode, cache)) {
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	who := strings.Join(ids, ", ")
	if len(ids) > 3 {
		who = fmt.Sprintf("%s, %s and %d more", ids[0], ids[1], len(ids)-2)
	}
	return &configLever{fmt.Sprintf("Graviton for the %d dedicated stacks", len(ids)),
		fmt.Sprintf("%s: on %s, sizing.appInstanceType and sizing.cacheNodeType to the t4g shape of the same size (e.g. t4g.medium, cache.t4g.medium)", cfg.RegistryFile, who),
		"arm64 for each tenant's server (the application must ship arm64 builds); replacing a dedicated server and cache nodes, which prod's protection refuses until each stack is unprotected on purpose",
		func(c *stacks.Config) bool {
			for i := range c.Tenants {
				if !contains(ids, c.Tenants[i].ID) {
					continue
				}
				s := c.Tenants[i].Sizing.Resolved()
				if g := gravitonOf(s.AppInstanceType); g != "" && offered(cost.EC2InstanceType, g) {
					c.Tenants[i].Sizing.AppInstanceType = g
				}
				if g := gravitonOf(s.CacheNodeType); g != "" && offered(cost.ElastiCacheRedisNode, g) {
					c.Tenants[i].Sizing.CacheNodeType = g
				}
			}
			return true
		}}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// smallerFits is the right-sizing lever: the shared database one size down
// in its family, when the capacity model still finds every resource within
// the headroom.
func smallerFits(cfg *stacks.Config) *configLever {
	prev := stacks.SmallerInFamily(cost.AuroraPostgresClass, cfg.Shared.DBInstanceClass)
	if prev == "" {
		return nil
	}
	c := cloneConfig(cfg)
	c.Shared.DBInstanceClass = prev
	checks, err := stacks.Capacity(c)
	if err != nil {
		return nil
	}
	for _, k := range checks {
		if v := k.Verdict(c.HeadroomPercent); v != "ok" && v != "elastic" {
			return nil
		}
	}
	return &configLever{"Right-size the shared database", fmt.Sprintf("%s: tenancy:dbInstanceClass: %s", cfg.StackFile, prev),
		"the capacity model measures the database's connections and storage, not its CPU or memory: check CloudWatch CPUUtilization and FreeableMemory at the peak before the change; a class change fails over to a reader",
		func(c *stacks.Config) bool { c.Shared.DBInstanceClass = prev; return true }}
}

// commitmentLevers price 1-year commitments for the always-on shared app
// servers from the catalog's commitment prices; the rest of the baseline
// (Aurora and Redis reserved nodes) has none, and is listed as skipped.
func commitmentLevers(cfg *stacks.Config, cat *cost.Catalog, out *Recommendations) {
	if !cfg.HasSharedTier() || cfg.Pricing != "on-demand" {
		return
	}
	t, n := cfg.Shared.AppInstanceType, int64(cfg.Shared.ASGMin)
	od, commit := cost.EC2InstanceKey(t), cost.EC2InstanceKey(t)
	commit.Option = "commit-1y"
	po, pc := cat.Lookup(cfg.Region, od), cat.Lookup(cfg.Region, commit)
	if po == nil || pc == nil {
		out.Skipped = append(out.Skipped, fmt.Sprintf("1-year commitment for %d %s: the catalog has no %s price", n, t, commit))
	} else {
		saving := cost.HoursPerMonth.Mul(decimal.NewFromInt(n)).Mul(po.USD.Sub(pc.USD))
		out.Levers = append(out.Levers, Lever{Name: "1-year commitment for the always-on app servers", Saving: saving.Round(2),
			Change: fmt.Sprintf("buy %d %s Standard Reserved Instances, 1 year, no upfront, in %s (tenancy:asgMin is %d); `tenancy cost --pricing commit-1y` prices the stack so", n, t, cfg.Region, n),
			Risk:   "paid every hour for a year whether or not the servers run; a Standard RI cannot move to another family (a Graviton move would strand it: choose one of the two)",
			Basis:  fmt.Sprintf("%d × 730 h × ($%s on-demand − $%s reserved; %s)", n, po.USD, pc.USD, pc.Source)})
	}
	out.Skipped = append(out.Skipped,
		fmt.Sprintf("reserved Aurora (%s) and ElastiCache (%s) nodes, and every 3-year term: the catalog has no commitment price for them with a source (add aurora:postgres:CLASS:commit-1y and the like to cost/prices)", cfg.Shared.DBInstanceClass, cfg.Shared.CacheNodeType))
}

// drLever is the cheapest disaster-recovery strategy below the stack's own,
// with what it gives up.
func drLever(cfg *stacks.Config, cat *cost.Catalog, out *Recommendations) {
	var current *DROption
	opts := DROptions(cfg, cat)
	for i := range opts {
		if opts[i].Current {
			current = &opts[i]
		}
	}
	if current == nil {
		return
	}
	var best *DROption
	for i := range opts {
		o := &opts[i]
		if o.Current || o.Unpriced > 0 || !o.Monthly.LessThan(current.Monthly) || o.Strategy == "none" {
			continue
		}
		if best == nil || o.Monthly.LessThan(best.Monthly) {
			best = o
		}
	}
	if best == nil && current.Strategy != "none" && current.Monthly.IsPositive() {
		// Nothing cheaper still recovers: the lever is to stop copying.
		out.Levers = append(out.Levers, Lever{Name: "No cross-region disaster recovery", Saving: current.Monthly.Round(2),
			Change: cfg.StackFile + ": tenancy:drStrategy: none",
			Risk: fmt.Sprintf("no recovery from the loss of %s (now: RPO %s); %s is already the cheapest strategy that recovers. Point-in-time restore within the region stays",
				cfg.Region, current.RPO, current.Detail),
			Basis: "the report's disaster-recovery table"})
		return
	}
	if best == nil {
		return
	}
	out.Levers = append(out.Levers, Lever{Name: "A cheaper disaster-recovery schedule", Saving: current.Monthly.Sub(best.Monthly).Round(2),
		Change: fmt.Sprintf("%s: tenancy:drStrategy: %s (%s)", cfg.StackFile, best.Strategy, best.Detail),
		Risk:   fmt.Sprintf("the region-loss RPO becomes %s (now %s)", best.RPO, current.RPO),
		Basis:  "the report's disaster-recovery table"})
}

// cloneConfig copies what a lever may change: the shared sizes and the
// tenants' sizing.
func cloneConfig(cfg *stacks.Config) *stacks.Config {
	c := *cfg
	c.Tenants = append([]stacks.Tenant(nil), cfg.Tenants...)
	return &c
}

// WriteRecommendations prints the levers as a table (or markdown), then
// what could not be priced.
func WriteRecommendations(w io.Writer, r *Report, rec *Recommendations, markdown bool) {
	fmt.Fprintf(w, "Ways to spend less on stack %s (after: $%s a month), largest saving first\n\n", r.Stack, cost.FormatUSD(r.After.Total()))
	t := table.New([]string{"#", "lever", "saving a month", "change", "risk"}, 2)
	total := decimal.Zero
	for i, l := range rec.Levers {
		t.Add(fmt.Sprint(i+1), l.Name, cost.FormatUSD(l.Saving), l.Change, l.Risk)
		total = total.Add(l.Saving)
	}
	if markdown {
		t.Markdown(w)
	} else {
		t.Text(w, "")
	}
	fmt.Fprintf(w, "\nEach saving is measured alone against today's after; some exclude each other (a reserved m5 and a move to Graviton), so they do not add up to $%s.\n", cost.FormatUSD(total))
	fmt.Fprintln(w, "\nHow each saving was measured:")
	for i, l := range rec.Levers {
		fmt.Fprintf(w, "%d. %s: %s\n", i+1, l.Name, l.Basis)
	}
	if len(rec.Skipped) > 0 {
		fmt.Fprintln(w, "\nNot priced:")
		for _, s := range rec.Skipped {
			fmt.Fprintf(w, "- %s\n", s)
		}
	}
}
