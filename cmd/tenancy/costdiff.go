package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
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
	"github.com/tenancy-dev/tenancy/internal/vcs"
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
	cacheDir, guardrails           string
	maxUSD, maxPct                 decimalFlag
	noBudgets, allowUnpriced       bool
	noCache                        bool
}

func costDiffCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o diffOptions
	return command("diff", "compare cost reports, or every stack with a git ref, as a pull-request comment",
		"Compare two sets of cost reports (tenancy cost --format json), or every stack of the working tree with the\n"+
			"same stacks at a git ref, as a pull-request comment. The head is priced first, so a broken head fails at\n"+
			"once; the base is priced by its own code, once per commit, and cached. The limits come from\n"+
			costdiff.GuardrailsFile+" at the base (or --guardrails, or the flags). Exits 3 when a guardrail (an\n"+
			"increase, a stack's budget) is crossed, and 4 when either side holds a component with no price (it wins over 3).",
		noArgs, func(fs *pflag.FlagSet) {
			fs.StringArrayVar(&o.base, "base", nil, "a cost report of the baseline (tenancy cost --format json); repeat for more stacks")
			fs.StringArrayVar(&o.head, "head", nil, "a cost report of the change; repeat for more stacks")
			fs.StringVar(&o.against, "against", "", "a git ref: compare every stack of the working tree with the same stacks at this ref")
			fs.StringVar(&o.dir, "dir", ".", "the project folder (with --against)")
			fs.StringVar(&o.cacheDir, "cache-dir", defaultCacheDir(), "where the base's reports are kept, by commit (with --against; $TENANCY_CACHE_DIR)")
			fs.BoolVar(&o.noCache, "no-cache", false, "price the base again even when its reports are cached")
			fs.StringVar(&o.guardrails, "guardrails", "", "a "+costdiff.GuardrailsFile+" to read the limits from (default: the base's, with --against)")
			enum(fs, &o.format, "format", "markdown", "markdown is the pull-request comment", "markdown", "json", "table")
			fs.Var(&o.maxUSD, "fail-on-increase-usd", "exit 3 when the monthly increase over all stacks is more than this many dollars (overrides the file)")
			fs.Var(&o.maxPct, "fail-on-increase-percent", "exit 3 when the monthly increase over all stacks is more than this percent of the baseline (overrides the file)")
			fs.BoolVar(&o.noBudgets, "no-budgets", false, "do not fail when a stack goes over its tenancy:monthlyBudgetUsd at the base")
			fs.StringVar(&o.jsonFile, "json-file", "", "also write the diff as JSON to this file (for a CI artifact)")
			fs.BoolVar(&o.allowUnpriced, "allow-unpriced", false, "do not exit 4 when either side holds a component with no price (the comment still lists it)")
		}, func([]string) int { return o.run(stdout, stderr) }, code)
}

// defaultCacheDir is $TENANCY_CACHE_DIR, else the user's cache folder.
func defaultCacheDir() string {
	if d := os.Getenv("TENANCY_CACHE_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "tenancy", "cost-base")
	}
	return ""
}

func (o *diffOptions) run(stdout, stderr io.Writer) int {
	files := len(o.base) > 0 || len(o.head) > 0
	if files == (o.against != "") || (files && (len(o.base) == 0 || len(o.head) == 0)) {
		fmt.Fprintln(stderr, "tenancy cost diff: give --base and --head files, or --against REF")
		return exitUsage
	}
	var baseDocs, headDocs []*costdiff.Doc
	var rails *costdiff.Guardrails
	var err error
	if files {
		baseDocs, err = readDocs(o.base)
		if err == nil {
			headDocs, err = readDocs(o.head)
		}
	} else {
		var b *baseReports
		headDocs, b, err = o.againstRef(stderr)
		if b != nil {
			baseDocs, rails = b.docs, b.guardrails
		}
	}
	if err == nil {
		rails, err = o.limits(rails)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenancy cost diff: %v\n", err)
		var verr *stacks.ValidationError
		if errors.As(err, &verr) || errors.Is(err, errBadGuardrails) {
			return exitInvalid
		}
		return exitRuntime
	}
	res, err := costdiff.Diff(baseDocs, headDocs)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy cost diff: %v\n", err)
		return exitRuntime
	}
	return o.report(res, res.Check(*rails), stdout, stderr)
}

var errBadGuardrails = errors.New("bad guardrails")

// limits are the guardrails: the flags where given, else --guardrails, else
// the base's file, else budgets alone.
func (o *diffOptions) limits(fromBase *costdiff.Guardrails) (*costdiff.Guardrails, error) {
	g := costdiff.Guardrails{Budgets: true}
	switch {
	case o.guardrails != "":
		b, err := os.ReadFile(o.guardrails)
		if err != nil {
			return nil, fmt.Errorf("--guardrails: %w", err)
		}
		if g, err = costdiff.ParseGuardrails(o.guardrails, b, o.guardrails); err != nil {
			return nil, fmt.Errorf("%w: %v", errBadGuardrails, err)
		}
	case fromBase != nil:
		g = *fromBase
	}
	if o.maxUSD.v != nil || o.maxPct.v != nil {
		g.MaxIncreaseUSD, g.MaxIncreasePercent, g.Source = o.maxUSD.v, o.maxPct.v, "the command line"
	}
	if o.noBudgets {
		g.Budgets = false
	}
	return &g, nil
}

func (o *diffOptions) report(res *costdiff.Result, violations []costdiff.Violation, stdout, stderr io.Writer) int {
	if o.jsonFile != "" {
		var b bytes.Buffer
		err := res.WriteJSON(&b, violations)
		if err == nil {
			err = os.WriteFile(o.jsonFile, b.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "tenancy cost diff: --json-file: %v\n", err)
			return exitRuntime
		}
	}
	switch o.format {
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
		if !o.allowUnpriced {
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

// headReports prices every stack of the working tree in-process, its own
// topology only (the diff reads nothing else), with the tree's git facts.
func headReports(dir string) ([]*costdiff.Doc, error) {
	names, err := stackNames(dir)
	if err != nil {
		return nil, err
	}
	facts := vcs.Read(dir)
	var out []*costdiff.Doc
	for _, s := range names {
		r, err := costing.PriceAfter(dir, s, offline.EvaluateScaled)
		if err != nil {
			var verr *stacks.ValidationError
			if errors.As(err, &verr) {
				return nil, fmt.Errorf("stack %s: %w", s, verr)
			}
			return nil, fmt.Errorf("stack %s: %w", s, err)
		}
		r.VCS = facts
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
