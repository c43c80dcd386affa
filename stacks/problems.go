package stacks

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a stack config or a tenant registry: where it
// is, what is wrong, and how to fix it.
type Problem struct {
	File    string // the file the value came from, relative to the project folder
	Line    int    // 1-based line in File, or 0 when the value has no line (engine config)
	Field   string // the config key, or the registry path (e.g. tenants[3].tier)
	Message string // what is wrong
	Fix     string // what to write instead
}

// String renders the problem as "file:line: field: message (fix: ...)".
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	s := fmt.Sprintf("%s: %s: %s", loc, p.Field, p.Message)
	if p.Fix != "" {
		s += " (fix: " + p.Fix + ")"
	}
	return s
}

// ValidationError carries every problem found in one load, so a user fixes
// them all in one pass instead of one per run.
type ValidationError struct {
	Problems []Problem
}

// Error lists every problem, one a line, sorted by file and line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	n := len(e.Problems)
	noun := "problems"
	if n == 1 {
		noun = "problem"
	}
	fmt.Fprintf(&b, "%d %s in the stack config and tenant registry; nothing was created:", n, noun)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects Problems during a load.
type problems struct {
	list []Problem
}

func (ps *problems) add(file string, line int, field, fix, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...), Fix: fix})
}

// err returns a *ValidationError when anything was collected, sorted so the
// output is stable.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	out := append([]Problem(nil), ps.list...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return &ValidationError{Problems: out}
}

// closest returns the candidate nearest to s by edit distance when it is close
// enough to be a likely typo, or "".
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= 2 || (bestD <= 3 && len(s) > 8) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// oneOfFix suggests the closest allowed value, or lists them all.
func oneOfFix(got string, allowed []string) string {
	if c := closest(got, allowed); c != "" {
		return fmt.Sprintf("did you mean %q? allowed: %s", c, strings.Join(allowed, ", "))
	}
	return "use one of: " + strings.Join(allowed, ", ")
}
