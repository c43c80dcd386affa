// Command tenancy runs the tenancy Pulumi program offline, under Pulumi mocks
// (no AWS account and no Pulumi CLI), and prices what it builds.
//
//	tenancy preview --stack prod [--topology multi-instance] [--json] [--resources] [--dir .]
//	tenancy cost --stack prod [--format table|markdown|json] [--preview-json FILE | --state FILE]
//	tenancy cost explain --stack prod [--before] RESOURCE...
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/stacks"
)

// Exit codes.
const (
	exitOK       = 0
	exitInvalid  = 1 // bad stack config or registry, or the program failed
	exitUsage    = 2 // bad command line
	exitUnpriced = 4 // a cost report holds components with no price (cost, cost diff)
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `tenancy: run the tenancy Pulumi program offline (Pulumi mocks; no AWS account, no Pulumi CLI)

usage:
  tenancy preview --stack NAME [--topology multi-instance|multi-tenant|hybrid] [--json] [--resources] [--dir DIR]
  tenancy cost    --stack NAME [--topology T] [--format table|markdown|json] [--preview-json FILE | --state FILE]
                  [--allow-unpriced] [--dir DIR]
  tenancy cost diff --base BASE.json --head HEAD.json | --against REF [--format markdown|json|table]
                    [--fail-on-increase-usd N] [--fail-on-increase-percent P] [--no-budgets]
                    [--allow-unpriced] [--json-file FILE] [--dir DIR]
  tenancy cost explain --stack NAME [--topology T] [--before] [--preview-json FILE | --state FILE]
                       [--format table|json] [--dir DIR] RESOURCE...
  tenancy prices refresh --region REGION [--dir DIR]
  tenancy policy check --stack NAME [--topology T] [--preview-json FILE] [--dir DIR]

  preview   evaluate the program and print the resource tree with counts by type and tenant;
            --json writes the plan in the shape of 'pulumi preview --json' instead
  cost      price the program's resources a month, before (every tenant dedicated) and after
            (the stack's topology) on the same workload: line items, savings, payback, per type
            and per tenant; --preview-json/--state price a real Pulumi file as after;
            exits 4 when a component has no price (listed before the totals)
  cost diff compare two cost reports, or every stack with a git ref, as a pull-request comment;
            exits 3 when a guardrail (an increase, a stack's budget) is crossed, and 4 when
            either side holds a component with no price (it wins over 3: the figures are off)
  cost explain
            trace a resource's monthly cost (a URN, TYPE::NAME or a name): each component's
            quantity x unit price, the workload it follows, the price's source and date
  policy    check the security and data-safety rules (the policy pack's) on the stack or a
            'pulumi preview --json'; exits 1 on any mandatory violation
  prices    rebuild cost/prices/<region>.json from the AWS Price List Query API (needs credentials)
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "preview":
		return preview(args[1:], stdout, stderr)
	case "cost":
		return costCmd(args[1:], stdout, stderr)
	case "prices":
		return pricesCmd(args[1:], stdout, stderr)
	case "policy":
		return policyCmd(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "tenancy: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// stackFlags are the flags every command that loads a stack takes.
type stackFlags struct {
	stack, dir, topology string
}

func (f *stackFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.stack, "stack", "", "stack name: reads Pulumi.<stack>.yaml and its tenant registry (required)")
	fs.StringVar(&f.dir, "dir", ".", "the project folder (where Pulumi.yaml is)")
	fs.StringVar(&f.topology, "topology", "", "override the stack's topology: multi-instance, multi-tenant or hybrid")
}

// load validates the flags and loads the stack config.
func (f *stackFlags) load(stderr io.Writer) (*stacks.Config, int) {
	if f.stack == "" {
		fmt.Fprintln(stderr, "tenancy: --stack is required (e.g. --stack prod)")
		return nil, exitUsage
	}
	opts := stacks.LoadOptions{}
	if f.topology != "" {
		ok := false
		for _, t := range stacks.Topologies {
			ok = ok || string(t) == f.topology
		}
		if !ok {
			fmt.Fprintf(stderr, "tenancy: --topology %q: use multi-instance, multi-tenant or hybrid\n", f.topology)
			return nil, exitUsage
		}
		opts.Topology = stacks.Topology(f.topology)
	}
	cfg, err := stacks.Load(f.dir, f.stack, opts)
	if err != nil {
		var verr *stacks.ValidationError
		if errors.As(err, &verr) {
			fmt.Fprintf(stderr, "tenancy: %v\n", verr)
		} else {
			fmt.Fprintf(stderr, "tenancy: %v\n", err)
		}
		return nil, exitInvalid
	}
	return cfg, exitOK
}

func preview(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf stackFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "write the plan as 'pulumi preview --json' does")
	every := fs.Bool("resources", false, "list every resource in the tree, not only counts per component")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tenancy preview: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, code := sf.load(stderr)
	if cfg == nil {
		return code
	}
	plan, err := offline.Run(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy: %v\n", err)
		return exitInvalid
	}
	if *asJSON {
		for _, w := range cfg.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
		if err := plan.WriteJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "tenancy: writing JSON: %v\n", err)
			return exitInvalid
		}
		return exitOK
	}
	plan.WriteText(stdout, *every)
	return exitOK
}
