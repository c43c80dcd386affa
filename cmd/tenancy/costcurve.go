package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/curve"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/stacks"
)

type curveOptions struct {
	sf               stackFlags
	from, to, points int
	format, out      string
}

func costCurveCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o curveOptions
	return command("curve", "monthly cost and cost per tenant along the tenant count, and the break-even",
		"Price the stack at tenant counts from --from to --to (the registry's tier and placement mix, synthetic\n"+
			"ids, each sized from its peak), every tenant dedicated and in the stack's topology, and find the\n"+
			"break-even: the count from which the topology costs less per tenant. --format svg draws the chart.",
		noArgs, func(fs *pflag.FlagSet) {
			o.sf.register(fs)
			fs.IntVar(&o.from, "from", 10, "the smallest tenant count")
			fs.IntVar(&o.to, "to", 2000, "the largest tenant count")
			fs.IntVar(&o.points, "points", 12, "tenant counts along the range, spaced on a log scale")
			enum(fs, &o.format, "format", "table", "the curve's form", "table", "json", "csv", "svg")
			fs.StringVar(&o.out, "out", "", "write to this file instead of stdout")
		}, func([]string) int { return o.run(stdout, stderr) }, code)
}

func (o *curveOptions) run(stdout, stderr io.Writer) int {
	const cmd = "tenancy cost curve"
	counts, err := curve.Counts(o.from, o.to, o.points)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return exitUsage
	}
	cfg, code := o.sf.load(stderr)
	if cfg == nil {
		return code
	}
	topology := cfg.Topology
	price := func(n int) (curve.Point, error) {
		r, err := costing.Compare(o.sf.dir, o.sf.stack, costing.CompareOptions{Topology: topology, Tenants: n, Evaluate: offline.EvaluateScaled})
		if err != nil {
			return curve.Point{}, err
		}
		if gaps := r.Gaps(); len(gaps) > 0 {
			return curve.Point{}, fmt.Errorf("%d components have no price (first: %s)", len(gaps), gaps[0])
		}
		return curve.Point{Tenants: n, Before: r.Before.Total(), After: r.After.Total()}, nil
	}
	c, err := curve.Build(counts, price)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		var verr *stacks.ValidationError
		if errors.As(err, &verr) {
			return exitInvalid
		}
		return exitRuntime
	}
	c.Stack, c.Topology = o.sf.stack, string(topology)
	w := stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
			return exitRuntime
		}
		defer f.Close()
		w = f
	}
	switch o.format {
	case "json":
		err = c.WriteJSON(w)
	case "csv":
		err = c.WriteCSV(w)
	case "svg":
		c.WriteSVG(w)
	default:
		c.WriteTable(w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return exitRuntime
	}
	if o.out != "" {
		fmt.Fprintf(stderr, "%s: wrote %s; %s\n", cmd, o.out, c.Summary())
	}
	return exitOK
}
