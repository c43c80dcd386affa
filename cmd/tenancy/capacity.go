package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/table"
	"github.com/tenancy-dev/tenancy/stacks"
)

type capacityOptions struct {
	sf             stackFlags
	wf             whatIfFlags
	format, sizing string
}

func capacityCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o capacityOptions
	return command("capacity", "each resource's demand at the tenants' peak against its capacity",
		"Compute each shared and dedicated resource's demand at the tenants' peak (tenants/usage.yaml) and the\n"+
			"capacity of its size: headroom, verdict and the smallest size that fits. Exits 1 when a demand is over\n"+
			"its capacity (the preview refuses such a stack). docs/capacity.md explains each measure.",
		noArgs, func(fs *pflag.FlagSet) {
			o.sf.register(fs)
			o.wf.register(fs)
			enum(fs, &o.format, "format", "table", "the report's form", "table", "markdown", "json")
			enum(fs, &o.sizing, "sizing", "", "override tenancy:sizing: fixed shows the configured sizes as they are", stacks.SizingModes...)
		}, func([]string) int { return o.run(stdout, stderr) }, code)
}

// capacityRow is one check as the JSON report writes it.
type capacityRow struct {
	Owner    string  `json:"owner"`
	Resource string  `json:"resource"`
	Size     string  `json:"size"`
	Unit     string  `json:"unit"`
	Demand   float64 `json:"demand"`
	Capacity float64 `json:"capacity,omitempty"`
	Headroom float64 `json:"headroomPercent"`
	Verdict  string  `json:"verdict"`
	Fits     string  `json:"fits,omitempty"`
	Setting  string  `json:"setting,omitempty"`
	NoFit    string  `json:"noFit,omitempty"`
	Basis    string  `json:"basis"`
}

func (o *capacityOptions) run(stdout, stderr io.Writer) int {
	opts, err := o.wf.options(o.sf.topology)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy capacity: %v\n", err)
		return exitUsage
	}
	opts.Sizing, opts.KeepOverCapacity = o.sizing, true
	cfg, code := o.sf.loadWith(stderr, opts)
	if cfg == nil {
		return code
	}
	checks, err := stacks.Capacity(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy capacity: %v\n", err)
		return exitRuntime
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	switch o.format {
	case "json":
		if err := writeCapacityJSON(stdout, cfg, checks); err != nil {
			fmt.Fprintf(stderr, "tenancy capacity: %v\n", err)
			return exitRuntime
		}
	default:
		writeCapacityTable(stdout, cfg, checks, o.format == "markdown")
	}
	if len(cfg.OverCapacity) > 0 {
		fmt.Fprintf(stderr, "tenancy capacity: %d resources are over capacity; the preview refuses the stack:\n", len(cfg.OverCapacity))
		for _, p := range cfg.OverCapacity {
			fmt.Fprintf(stderr, "  - %s\n", p)
		}
		return exitInvalid
	}
	return exitOK
}

func rowOf(cfg *stacks.Config, k stacks.Check) capacityRow {
	return capacityRow{Owner: k.Owner, Resource: k.Resource, Size: k.Size, Unit: k.Unit, Demand: round(k.Demand), Capacity: round(k.Capacity),
		Headroom: round(100 * k.Headroom()), Verdict: k.Verdict(cfg.HeadroomPercent), Fits: k.FitsSize(), Setting: k.FitsSetting(), NoFit: k.NoFit, Basis: k.Basis}
}

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

func writeCapacityJSON(w io.Writer, cfg *stacks.Config, checks []stacks.Check) error {
	doc := struct {
		Stack           string        `json:"stack"`
		Topology        string        `json:"topology"`
		Sizing          string        `json:"sizing"`
		HeadroomPercent int           `json:"headroomPercent"`
		Sized           []string      `json:"sized"`
		Checks          []capacityRow `json:"checks"`
	}{cfg.Stack, string(cfg.Topology), cfg.SizingMode, cfg.HeadroomPercent, append([]string{}, cfg.Sized...), []capacityRow{}}
	for _, k := range checks {
		doc.Checks = append(doc.Checks, rowOf(cfg, k))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func writeCapacityTable(w io.Writer, cfg *stacks.Config, checks []stacks.Check, markdown bool) {
	fmt.Fprintf(w, "Capacity of stack %s (%s, %d tenants), sizing %s, headroom %d%%, at the tenants' peak\n\n",
		cfg.Stack, cfg.Topology, len(cfg.Tenants), cfg.SizingMode, cfg.HeadroomPercent)
	t := table.New([]string{"Owner", "Resource", "Size", "Demand", "Capacity", "Headroom", "Verdict", "Size that fits"}, 3, 4, 5)
	for _, k := range checks {
		r := rowOf(cfg, k)
		capacity, headroom := fmt.Sprintf("%s %s", stacks.FormatQuantity(k.Capacity), k.Unit), fmt.Sprintf("%.0f%%", r.Headroom)
		if k.Elastic {
			capacity, headroom = "scales", "-"
		}
		fits := k.FitsSize()
		if k.NoFit != "" {
			fits = "none in the family"
		}
		t.Add(k.Owner, k.Resource, k.Size, fmt.Sprintf("%s %s", stacks.FormatQuantity(k.Demand), k.Unit), capacity, headroom, r.Verdict, fits)
	}
	if markdown {
		t.Markdown(w)
	} else {
		t.Text(w, "")
	}
	if len(cfg.Sized) > 0 {
		fmt.Fprintln(w, "\nSized automatically (tenancy:sizing: auto; each configured size is the floor):")
		for _, s := range cfg.Sized {
			fmt.Fprintf(w, "- %s\n", s)
		}
	}
	fmt.Fprintln(w, "\nHow each demand is computed:")
	seen := map[string]bool{}
	for _, k := range checks {
		if key := k.Resource + ": " + k.Basis; !seen[key] {
			seen[key] = true
			fmt.Fprintf(w, "- %s\n", key)
		}
	}
}
