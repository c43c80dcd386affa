package vcs

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadNamesTheCommit(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2026-11-30T10:00:00Z", "GIT_COMMITTER_DATE=2026-11-30T10:00:00Z")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	assert.Equal(t, Facts{}, Read(dir), "outside git: zero facts")
	run("init", "-q", "-b", "feature")
	run("config", "user.name", "Ada")
	run("config", "user.email", "ada@example.com")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f"), []byte("a"), 0o644))
	run("add", "f")
	run("commit", "-q", "-m", "Add f\n\nbody")
	f := Read(dir)
	assert.Len(t, f.Commit, 40)
	assert.Equal(t, f.Commit[:7], f.Short())
	assert.Equal(t, "feature", f.Branch)
	assert.Equal(t, "Ada", f.AuthorName)
	assert.Equal(t, "ada@example.com", f.AuthorEmail)
	assert.Equal(t, "Add f", f.Message, "the subject line")
	assert.Equal(t, "2026-11-30T10:00:00Z", f.Time.UTC().Format("2006-01-02T15:04:05Z"))
	assert.False(t, f.Dirty)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f"), []byte("b"), 0o644))
	assert.True(t, Read(dir).Dirty, "an uncommitted change")
	run("checkout", "-q", "--detach")
	assert.Equal(t, "", Read(dir).Branch, "a detached HEAD has no branch")
}
