package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/costdiff"
	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/stacks"
)

type decimalFlag struct{ v *decimal.Decimal }

func (d *decimalFlag) String() string {
	if d.v == nil {
		return ""
	}
	return d.v.String()
}
func (d *decimalFlag) Type() string { return "number" }
func (d *decimalFlag) Set(s string) error {
	v, err := decimal.NewFromString(s)
	if err != nil || v.IsNegative() {
		return fmt.Errorf("%q is not a non-negative number", s)
	}
	d.v = &v
	return nil
}

type diffOptions struct {
	base, head                     []string
	against, dir, format, jsonFile string
	maxUSD, maxPct                 decimalFlag
	noBudgets, allowUnpriced       bool
}

func costDiffCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o diffOptions
	return command("diff", "compare cost reports, or every stack with a git ref, as a pull-request comment",
		"Compare two sets of cost reports (tenancy cost --format json), or every stack of the working tree with the\n"+
			"same stacks at a git ref, as a pull-request comment. Exits 3 when a guardrail (an increase, a stack's\n"+
			"budget) is crossed, and 4 when either side holds a component with no price (it wins over 3).",
		noArgs, func(fs *pflag.FlagSet) {
			fs.StringArrayVar(&o.base, "base", nil, "a cost report of the baseline (tenancy cost --format json); repeat for more stacks")
			fs.StringArrayVar(&o.head, "head", nil, "a cost report of the change; repeat for more stacks")
			fs.StringVar(&o.against, "against", "", "a git ref: compare every stack of the working tree with the same stacks at this ref")
			fs.StringVar(&o.dir, "dir", ".", "the project folder (with --against)")
			enum(fs, &o.format, "format", "markdown", "markdown is the pull-request comment", "markdown", "json", "table")
			fs.Var(&o.maxUSD, "fail-on-increase-usd", "exit 3 when the monthly increase over all stacks is more than this many dollars")
			fs.Var(&o.maxPct, "fail-on-increase-percent", "exit 3 when the monthly increase over all stacks is more than this percent of the baseline")
			fs.BoolVar(&o.noBudgets, "no-budgets", false, "do not fail when a stack goes over its tenancy:monthlyBudgetUsd")
			fs.StringVar(&o.jsonFile, "json-file", "", "also write the diff as JSON to this file (for a CI artifact)")
			fs.BoolVar(&o.allowUnpriced, "allow-unpriced", false, "do not exit 4 when either side holds a component with no price (the comment still lists it)")
		}, func([]string) int { return o.run(stdout, stderr) }, code)
}

func (o *diffOptions) run(stdout, stderr io.Writer) int {
	base, head, against, dir, format, jsonFile := o.base, o.head, &o.against, &o.dir, &o.format, &o.jsonFile
	maxUSD, maxPct, noBudgets, allowUnpriced := o.maxUSD, o.maxPct, &o.noBudgets, &o.allowUnpriced
	files := len(base) > 0 || len(head) > 0
	if files == (*against != "") || (files && (len(base) == 0 || len(head) == 0)) {
		fmt.Fprintln(stderr, "tenancy cost diff: give --base and --head files, or --against REF")
		return exitUsage
	}
	var baseDocs, headDocs []*costdiff.Doc
	var err error
	if files {
		baseDocs, err = readDocs(base)
		if err == nil {
			headDocs, err = readDocs(head)
		}
	} else {
		baseDocs, headDocs, err = againstRef(*dir, *against, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenancy cost diff: %v\n", err)
		var verr *stacks.ValidationError
		if errors.As(err, &verr) {
			return exitInvalid
		}
		return exitRuntime
	}
	res, err := costdiff.Diff(baseDocs, headDocs)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy cost diff: %v\n", err)
		return exitRuntime
	}
	violations := res.Check(costdiff.Guardrails{MaxIncreaseUSD: maxUSD.v, MaxIncreasePercent: maxPct.v, Budgets: !*noBudgets})
	if *jsonFile != "" {
		var b bytes.Buffer
		if err := res.WriteJSON(&b, violations); err == nil {
			err = os.WriteFile(*jsonFile, b.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "tenancy cost diff: --json-file: %v\n", err)
			return exitRuntime
		}
	}
	switch *format {
	case "json":
		if err := res.WriteJSON(stdout, violations); err != nil {
			fmt.Fprintf(stderr, "tenancy cost diff: %v\n", err)
			return exitRuntime
		}
	case "table":
		res.WriteTable(stdout, violations)
	default:
		res.WriteMarkdown(stdout, violations)
	}
	for _, v := range violations {
		fmt.Fprintf(stderr, "tenancy cost diff: guardrail crossed: %s\n", v)
	}
	if u := res.Unpriced(); len(u) > 0 {
		if !*allowUnpriced {
			fmt.Fprintf(stderr, "tenancy cost diff: %d components have no price (first: %s); the change is off by an unknown amount. Pass --allow-unpriced to accept it\n", len(u), u[0])
			return exitUnpriced
		}
		fmt.Fprintf(stderr, "tenancy cost diff: %d components have no price; accepted with --allow-unpriced\n", len(u))
	}
	if len(violations) > 0 {
		return exitGuardrail
	}
	return exitOK
}

func readDocs(paths []string) ([]*costdiff.Doc, error) {
	var out []*costdiff.Doc
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		d, err := costdiff.Read(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// stackNames lists the stacks of a project folder (Pulumi.<stack>.yaml).
func stackNames(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "Pulumi."), ".yaml"))
	}
	sort.Strings(out)
	return out, nil
}

// headReports prices every stack of the working tree in-process.
func headReports(dir string) ([]*costdiff.Doc, error) {
	names, err := stackNames(dir)
	if err != nil {
		return nil, err
	}
	var out []*costdiff.Doc
	for _, s := range names {
		r, err := costing.Compare(dir, s, costing.CompareOptions{Evaluate: offline.Evaluate})
		if err != nil {
			var verr *stacks.ValidationError
			if errors.As(err, &verr) {
				return nil, fmt.Errorf("stack %s: %v", s, verr)
			}
			return nil, fmt.Errorf("stack %s: %w", s, err)
		}
		var b bytes.Buffer
		if err := r.WriteJSON(&b, time.Now()); err != nil {
			return nil, err
		}
		d, err := costdiff.Read(&b)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// againstRef prices the working tree in-process and every stack at ref with
// ref's own code, checked out in a temporary git worktree: a change to the
// program is compared with what the program was, not with itself.
func againstRef(dir, ref string, stderr io.Writer) (base, head []*costdiff.Doc, err error) {
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
		}
		return strings.TrimSpace(out.String()), nil
	}
	prefix, err := git("rev-parse", "--show-prefix")
	if err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "tenancy-base-")
	if err != nil {
		return nil, nil, err
	}
	tree := filepath.Join(tmp, "tree")
	if _, err := git("worktree", "add", "--detach", tree, ref); err != nil {
		os.RemoveAll(tmp)
		return nil, nil, err
	}
	defer func() {
		_, _ = git("worktree", "remove", "--force", tree)
		os.RemoveAll(tmp)
	}()
	project := filepath.Join(tree, prefix)
	names, err := stackNames(project)
	if err != nil {
		return nil, nil, err
	}
	// Build the base's CLI once, then price each stack with it: `go run`
	// would rebuild per stack and hide the base's exit code.
	bin := filepath.Join(tmp, "tenancy-base")
	build := exec.Command("go", "build", "-o", bin, "./cmd/tenancy")
	build.Dir = project
	if out, err := build.CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("building the CLI at %s: %v: %s", ref, err, strings.TrimSpace(string(out)))
	}
	for _, s := range names {
		fmt.Fprintf(stderr, "tenancy cost diff: pricing %s at %s with its own code\n", s, ref)
		cmd := exec.Command(bin, "cost", "--stack", s, "--format", "json")
		cmd.Dir = project
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil && !unpricedExit(err) {
			return nil, nil, fmt.Errorf("pricing stack %s at %s: %v: %s", s, ref, err, strings.TrimSpace(errb.String()))
		}
		d, err := costdiff.Read(&out)
		if err != nil {
			return nil, nil, fmt.Errorf("stack %s at %s: %w", s, ref, err)
		}
		base = append(base, d)
	}
	head, err = headReports(dir)
	return base, head, err
}

// unpricedExit reports whether a base run ended with exit 4: its report is
// complete and lists what it could not price, so the diff shows it.
func unpricedExit(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == exitUnpriced
}
