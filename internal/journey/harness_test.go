package journey

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/program"
)

// engine is one project folder on a file backend, with a journal of what
// the stand-in providers were asked to do.
type engine struct {
	t       *testing.T
	dir     string
	journal string
	env     map[string]string
	cmd     auto.PulumiCommand
}

func newEngine(t *testing.T, dir string) *engine {
	t.Helper()
	bin := testproject.EngineTools(t)
	tmp := t.TempDir()
	e := &engine{t: t, dir: dir, journal: filepath.Join(tmp, "journal.jsonl")}
	e.env = map[string]string{
		"PATH":                     bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_BACKEND_URL":       "file://" + filepath.Join(tmp, "backend"),
		"PULUMI_CONFIG_PASSPHRASE": "journey",
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		"PULUMI_HOME":              filepath.Join(tmp, "home"),
		"STANDIN_JOURNAL":          e.journal,
	}
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "backend"), 0o755))
	// The stand-in runs as a child of the CLI, which passes its own
	// environment on; the journal path reaches it that way.
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: filepath.Dir(bin)})
	require.NoError(t, err)
	e.cmd = cmd
	return e
}

// stack creates or selects a stack of the project with the program inline.
func (e *engine) stack(name string) auto.Stack {
	e.t.Helper()
	s, err := auto.UpsertStackInlineSource(context.Background(), name, "tenancy", program.InlineProgram(e.dir),
		auto.WorkDir(e.dir), auto.EnvVars(e.env), auto.Pulumi(e.cmd), auto.SecretsProvider("passphrase"))
	require.NoError(e.t, err)
	return s
}

// entry is one line of the stand-in's journal.
type entry struct {
	Op      string   `json:"op"`
	Package string   `json:"package"`
	URN     string   `json:"urn"`
	Type    string   `json:"type"`
	Preview bool     `json:"preview"`
	Changes []string `json:"changes"`
}

// entries reads the journal from line from on, and the number of lines.
func (e *engine) entries(from int) ([]entry, int) {
	e.t.Helper()
	f, err := os.Open(e.journal)
	if os.IsNotExist(err) {
		return nil, 0
	}
	require.NoError(e.t, err)
	defer f.Close()
	var out []entry
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		n++
		if n <= from {
			continue
		}
		var x entry
		require.NoError(e.t, json.Unmarshal(sc.Bytes(), &x), sc.Text())
		out = append(out, x)
	}
	require.NoError(e.t, sc.Err())
	return out, n
}

// ops counts journal entries by operation, leaving out previews.
func ops(es []entry) map[string]int {
	out := map[string]int{}
	for _, x := range es {
		if !x.Preview {
			out[x.Op]++
		}
	}
	return out
}

// withChanges are the diff entries that found a change.
func withChanges(es []entry) []string {
	var out []string
	for _, x := range es {
		if x.Op == "diff" && len(x.Changes) > 0 {
			out = append(out, x.URN+" "+strings.Join(x.Changes, ","))
		}
	}
	return out
}

func autoValue(v string) auto.ConfigValue { return auto.ConfigValue{Value: v} }
