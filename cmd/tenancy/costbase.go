package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/costdiff"
	"github.com/tenancy-dev/tenancy/internal/vcs"
)

// baseReports are a base commit's cost reports, one per stack, and the
// guardrails its cost-guardrails.yaml sets (nil: it has none).
type baseReports struct {
	docs       []*costdiff.Doc
	guardrails *costdiff.Guardrails
}

// againstRef prices the working tree's stacks in-process first (a broken
// head fails before any base is built), then reads ref's reports from the
// cache, or prices every stack at ref with ref's own code, checked out in a
// temporary git worktree, and caches them by commit: a change to the program
// is compared with what the program was, not with itself, and a second diff
// against the same commit builds nothing.
func (o *diffOptions) againstRef(stderr io.Writer) ([]*costdiff.Doc, *baseReports, error) {
	sha, err := gitOut(o.dir, "rev-parse", "--verify", "--end-of-options", o.against+"^{commit}")
	if err != nil {
		return nil, nil, fmt.Errorf("--against %s: not a commit here: %v", o.against, err)
	}
	prefix, err := gitOut(o.dir, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, nil, err
	}
	head, err := headReports(o.dir)
	if err != nil {
		return nil, nil, err
	}
	warnIfBinaryIsNotTheCheckout(o.dir, stderr)
	cache := ""
	if o.cacheDir != "" && !o.noCache {
		key := sha256.Sum256([]byte(sha + "\x00" + prefix))
		cache = filepath.Join(o.cacheDir, hex.EncodeToString(key[:8]))
		if b, err := readBaseCache(cache); err == nil {
			fmt.Fprintf(stderr, "tenancy cost diff: base %s read from the cache (%s)\n", vcs.ShortSHA(sha), cache)
			return head, b, nil
		}
	}
	b, raw, err := priceBase(o.dir, sha, prefix, stderr)
	if err != nil {
		return nil, nil, err
	}
	if cache != "" {
		if err := writeBaseCache(cache, raw); err != nil {
			fmt.Fprintf(stderr, "tenancy cost diff: the base's reports are not cached: %v\n", err)
		}
	}
	return head, b, nil
}

// rawBase is what the cache keeps of a base: each stack's report as the
// base's CLI wrote it, and its guardrails file.
type rawBase struct {
	Reports    map[string]json.RawMessage `json:"reports"`
	Guardrails *string                    `json:"guardrails"`
	Commit     string                     `json:"commit"`
}

func (r rawBase) parse() (*baseReports, error) {
	out := &baseReports{}
	for _, name := range sortedKeys(r.Reports) {
		d, err := costdiff.Read(bytes.NewReader(r.Reports[name]))
		if err != nil {
			return nil, fmt.Errorf("stack %s at %s: %w", name, vcs.ShortSHA(r.Commit), err)
		}
		if d.Metadata.Commit == "" {
			d.Metadata.Commit = r.Commit // a base from before reports carried it
		}
		out.docs = append(out.docs, d)
	}
	if r.Guardrails != nil {
		g, err := costdiff.ParseGuardrails(costdiff.GuardrailsFile+" at "+vcs.ShortSHA(r.Commit), []byte(*r.Guardrails),
			costdiff.GuardrailsFile+" at the base, "+vcs.ShortSHA(r.Commit))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errBadGuardrails, err)
		}
		out.guardrails = &g
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func readBaseCache(dir string) (*baseReports, error) {
	b, err := os.ReadFile(filepath.Join(dir, "base.json"))
	if err != nil {
		return nil, err
	}
	var raw rawBase
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	return raw.parse()
}

// writeBaseCache writes the entry whole or not at all (a rename).
func writeBaseCache(dir string, raw rawBase) error {
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "base-*.json")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, "base.json"))
}

// priceBase builds the base's CLI in a temporary worktree and prices each
// of its stacks with it.
func priceBase(dir, sha, prefix string, stderr io.Writer) (*baseReports, rawBase, error) {
	raw := rawBase{Reports: map[string]json.RawMessage{}, Commit: sha}
	tmp, err := os.MkdirTemp("", "tenancy-base-")
	if err != nil {
		return nil, raw, err
	}
	tree := filepath.Join(tmp, "tree")
	if _, err := gitOut(dir, "worktree", "add", "--detach", tree, sha); err != nil {
		os.RemoveAll(tmp)
		return nil, raw, err
	}
	defer func() {
		_, _ = gitOut(dir, "worktree", "remove", "--force", tree)
		os.RemoveAll(tmp)
	}()
	project := filepath.Join(tree, prefix)
	names, err := stackNames(project)
	if err != nil {
		return nil, raw, err
	}
	if g, err := os.ReadFile(filepath.Join(project, costdiff.GuardrailsFile)); err == nil {
		s := string(g)
		raw.Guardrails = &s
	}
	// Build the base's CLI once, then price each stack with it.
	fmt.Fprintf(stderr, "tenancy cost diff: building the CLI at %s to price the base with its own code\n", vcs.ShortSHA(sha))
	bin := filepath.Join(tmp, "tenancy-base")
	build := exec.Command("go", "build", "-o", bin, "./cmd/tenancy")
	build.Dir = project
	if out, err := build.CombinedOutput(); err != nil {
		return nil, raw, fmt.Errorf("building the CLI at %s: %v: %s", vcs.ShortSHA(sha), err, strings.TrimSpace(string(out)))
	}
	for _, s := range names {
		fmt.Fprintf(stderr, "tenancy cost diff: pricing %s at %s\n", s, vcs.ShortSHA(sha))
		cmd := exec.Command(bin, "cost", "--stack", s, "--format", "json")
		cmd.Dir = project
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil && !unpricedExit(err) {
			return nil, raw, fmt.Errorf("pricing stack %s at %s: %v: %s", s, vcs.ShortSHA(sha), err, strings.TrimSpace(errb.String()))
		}
		raw.Reports[s] = json.RawMessage(out.Bytes())
	}
	b, err := raw.parse()
	return b, raw, err
}

// unpricedExit reports whether a base run ended with exit 4: its report is
// complete and lists what it could not price, so the diff shows it.
func unpricedExit(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == exitUnpriced
}

// gitOut is vcs.Git.
var gitOut = vcs.Git
