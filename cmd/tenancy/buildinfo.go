package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/tenancy-dev/tenancy/internal/vcs"
)

// warnIfBinaryIsNotTheCheckout says so when this binary was built from a
// commit other than the checkout's HEAD, or from a tree with changes: the
// head is priced by the running code, which is then not the checkout's.
// A binary without VCS facts (go run, go test) says nothing.
func warnIfBinaryIsNotTheCheckout(dir string, stderr io.Writer) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	rev, modified := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return
	}
	head := vcs.Read(dir)
	if rev != head.Commit || modified != head.Dirty {
		fmt.Fprintf(stderr, "tenancy cost diff: warning: this tenancy was built from %s%s, the checkout is at %s%s: the head is priced by this binary's code. "+
			"Run `go run ./cmd/tenancy cost diff` from the checkout to price it with its own\n",
			vcs.ShortSHA(rev), dirtyWord(modified), vcs.ShortSHA(head.Commit), dirtyWord(head.Dirty))
	}
}

func dirtyWord(d bool) string {
	if d {
		return " with changes"
	}
	return ""
}
