package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/stacks"
)

func costCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "diff" {
		return costDiffCmd(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "explain" {
		return costExplainCmd(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("cost", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf stackFlags
	sf.register(fs)
	format := fs.String("format", "table", "table, markdown or json (Infracost's JSON: before as pastBreakdown, after as breakdown)")
	previewJSON := fs.String("preview-json", "", "price this `pulumi preview --json` file as after, instead of evaluating the program")
	state := fs.String("state", "", "price this `pulumi stack export` file as after, instead of evaluating the program")
	allowUnpriced := fs.Bool("allow-unpriced", false, "exit 0 even when a component has no price (the report still lists it, as accepted)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tenancy cost: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *format != "table" && *format != "markdown" && *format != "json" {
		fmt.Fprintf(stderr, "tenancy cost: --format %q: use table, markdown or json\n", *format)
		return exitUsage
	}
	if *previewJSON != "" && *state != "" {
		fmt.Fprintln(stderr, "tenancy cost: give --preview-json or --state, not both")
		return exitUsage
	}
	if _, code := sf.load(stderr); code != exitOK {
		return code
	}
	report, source, code := compareFor(&sf, *previewJSON, *state, "tenancy cost", stderr)
	if code != exitOK {
		return code
	}
	report.AfterSource, report.UnpricedAccepted = source, *allowUnpriced
	switch *format {
	case "markdown":
		report.WriteMarkdown(stdout)
	case "json":
		if err := report.WriteJSON(stdout, time.Now()); err != nil {
			fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
			return exitInvalid
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
func compareFor(sf *stackFlags, previewJSON, state, cmd string, stderr io.Writer) (*costing.Report, string, int) {
	opts := costing.CompareOptions{Topology: stacks.Topology(sf.topology), Evaluate: offline.Evaluate}
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
			return nil, "", exitInvalid
		}
		g, err := src.read(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s: %v\n", cmd, src.path, err)
			return nil, "", exitInvalid
		}
		opts.After = g
		source = fmt.Sprintf("the %s %s", src.kind, src.path)
	}
	report, err := costing.Compare(sf.dir, sf.stack, opts)
	if err != nil {
		var verr *stacks.ValidationError
		if errors.As(err, &verr) {
			fmt.Fprintf(stderr, "tenancy: %v\n", verr)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		}
		return nil, "", exitInvalid
	}
	return report, source, exitOK
}

// costExplainCmd traces each named resource's monthly cost to quantities,
// unit prices and their sources.
func costExplainCmd(args []string, stdout, stderr io.Writer) int {
	const cmd = "tenancy cost explain"
	fs := flag.NewFlagSet("cost explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf stackFlags
	sf.register(fs)
	format := fs.String("format", "table", "table or json")
	before := fs.Bool("before", false, "explain the resource in the before (every tenant dedicated) instead of after")
	previewJSON := fs.String("preview-json", "", "explain the resource in this `pulumi preview --json` file (after)")
	state := fs.String("state", "", "explain the resource in this `pulumi stack export` file (after)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, cmd+": name a resource: its URN or its name (e.g. shared-app)")
		return exitUsage
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "%s: --format %q: use table or json\n", cmd, *format)
		return exitUsage
	}
	if *previewJSON != "" && *state != "" {
		fmt.Fprintln(stderr, cmd+": give --preview-json or --state, not both")
		return exitUsage
	}
	if _, code := sf.load(stderr); code != exitOK {
		return code
	}
	report, source, code := compareFor(&sf, *previewJSON, *state, cmd, stderr)
	if code != exitOK {
		return code
	}
	est := report.After
	if *before {
		est = report.Before
	}
	var xs []costing.Explanation
	for _, q := range fs.Args() {
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
