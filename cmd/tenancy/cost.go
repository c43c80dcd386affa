package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

func costCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "diff" {
		return costDiffCmd(args[1:], stdout, stderr)
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
	opts := costing.CompareOptions{Topology: stacks.Topology(sf.topology)}
	source := ""
	for _, src := range []struct {
		path, kind string
		read       func(io.Reader) (*graph.Graph, error)
	}{{*previewJSON, "`pulumi preview --json` file", graph.ReadPreviewJSON}, {*state, "`pulumi stack export` file", graph.ReadStackExport}} {
		if src.path == "" {
			continue
		}
		f, err := os.Open(src.path)
		if err != nil {
			fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
			return exitInvalid
		}
		g, err := src.read(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "tenancy cost: %s: %v\n", src.path, err)
			return exitInvalid
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
			fmt.Fprintf(stderr, "tenancy cost: %v\n", err)
		}
		return exitInvalid
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
