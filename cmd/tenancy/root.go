package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/stacks"
)

// Exit codes, the only ones the command returns (README: "Exit codes").
const (
	exitOK        = 0
	exitInvalid   = 1 // the stack config or registry is invalid, or a policy check found a mandatory violation
	exitUsage     = 2 // bad command line: unknown command or flag, a bad flag value, a stray argument
	exitGuardrail = 3 // a cost guardrail was crossed (cost diff)
	exitUnpriced  = 4 // a cost report holds components with no price (cost, cost diff)
	exitRuntime   = 5 // the work itself failed: a file, a git ref, AWS credentials, the program
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

// usageError marks an error of the command line (exit 2).
type usageError struct{ error }

// enumFlag is a string flag that takes one of a fixed set of values: every
// enum flag is checked here, when the command line is parsed.
type enumFlag struct {
	value   *string
	allowed []string
}

func (e enumFlag) String() string { return *e.value }
func (e enumFlag) Type() string   { return "string" }
func (e enumFlag) Set(s string) error {
	for _, a := range e.allowed {
		if s == a {
			*e.value = s
			return nil
		}
	}
	return fmt.Errorf("%q: use %s", s, strings.Join(e.allowed, ", "))
}

// enum declares an enum flag with its default and help.
func enum(fs *pflag.FlagSet, p *string, name, def, help string, allowed ...string) {
	*p = def
	fs.Var(enumFlag{value: p, allowed: allowed}, name, help+" ("+strings.Join(allowed, "|")+")")
}

// stackFlags are the flags every command that loads a stack takes.
type stackFlags struct {
	stack, dir, topology string
}

func (f *stackFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.stack, "stack", "", "stack name: reads Pulumi.<stack>.yaml and its tenant registry (required)")
	fs.StringVar(&f.dir, "dir", ".", "the project folder (where Pulumi.yaml is)")
	topologies := make([]string, len(stacks.Topologies))
	for i, t := range stacks.Topologies {
		topologies[i] = string(t)
	}
	enum(fs, &f.topology, "topology", "", "evaluate the stack as another topology (a what-if)", topologies...)
}

// load loads the stack config; --stack is required.
func (f *stackFlags) load(stderr io.Writer) (*stacks.Config, int) {
	return f.loadWith(stderr, stacks.LoadOptions{Topology: stacks.Topology(f.topology)})
}

// loadWith loads the stack config with what-if options.
func (f *stackFlags) loadWith(stderr io.Writer, opts stacks.LoadOptions) (*stacks.Config, int) {
	if f.stack == "" {
		fmt.Fprintln(stderr, "tenancy: --stack is required (e.g. --stack prod)")
		return nil, exitUsage
	}
	cfg, err := stacks.Load(f.dir, f.stack, opts)
	if err != nil {
		// Invalid, or missing: either way the stack config cannot be used.
		fmt.Fprintf(stderr, "tenancy: %v\n", err)
		return nil, exitInvalid
	}
	return cfg, exitOK
}

// command is a leaf command: its flags are bound to an options struct, and
// run returns the exit code.
func command(use, short, long string, args cobra.PositionalArgs, flags func(*pflag.FlagSet), run func(args []string) int, code *int) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Long: long, Args: args, SilenceUsage: true, SilenceErrors: true,
		RunE: func(_ *cobra.Command, args []string) error { *code = run(args); return nil }}
	if flags != nil {
		flags(c.Flags())
	}
	return c
}

// group is a command that only holds subcommands.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: noArgs, SilenceUsage: true, SilenceErrors: true, SuggestionsMinimumDistance: 2,
		RunE: func(c *cobra.Command, _ []string) error {
			return usageError{fmt.Errorf("%s needs a subcommand: %s", c.CommandPath(), names(c))}
		}}
	c.AddCommand(subs...)
	return c
}

func names(c *cobra.Command) string {
	var out []string
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() {
			out = append(out, s.Name())
		}
	}
	return strings.Join(out, ", ")
}

// noArgs refuses stray arguments.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		if len(c.Commands()) > 0 {
			msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, ", ") + "?"
			}
			return usageError{errors.New(msg)}
		}
		return usageError{fmt.Errorf("unexpected argument %q", args[0])}
	}
	return nil
}

// newRoot builds the command tree; code receives the leaf's exit code.
func newRoot(stdout, stderr io.Writer, code *int) *cobra.Command {
	root := &cobra.Command{
		Use:   "tenancy",
		Short: "run the tenancy Pulumi program offline, price it, and check it",
		Long: `tenancy evaluates the tenancy Pulumi program offline (Pulumi mocks: no AWS account,
no Pulumi CLI), prices what it builds before and after consolidation, compares
cost reports for a pull request, checks the security and data-safety rules, and
deploys the tenants' own stacks through the Pulumi engine.

Exit codes: 0 success; 1 invalid stack config or registry, or a mandatory policy
violation; 2 bad command line; 3 a cost guardrail crossed; 4 a component with no
price; 5 a runtime failure (a file, a git ref, AWS credentials, the program).`,
		Version:                    version,
		Args:                       noArgs,
		SuggestionsMinimumDistance: 2,
		SilenceUsage:               true,
		SilenceErrors:              true,
		RunE: func(c *cobra.Command, _ []string) error {
			c.SetOut(stderr)
			_ = c.Help()
			*code = exitUsage
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(previewCommand(stdout, stderr, code), costCommand(stdout, stderr, code), capacityCommand(stdout, stderr, code),
		group("policy", "check the security and data-safety rules", policyCheckCommand(stdout, stderr, code)),
		group("prices", "maintain the price catalog", pricesRefreshCommand(stdout, stderr, code)),
		deployCommand(stdout, stderr, code), dbCommand(stdout, stderr, code), migrateCommand(stdout, stderr, code),
		tenantCommand(stdout, stderr, code))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	return root
}

// run is the command's tested entry point.
func run(args []string, stdout, stderr io.Writer) int {
	code := exitOK
	root := newRoot(stdout, stderr, &code)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		fmt.Fprintf(stderr, "tenancy: %v\n", err)
		var u usageError
		if errors.As(err, &u) || strings.HasPrefix(err.Error(), "unknown command") || strings.Contains(err.Error(), "flag") {
			fmt.Fprintln(stderr, "Run 'tenancy --help' for usage.")
			return exitUsage
		}
		return exitRuntime
	}
	return code
}
