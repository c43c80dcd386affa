package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/deploy"
)

// deployOptions: tenancy deploy preview|up|destroy --stack S (--tenants a,b | --all-own-stacks) [--parallel N] [--fail-fast]
type deployOptions struct {
	sf       stackFlags
	tenants  []string
	all      bool
	parallel int
	failFast bool
}

func (o *deployOptions) register(fs *pflag.FlagSet) {
	o.sf.register(fs)
	fs.StringSliceVar(&o.tenants, "tenants", nil, "the own-stack tenants to run, by id (a,b)")
	fs.BoolVar(&o.all, "all-own-stacks", false, "run every tenant with ownStack: true in the registry")
	fs.IntVar(&o.parallel, "parallel", 4, "stacks run at once")
	fs.BoolVar(&o.failFast, "fail-fast", false, "start no further stack after one fails (running ones finish)")
}

func deployCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	op := func(op deploy.Operation, short string) *cobra.Command {
		var o deployOptions
		return command(string(op), short,
			"Run `pulumi "+string(op)+"` on the own stacks of the tenants (ownStack: true in the registry) through the\n"+
				"Automation API: each stack is <main stack>-<tenant>, created on first use from the main stack's config plus\n"+
				"tenancy:tenant. Stacks run in parallel (--parallel); one failure does not stop the others unless\n"+
				"--fail-fast. Prints a line per tenant as its resources complete, then a table. Exits 5 unless every\n"+
				"stack succeeded. The main stack is `pulumi up`'s as ever; deploy runs the tenants' stacks beside it.",
			noArgs, o.register, func([]string) int { return o.run(op, stdout, stderr) }, code)
	}
	var status deployOptions
	statusCmd := command("status", "list the tenants' own stacks and their last update",
		"List each own-stack tenant's stack and its last update (kind, result, when, changes).",
		noArgs, func(fs *pflag.FlagSet) { status.sf.register(fs) }, func([]string) int { return status.status(stdout, stderr) }, code)
	return group("deploy", "preview, update or destroy the tenants' own stacks",
		op(deploy.Preview, "preview the tenants' own stacks"), op(deploy.Up, "update the tenants' own stacks"),
		op(deploy.Destroy, "destroy the tenants' own stacks"), statusCmd)
}

func (o *deployOptions) run(op deploy.Operation, stdout, stderr io.Writer) int {
	if o.parallel < 1 {
		fmt.Fprintf(stderr, "tenancy deploy: --parallel %d: run at least one stack at a time (e.g. --parallel 4)\n", o.parallel)
		return exitUsage
	}
	cfg, code := o.sf.load(stderr)
	if cfg == nil {
		return code
	}
	opts := deploy.Options{Op: op, Tenants: o.tenants, All: o.all, Parallel: o.parallel, FailFast: o.failFast, Progress: stdout}
	tenants, err := deploy.Select(cfg, opts)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy deploy: %v\n", err)
		return exitUsage
	}
	ctx := context.Background()
	cmd, err := deploy.Preflight(ctx, cfg.Dir)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy deploy: %v; nothing was run\n", err)
		return exitRuntime
	}
	results := deploy.Run(ctx, cmd, cfg, tenants, opts)
	fmt.Fprintln(stdout)
	deploy.WriteTable(stdout, results)
	if !deploy.Succeeded(results) {
		return exitRuntime
	}
	return exitOK
}

func (o *deployOptions) status(stdout, stderr io.Writer) int {
	cfg, code := o.sf.load(stderr)
	if cfg == nil {
		return code
	}
	tenants, err := deploy.Select(cfg, deploy.Options{All: true})
	if err != nil {
		fmt.Fprintf(stderr, "tenancy deploy status: %v\n", err)
		return exitUsage
	}
	ctx := context.Background()
	cmd, err := deploy.Preflight(ctx, cfg.Dir)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy deploy status: %v\n", err)
		return exitRuntime
	}
	ss, err := deploy.Statuses(ctx, cmd, cfg, tenants)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy deploy status: %v\n", err)
		return exitRuntime
	}
	deploy.WriteStatuses(stdout, ss)
	return exitOK
}
