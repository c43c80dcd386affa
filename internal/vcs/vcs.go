// Package vcs reads the git facts a cost report carries (Infracost's
// top-level metadata: commit, branch, author, time, message), so a comment
// built from two reports can name the commits it compares.
package vcs

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Facts are one commit's facts. Zero when the folder is not a git checkout.
type Facts struct {
	Branch      string
	Commit      string // full SHA of HEAD
	AuthorName  string
	AuthorEmail string
	Time        time.Time
	Message     string // the subject line
	// Dirty is true when the working tree differs from the commit: the
	// report prices uncommitted changes.
	Dirty bool
}

// Short is the commit's 7-character SHA, "" when unknown.
func (f Facts) Short() string { return ShortSHA(f.Commit) }

// ShortSHA is a commit SHA's first 7 characters.
func ShortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// Read reads the facts of dir's HEAD. A folder outside git, or git missing,
// gives zero facts and no error: a report is still worth writing.
func Read(dir string) Facts {
	out, err := Git(dir, "log", "-1", "--format=%H%x00%an%x00%ae%x00%cI%x00%s")
	if err != nil {
		return Facts{}
	}
	parts := strings.SplitN(out, "\x00", 5)
	if len(parts) != 5 {
		return Facts{}
	}
	f := Facts{Commit: parts[0], AuthorName: parts[1], AuthorEmail: parts[2], Message: parts[4]}
	f.Time, _ = time.Parse(time.RFC3339, parts[3])
	if b, err := Git(dir, "rev-parse", "--abbrev-ref", "HEAD"); err == nil && b != "HEAD" {
		f.Branch = b
	}
	if s, err := Git(dir, "status", "--porcelain", "--untracked-files=no"); err == nil {
		f.Dirty = s != ""
	}
	return f
}

// Git runs git in dir and returns its trimmed output, or an error with
// git's own message.
func Git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}
