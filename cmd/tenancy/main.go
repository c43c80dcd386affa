// Command tenancy runs the tenancy Pulumi program offline, under Pulumi mocks
// (no AWS account and no Pulumi CLI), and prices what it builds.
//
// `tenancy --help` lists the commands; each has its own --help.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/offline"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

type previewOptions struct {
	sf                     stackFlags
	asJSON, every, tenants bool
}

func previewCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o previewOptions
	return command("preview", "evaluate the program and print what the stack builds",
		"Evaluate the program under mocks and print the stack's resource tree, with counts by type and tenant;\n--json writes the plan in the shape of `pulumi preview --json` instead.",
		noArgs, func(fs *pflag.FlagSet) {
			o.sf.register(fs)
			fs.BoolVar(&o.asJSON, "json", false, "write the plan as 'pulumi preview --json' does")
			fs.BoolVar(&o.every, "resources", false, "list every resource in the tree, not only counts per component")
			fs.BoolVar(&o.tenants, "tenants", false, "show each tenant's component in the tree and the resources by tenant")
		}, func([]string) int { return o.run(stdout, stderr) }, code)
}

func (o *previewOptions) run(stdout, stderr io.Writer) int {
	cfg, code := o.sf.load(stderr)
	if cfg == nil {
		return code
	}
	plan, err := offline.Run(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy: %v\n", err)
		return exitRuntime
	}
	if o.asJSON {
		for _, w := range cfg.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
		if err := plan.WriteJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "tenancy: writing JSON: %v\n", err)
			return exitRuntime
		}
		return exitOK
	}
	plan.WriteText(stdout, offline.TextOptions{Resources: o.every, Tenants: o.tenants})
	return exitOK
}
