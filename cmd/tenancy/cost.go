package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/internal/vcs"
	"github.com/tenancy-dev/tenancy/stacks"
)

type costOptions struct {
	sf                                  stackFlags
	wf                                  whatIfFlags
	format, previewJSON, state, pricing string
	allowUnpriced, recommend            bool
}

// afterFiles are the flags that price a real Pulumi file as after.
func afterFiles(fs *pflag.FlagSet, previewJSON, state *string, what string) {
	fs.StringVar(previewJSON, "preview-json", "", what+" this `pulumi preview --json` file as after, instead of evaluating the program")
	fs.StringVar(state, "state", "", what+" this `pulumi stack export` file as after, instead of evaluating the program")
}

func costCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o costOptions
	c := command("cost", "price the stack a month, before and after consolidation",
		"Price the program's resources a month, before (every tenant dedicated) and after (the stack's topology)\n"+
			"on the same workload: line items, savings, payback, per type and per tenant. --preview-json/--state\n"+
			"price a real Pulumi file as after. Exits 4 when a component has no price (listed before the totals).",
		noArgs, func(fs *pflag.FlagSet) {
			o.sf.register(fs)
			o.wf.register(fs)
			enum(fs, &o.format, "format", "table", "the report's form; json is Infracost's (before as pastBreakdown, after as breakdown)", "table", "markdown", "json")
			afterFiles(fs, &o.previewJSON, &o.state, "price")
			fs.BoolVar(&o.allowUnpriced, "allow-unpriced", false, "exit 0 even when a component has no price (the report still lists it, as accepted)")
			fs.BoolVar(&o.recommend, "recommend", false, "list the levers that lower the after's monthly cost, largest first, each with its saving, risk and the exact change")
			enum(fs, &o.pricing, "pricing", "on-demand", "price the always-on baseline at a commitment term where the catalog has its price", stacks.PricingModes...)
		}, func([]string) int { return o.run(stdout, stderr) }, code)
	c.AddCommand(costDiffCommand(stdout, stderr, code), costExplainCommand(stdout, stderr, code), costCurveCommand(stdout, stderr, code))
	return c
}

func (o *costOptions) run(stdout, stderr io.Writer) int {
	sf, format, previewJSON, state, allowUnpriced := o.sf, &o.format, &o.previewJSON, &o.state, &o.allowUnpriced
	if *previewJSON != "" && *state != "" {
		fmt.Fprintln(stderr, "tenancy cost: give --preview-json or --state, not both")
		return exitUsage
	}
	load, err := o.wf.options(sf.topology)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
		return exitUsage
	}
	if msg := commitmentPriced(o.pricing); msg != "" {
		fmt.Fprintf(stderr, "tenancy cost: --pricing %s: %s\n", o.pricing, msg)
		return exitUsage
	}
	load.Pricing = o.pricing
	if (load.Tenants > 0 || len(load.Add) > 0) && (*previewJSON != "" || *state != "") {
		fmt.Fprintln(stderr, "tenancy cost: --tenants and --add grow the evaluated program; they cannot price a --preview-json or --state file")
		return exitUsage
	}
	cfg, code := sf.loadWith(stderr, load)
	if code != exitOK {
		return code
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	report, source, code := compareFor(&sf, *previewJSON, *state, "tenancy cost", stderr, load, cfg)
	if code != exitOK {
		return code
	}
	report.AfterSource, report.UnpricedAccepted = source, *allowUnpriced
	if o.recommend {
		return o.writeRecommendations(stdout, stderr, cfg, report)
	}
	switch *format {
	case "markdown":
		report.WriteMarkdown(stdout)
	case "json":
		report.VCS = vcs.Read(sf.dir)
		if err := report.WriteJSON(stdout, time.Now()); err != nil {
			fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
			return exitRuntime
		}
	default:
		report.WriteTable(stdout)
	}
	if gaps := report.Gaps(); len(gaps) > 0 {
		if *allowUnpriced {
			fmt.Fprintf(stderr, "tenancy cost: %d components have no price; accepted with --allow-unpriced\n", len(gaps))
			return exitOK
		}
		fmt.Fprintf(stderr, "tenancy cost: %d components have no price (first: %s); the totals are too low by an unknown amount. Add the prices to cost/prices, or pass --allow-unpriced\n", len(gaps), gaps[0])
		return exitUnpriced
	}
	return exitOK
}

// compareFor prices the stack before and after, after read from a `pulumi
// preview --json` or `pulumi stack export` file when one is given; it says
// which file was priced.
func compareFor(sf *stackFlags, previewJSON, state, cmd string, stderr io.Writer, load stacks.LoadOptions, after *stacks.Config) (*costing.Report, string, int) {
	opts := costing.CompareOptions{Topology: stacks.Topology(sf.topology), Tenants: load.Tenants, Add: load.Add, Pricing: load.Pricing, AfterConfig: after, Evaluate: offline.EvaluateScaled}
	source := ""
	for _, src := range []struct {
		path, kind string
		read       func(io.Reader) (*graph.Graph, error)
	}{{previewJSON, "`pulumi preview --json` file", graph.ReadPreviewJSON}, {state, "`pulumi stack export` file", graph.ReadStackExport}} {
		if src.path == "" {
			continue
		}
		f, err := os.Open(src.path)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
			return nil, "", exitRuntime
		}
		g, err := src.read(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s: %v\n", cmd, src.path, err)
			return nil, "", exitRuntime
		}
		opts.After = g
		source = fmt.Sprintf("the %s %s", src.kind, src.path)
	}
	report, err := costing.Compare(sf.dir, sf.stack, opts)
	if err != nil {
		var verr *stacks.ValidationError
		if errors.As(err, &verr) {
			fmt.Fprintf(stderr, "tenancy: %v\n", verr)
			return nil, "", exitInvalid
		}
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return nil, "", exitRuntime
	}
	return report, source, exitOK
}

// explainOptions: cost explain traces each named resource's monthly cost to
// quantities, unit prices and their sources.
type explainOptions struct {
	sf                         stackFlags
	format, previewJSON, state string
	before                     bool
}

func costExplainCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o explainOptions
	return command("explain RESOURCE...", "trace a resource's monthly cost to quantities, unit prices and their sources",
		"Trace each named resource's monthly cost (a URN, TYPE::NAME or a name): each component's quantity x unit\n"+
			"price, the workload it follows, the price's source and date.",
		func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{fmt.Errorf("name a resource: its URN or its name (e.g. shared-app)")}
			}
			return nil
		}, func(fs *pflag.FlagSet) {
			o.sf.register(fs)
			enum(fs, &o.format, "format", "table", "the explanation's form", "table", "json")
			fs.BoolVar(&o.before, "before", false, "explain the resource in the before (every tenant dedicated) instead of after")
			afterFiles(fs, &o.previewJSON, &o.state, "explain the resource in")
		}, func(args []string) int { return o.run(args, stdout, stderr) }, code)
}

func (o *explainOptions) run(args []string, stdout, stderr io.Writer) int {
	const cmd = "tenancy cost explain"
	sf, format, previewJSON, state, before := o.sf, &o.format, &o.previewJSON, &o.state, &o.before
	if *previewJSON != "" && *state != "" {
		fmt.Fprintln(stderr, cmd+": give --preview-json or --state, not both")
		return exitUsage
	}
	cfg, code := sf.load(stderr)
	if code != exitOK {
		return code
	}
	report, source, code := compareFor(&sf, *previewJSON, *state, cmd, stderr, stacks.LoadOptions{Topology: stacks.Topology(sf.topology)}, cfg)
	if code != exitOK {
		return code
	}
	est := report.After
	if *before {
		est = report.Before
	}
	var xs []costing.Explanation
	for _, q := range args {
		found := est.Find(q)
		if len(found) == 0 {
			msg := fmt.Sprintf("%s: no cloud resource of %s (%s) is named %q", cmd, sf.stack, est.Label, q)
			if near := est.Suggest(q, 5); len(near) > 0 {
				msg += "; did you mean " + strings.Join(near, ", ") + "?"
			} else {
				msg += "; give a URN from `tenancy cost --format json` or a resource name from `tenancy preview`"
			}
			fmt.Fprintln(stderr, msg)
			return exitInvalid
		}
		for _, r := range found {
			xs = append(xs, est.Explain(r))
		}
	}
	if source != "" {
		fmt.Fprintf(stderr, "%s: after read from %s\n", cmd, source)
	}
	if *format == "json" {
		if err := costing.WriteExplanationsJSON(stdout, xs); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
			return exitInvalid
		}
		return exitOK
	}
	costing.WriteExplanations(stdout, xs)
	return exitOK
}

// commitmentPriced refuses a commitment term the catalog has no price of
// at all: "" when the term can be priced (or is on-demand).
func commitmentPriced(term string) string {
	if term == "" || term == "on-demand" {
		return ""
	}
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return err.Error()
	}
	for _, region := range cat.Regions() {
		for _, k := range cat.Keys(region) {
			if k.Option == term {
				return ""
			}
		}
	}
	return fmt.Sprintf("the price catalog has no %s price at all, so nothing could be repriced; add one (e.g. ec2:instance:m5.2xlarge:%s) to cost/prices with its source", term, term)
}

// writeRecommendations prints the levers for the stack's after.
func (o *costOptions) writeRecommendations(stdout, stderr io.Writer, cfg *stacks.Config, report *costing.Report) int {
	cat, err := cost.DefaultCatalog()
	if err != nil {
		fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
		return exitRuntime
	}
	rec, err := costing.Recommend(cfg, report.After, cat, offline.EvaluateScaled)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
		return exitRuntime
	}
	if o.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rec); err != nil {
			fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
			return exitRuntime
		}
		return exitOK
	}
	costing.WriteRecommendations(stdout, report, rec, o.format == "markdown")
	return exitOK
}
