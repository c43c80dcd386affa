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
func warnIfBinaryIsNotTheCheckout(dir string, stderr io.Writer) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	if msg := binaryMismatch(info.Settings, vcs.Read(dir)); msg != "" {
		fmt.Fprintf(stderr, "tenancy cost diff: warning: %s\n", msg)
	}
}

// binaryMismatch compares the VCS facts a binary was built with to the
// checkout's. A binary without them (go run, go test) says nothing.
func binaryMismatch(settings []debug.BuildSetting, head vcs.Facts) string {
	rev, modified := "", false
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" || (rev == head.Commit && modified == head.Dirty) {
		return ""
	}
	return fmt.Sprintf("this tenancy was built from %s%s, the checkout is at %s%s: the head is priced by this binary's code. "+
		"Run `go run ./cmd/tenancy cost diff` from the checkout to price it with its own",
		vcs.ShortSHA(rev), dirtyWord(modified), vcs.ShortSHA(head.Commit), dirtyWord(head.Dirty))
}

func dirtyWord(d bool) string {
	if d {
		return " with changes"
	}
	return ""
}
