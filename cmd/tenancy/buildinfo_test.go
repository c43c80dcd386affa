package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/tenancy-dev/tenancy/internal/vcs"
)

func TestABinaryFromAnotherCommitSaysSo(t *testing.T) {
	head := vcs.Facts{Commit: "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}
	built := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	assert.Empty(t, binaryMismatch(nil, head), "go run and go test stamp no VCS facts")
	assert.Empty(t, binaryMismatch(built(head.Commit, "false"), head), "built from the checkout")
	assert.Equal(t, "this tenancy was built from 1111111, the checkout is at 2222222: the head is priced by this binary's code. "+
		"Run `go run ./cmd/tenancy cost diff` from the checkout to price it with its own",
		binaryMismatch(built("1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "false"), head))
	assert.Contains(t, binaryMismatch(built(head.Commit, "false"), vcs.Facts{Commit: head.Commit, Dirty: true}),
		"built from 2222222, the checkout is at 2222222 with changes")
}
