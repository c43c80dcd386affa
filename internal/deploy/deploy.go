// Package deploy previews, updates and destroys the stacks of the tenants
// that have a stack of their own (ownStack in the registry), through the
// Automation API: each tenant's stack is named from the main stack and the
// tenant ("prod-oak-realty"), created on first use with the main stack's
// config plus tenancy:tenant, and run with bounded parallelism. One
// tenant's failure does not stop the others unless FailFast.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/tenancy-dev/tenancy/internal/table"
	"github.com/tenancy-dev/tenancy/program"
	"github.com/tenancy-dev/tenancy/stacks"
	"gopkg.in/yaml.v3"
)

// Operation is what deploy runs on each stack.
type Operation string

// The operations.
const (
	Preview Operation = "preview"
	Up      Operation = "up"
	Destroy Operation = "destroy"
)

// Options says what to run where.
type Options struct {
	Op       Operation
	Tenants  []string // the tenants to run; empty with AllOwnStacks
	All      bool     // every own-stack tenant of the registry
	Parallel int      // stacks run at once (at least 1)
	FailFast bool     // start no further stack after a failure (running ones finish)
	Progress io.Writer
}

// Result is how one tenant's stack fared.
type Result struct {
	Tenant, Stack string
	Outcome       string // succeeded, failed, skipped
	Changes       map[string]int
	Duration      time.Duration
	Err           error
}

// StackName is a tenant's own stack: the main stack's name and the tenant's.
func StackName(main, tenant string) string { return main + "-" + tenant }

// Select returns the own-stack tenants opts names, or an error that names
// the registry and the fix.
func Select(cfg *stacks.Config, opts Options) ([]stacks.Tenant, error) {
	own := map[string]stacks.Tenant{}
	var ids []string
	for _, t := range cfg.Tenants {
		if t.OwnStack {
			own[t.ID] = t
			ids = append(ids, t.ID)
		}
	}
	switch {
	case opts.All && len(opts.Tenants) > 0:
		return nil, errors.New("give --tenants or --all-own-stacks, not both")
	case opts.All:
		if len(ids) == 0 {
			return nil, fmt.Errorf("%s has no tenant with ownStack: true", cfg.RegistryFile)
		}
		out := make([]stacks.Tenant, len(ids))
		for i, id := range ids {
			out[i] = own[id]
		}
		return out, nil
	case len(opts.Tenants) == 0:
		return nil, errors.New("name the tenants (--tenants a,b) or take every own-stack tenant (--all-own-stacks)")
	}
	var out []stacks.Tenant
	for _, id := range opts.Tenants {
		t, ok := own[id]
		if !ok {
			known := false
			for _, r := range cfg.Tenants {
				known = known || r.ID == id
			}
			if known {
				return nil, fmt.Errorf("%s: tenant %s has no stack of its own (set placement: dedicated and ownStack: true on it; own-stack tenants: %s)",
					cfg.RegistryFile, id, strings.Join(ids, ", "))
			}
			return nil, fmt.Errorf("%s: no tenant %s (own-stack tenants: %s)", cfg.RegistryFile, id, strings.Join(ids, ", "))
		}
		out = append(out, t)
	}
	return out, nil
}

// Preflight finds the Pulumi CLI, checks the backend is logged in and that
// a passphrase is set where the backend needs one, before anything runs.
func Preflight(ctx context.Context, dir string) (auto.PulumiCommand, error) {
	cmd, err := auto.NewPulumiCommand(nil)
	if err != nil {
		return nil, fmt.Errorf("no Pulumi CLI on PATH (%v): install it from https://www.pulumi.com/docs/install/, or build the pinned one with scripts/engine-tools and put .engine-tools/bin on PATH", err)
	}
	ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(dir), auto.Pulumi(cmd))
	if err != nil {
		return nil, err
	}
	who, err := ws.WhoAmIDetails(ctx)
	if err != nil {
		return nil, fmt.Errorf("not logged in to a Pulumi backend: run `pulumi login` (Pulumi Cloud) or `pulumi login file://DIR` (a local backend), or set PULUMI_BACKEND_URL")
	}
	cloud := strings.Contains(who.URL, "pulumi.com")
	if !cloud && os.Getenv("PULUMI_CONFIG_PASSPHRASE") == "" && os.Getenv("PULUMI_CONFIG_PASSPHRASE_FILE") == "" {
		return nil, fmt.Errorf("the backend %s encrypts the stacks' secrets with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)", who.URL)
	}
	return cmd, nil
}

// Run runs opts.Op on each tenant's stack, at most opts.Parallel at once,
// and returns the results in the order of tenants.
func Run(ctx context.Context, cmd auto.PulumiCommand, cfg *stacks.Config, tenants []stacks.Tenant, opts Options) []Result {
	results := make([]Result, len(tenants))
	var (
		mu     sync.Mutex // stack creation and selection share the workspace's files
		failed bool
		wg     sync.WaitGroup
	)
	slots := make(chan struct{}, max(opts.Parallel, 1))
	progress := newProgress(opts.Progress)
	for i, t := range tenants {
		slots <- struct{}{}
		mu.Lock()
		stop := failed && opts.FailFast
		mu.Unlock()
		name := StackName(cfg.Stack, t.ID)
		if stop {
			results[i] = Result{Tenant: t.ID, Stack: name, Outcome: "skipped", Err: errors.New("not started: an earlier stack failed (--fail-fast)")}
			<-slots
			continue
		}
		wg.Add(1)
		go func(i int, t stacks.Tenant) {
			defer wg.Done()
			defer func() { <-slots }()
			start := time.Now()
			r := Result{Tenant: t.ID, Stack: name}
			r.Changes, r.Err = runOne(ctx, cmd, cfg, t.ID, name, opts.Op, &mu, progress)
			r.Duration = time.Since(start).Round(time.Millisecond)
			r.Outcome = "succeeded"
			if r.Err != nil {
				r.Outcome = "failed"
				mu.Lock()
				failed = true
				mu.Unlock()
			}
			progress.finish(t.ID, r.Outcome)
			results[i] = r
		}(i, t)
	}
	wg.Wait()
	return results
}

// runOne runs the operation on one tenant's stack.
func runOne(ctx context.Context, cmd auto.PulumiCommand, cfg *stacks.Config, tenant, name string, op Operation, mu *sync.Mutex,
	progress *progress) (map[string]int, error) {
	mu.Lock()
	s, err := openStack(ctx, cmd, cfg, tenant, name, op)
	mu.Unlock()
	if err != nil {
		return nil, err
	}
	ch := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range ch {
			switch {
			case e.ResourcePreEvent != nil:
				progress.step(tenant, 1, 0)
			case e.ResOutputsEvent != nil:
				progress.step(tenant, 0, 1)
			}
		}
	}()
	var changes map[string]int
	switch op {
	case Preview:
		var res auto.PreviewResult
		if res, err = s.Preview(ctx, optpreview.EventStreams(ch)); err == nil {
			changes = map[string]int{}
			for k, v := range res.ChangeSummary {
				changes[string(k)] = v
			}
		}
	case Up:
		var res auto.UpResult
		if res, err = s.Up(ctx, optup.EventStreams(ch)); err == nil && res.Summary.ResourceChanges != nil {
			changes = *res.Summary.ResourceChanges
		}
	case Destroy:
		var res auto.DestroyResult
		if res, err = s.Destroy(ctx, optdestroy.EventStreams(ch)); err == nil && res.Summary.ResourceChanges != nil {
			changes = *res.Summary.ResourceChanges
		}
	default:
		close(ch)
		err = fmt.Errorf("unknown operation %q", op)
	}
	<-done
	return changes, err
}

// openStack selects a tenant's stack, creating it (and its stack file, from
// the main stack's) on first use; destroy never creates one.
func openStack(ctx context.Context, cmd auto.PulumiCommand, cfg *stacks.Config, tenant, name string, op Operation) (auto.Stack, error) {
	wsOpts := []auto.LocalWorkspaceOption{auto.WorkDir(cfg.Dir), auto.Pulumi(cmd)}
	prog := program.InlineProgram(cfg.Dir)
	if op == Destroy {
		return auto.SelectStackInlineSource(ctx, name, cfg.Project, prog, wsOpts...)
	}
	if err := WriteStackFile(cfg, tenant, name); err != nil {
		return auto.Stack{}, err
	}
	return auto.UpsertStackInlineSource(ctx, name, cfg.Project, prog, wsOpts...)
}

// WriteStackFile writes Pulumi.<name>.yaml from the main stack's config
// plus tenancy:tenant, unless it exists: a file the team keeps is theirs.
// When the main stack owns the account baseline, the tenant's stack
// references it and leaves the security services to it (one per account).
func WriteStackFile(cfg *stacks.Config, tenant, name string) error {
	path := filepath.Join(cfg.Dir, "Pulumi."+name+".yaml")
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(cfg.Dir, cfg.StackFile))
	if err != nil {
		return err
	}
	var doc struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", cfg.StackFile, err)
	}
	if doc.Config == nil {
		doc.Config = map[string]any{}
	}
	doc.Config[stacks.Namespace+":tenant"] = tenant
	if cfg.BaselineHere() {
		doc.Config[stacks.Namespace+":accountBaselineStack"] = cfg.Stack
		doc.Config[stacks.Namespace+":securityServices"] = false
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# Stack %s: tenant %s's own stack, written by `tenancy deploy` from %s.\n", name, tenant, cfg.StackFile)
	return os.WriteFile(path, append([]byte(header), out...), 0o644)
}

// WriteTable writes the results: tenant, stack, result, changes, duration, error.
func WriteTable(w io.Writer, results []Result) {
	t := table.New([]string{"tenant", "stack", "result", "changes", "duration", "error"}, 4)
	for _, r := range results {
		msg := ""
		if r.Err != nil {
			msg = firstLine(r.Err)
		}
		t.Add(r.Tenant, r.Stack, r.Outcome, changeText(r.Changes), r.Duration.String(), msg)
	}
	t.Text(w, "")
}

// changeText writes changes as "+3 ~1 -0 =60" (create, update, delete, same).
func changeText(c map[string]int) string {
	if c == nil {
		return "–"
	}
	text := fmt.Sprintf("+%d ~%d -%d", c["create"], c["update"], c["delete"])
	if n := c["replace"]; n > 0 {
		text += fmt.Sprintf(" ±%d", n)
	}
	return text + fmt.Sprintf(" =%d", c["same"])
}

// firstLine is the line of an engine error that says what failed.
func firstLine(err error) string {
	lines := strings.Split(err.Error(), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "error:") && !strings.Contains(l, "update failed") && !strings.Contains(l, "preview failed") {
			return strings.TrimSpace(strings.TrimPrefix(l, "error:"))
		}
	}
	return strings.TrimSpace(lines[0])
}

// Succeeded says whether every stack succeeded.
func Succeeded(results []Result) bool {
	for _, r := range results {
		if r.Outcome != "succeeded" {
			return false
		}
	}
	return true
}

// progress prints a line per tenant as its resources complete: at most
// one a second per tenant, and its last.
type progress struct {
	w    io.Writer
	mu   sync.Mutex
	seen map[string]*count
}

type count struct {
	total, done int
	printed     time.Time
}

func newProgress(w io.Writer) *progress { return &progress{w: w, seen: map[string]*count{}} }

func (p *progress) step(tenant string, started, done int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counter(tenant)
	c.total += started
	c.done += done
	if time.Since(c.printed) >= time.Second {
		c.printed = time.Now()
		fmt.Fprintf(p.w, "%s: %d/%d resources\n", tenant, c.done, c.total)
	}
}

func (p *progress) finish(tenant, outcome string) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counter(tenant)
	fmt.Fprintf(p.w, "%s: %d/%d resources, %s\n", tenant, c.done, c.total, outcome)
}

// counter is a tenant's count; the caller holds p.mu.
func (p *progress) counter(tenant string) *count {
	c := p.seen[tenant]
	if c == nil {
		c = &count{}
		p.seen[tenant] = c
	}
	return c
}

// Status is a tenant's stack and its last update.
type Status struct {
	Tenant, Stack, Kind, Result, When string
	Changes                           map[string]int
}

// Statuses lists each own-stack tenant's stack and its last update ("not
// created" when it has none).
func Statuses(ctx context.Context, cmd auto.PulumiCommand, cfg *stacks.Config, tenants []stacks.Tenant) ([]Status, error) {
	ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(cfg.Dir), auto.Pulumi(cmd))
	if err != nil {
		return nil, err
	}
	existing, err := ws.ListStacks(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, s := range existing {
		have[s.Name] = true
	}
	out := make([]Status, 0, len(tenants))
	for _, t := range tenants {
		st := Status{Tenant: t.ID, Stack: StackName(cfg.Stack, t.ID), Kind: "not created", Result: "–", When: "–"}
		if have[st.Stack] {
			s, err := auto.SelectStackInlineSource(ctx, st.Stack, cfg.Project, program.InlineProgram(cfg.Dir), auto.WorkDir(cfg.Dir), auto.Pulumi(cmd))
			if err != nil {
				return nil, err
			}
			hist, err := s.History(ctx, 1, 1)
			if err != nil {
				return nil, err
			}
			st.Kind = "no update yet"
			if len(hist) > 0 {
				h := hist[0]
				st.Kind, st.Result, st.When = h.Kind, h.Result, h.StartTime
				if h.ResourceChanges != nil {
					st.Changes = *h.ResourceChanges
				}
			}
		}
		out = append(out, st)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Tenant < out[j].Tenant })
	return out, nil
}

// WriteStatuses writes the statuses as a table.
func WriteStatuses(w io.Writer, ss []Status) {
	t := table.New([]string{"tenant", "stack", "last update", "result", "when", "changes"})
	for _, s := range ss {
		changes := "–"
		if s.Changes != nil {
			changes = changeText(s.Changes)
		}
		t.Add(s.Tenant, s.Stack, s.Kind, s.Result, s.When, changes)
	}
	t.Text(w, "")
}
