package journey

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/costing"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

var update = flag.Bool("update", false, "rewrite internal/costing's stack-export fixture with the one the engine wrote")

// cloudResources counts what the offline plan asks the provider to create:
// its custom resources, providers aside.
func cloudResources(t *testing.T, dir, stack string) int {
	t.Helper()
	cfg, err := stacks.Load(dir, stack, stacks.LoadOptions{})
	require.NoError(t, err)
	plan, err := offline.Run(cfg)
	require.NoError(t, err)
	n := 0
	for _, r := range plan.Resources {
		if r.Custom && !strings.HasPrefix(r.Type, "pulumi:providers:") {
			n++
		}
	}
	return n
}

// changesOf leaves out the resources a plan keeps as they are.
func changesOf(summary map[apitype.OpType]int) map[apitype.OpType]int {
	out := map[apitype.OpType]int{}
	for op, n := range summary {
		if op != apitype.OpSame && n > 0 {
			out[op] = n
		}
	}
	return out
}

// TestDevThroughTheEngine: preview, up, a second preview that changes
// nothing, a config change that updates exactly what it should, the
// deployed state priced like the offline plan, and destroy.
func TestDevThroughTheEngine(t *testing.T) {
	ctx := context.Background()
	dir := testproject.CopyRepo(t)
	e := newEngine(t, dir)
	s := e.stack("dev")
	want := cloudResources(t, dir, "dev")

	ch := make(chan events.EngineEvent)
	digest := collectPreview(ch)
	prev, err := s.Preview(ctx, optpreview.EventStreams(ch))
	require.NoError(t, err)
	previewJSON := <-digest
	created := prev.ChangeSummary[apitype.OpCreate]
	assert.Greater(t, created, want, "preview creates every resource, the components and the stack too")

	_, mark := e.entries(0)
	up, err := s.Up(ctx)
	require.NoError(t, err)
	es, mark := e.entries(mark)
	assert.Equal(t, want, ops(es)["create"], "the engine creates exactly the cloud resources the offline plan has")
	assert.Equal(t, created, (*up.Summary.ResourceChanges)[string(apitype.OpCreate)], "up does what preview said")

	// A second preview right after up changes nothing: no input of any
	// resource differs from run to run (the ASG's tags once did).
	again, err := s.Preview(ctx)
	require.NoError(t, err)
	es, mark = e.entries(mark)
	assert.Empty(t, changesOf(again.ChangeSummary), "a second preview is empty")
	assert.Empty(t, withChanges(es), "no resource's inputs differ from the last up")

	// The deployed state prices exactly like the offline plan of the same config.
	dep, err := s.Export(ctx)
	require.NoError(t, err)
	exported, err := json.MarshalIndent(dep, "", "  ")
	require.NoError(t, err)
	g, err := graph.ReadStackExport(bytes.NewReader(exported))
	require.NoError(t, err)
	cfg, err := stacks.Load(dir, "dev", stacks.LoadOptions{})
	require.NoError(t, err)
	cat, err := cost.DefaultCatalog()
	require.NoError(t, err)
	fromState, err := costing.Price("after", g, cfg, cat)
	require.NoError(t, err)
	offlineEst, err := costing.PriceStack(dir, "dev", "", offline.Evaluate)
	require.NoError(t, err)
	assert.True(t, offlineEst.Total().Equal(fromState.Total()), "state %s, offline %s", fromState.Total(), offlineEst.Total())
	assert.Empty(t, fromState.Unpriced)
	fromPreview, err := graph.ReadPreviewJSON(bytes.NewReader(previewJSON))
	require.NoError(t, err)
	previewEst, err := costing.Price("after", fromPreview, cfg, cat)
	require.NoError(t, err)
	assert.True(t, offlineEst.Total().Equal(previewEst.Total()), "preview %s, offline %s", previewEst.Total(), offlineEst.Total())
	if *update {
		writeFixture(t, "dev.stack-export.json", exported, "resources")
		writeFixture(t, "dev.preview.json", previewJSON, "steps")
	}

	// The group's desired size belongs to its scaling policy after the
	// first deploy (ignoreChanges): a new tenancy:asgDesired changes nothing.
	require.NoError(t, s.SetConfig(ctx, "tenancy:asgDesired", autoValue("2")))
	same, err := s.Preview(ctx)
	require.NoError(t, err)
	_, mark = e.entries(mark)
	assert.Empty(t, changesOf(same.ChangeSummary), "scaling owns the desired size")

	// One config change, one update: the shared tier's group may grow to 3.
	require.NoError(t, s.SetConfig(ctx, "tenancy:asgMax", autoValue("3")))
	grow, err := s.Preview(ctx, optpreview.Diff())
	require.NoError(t, err)
	es, mark = e.entries(mark)
	assert.Equal(t, map[apitype.OpType]int{apitype.OpUpdate: 1}, changesOf(grow.ChangeSummary))
	require.Len(t, withChanges(es), 1, "%v", withChanges(es))
	assert.Contains(t, withChanges(es)[0], "aws:autoscaling/group:Group::shared-app maxSize")
	_, err = s.Up(ctx, optup.Diff())
	require.NoError(t, err)
	es, mark = e.entries(mark)
	assert.Equal(t, 1, ops(es)["update"])
	assert.Zero(t, ops(es)["create"]+ops(es)["delete"])

	_, err = s.Destroy(ctx, optdestroy.Remove())
	require.NoError(t, err)
	es, _ = e.entries(mark)
	assert.Equal(t, want, ops(es)["delete"], "dev protects nothing: destroy deletes every resource")
}

// TestBadConfigIsRefusedBeforeAnythingIsCreated: a value of the wrong type,
// set with `pulumi config set`, is refused by the engine itself, which reads
// the declared types of Pulumi.yaml in the workspace, and names the key; a
// value of the right type out of tenancy's range is refused by tenancy's
// validation (stacks), with the file, the key and the fix. Neither
// registers anything.
func TestBadConfigIsRefusedBeforeAnythingIsCreated(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        []string
	}{
		{"wrong type", "two", []string{"configuration key 'asgDesired' must be of type 'integer'"}},
		{"out of range", "9", []string{"Pulumi.dev.yaml", "tenancy:asgDesired", "desired 9 is outside min 1 and max 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEngine(t, testproject.CopyRepo(t))
			s := e.stack("dev")
			require.NoError(t, s.SetConfig(ctx, "tenancy:asgDesired", autoValue(tc.value)))
			_, err := s.Preview(ctx)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			es, _ := e.entries(0)
			for _, x := range es {
				assert.NotEqual(t, "create", x.Op, "nothing is registered: %s", x.URN)
			}
		})
	}
}

// writeFixture writes a file the engine wrote as one of internal/costing's
// fixtures, without what changes from run to run: timestamps, the
// program's source positions and stack traces, the providers' random ids,
// the secrets' salt and ciphertext,
// and the order of the list (the program registers resources from
// goroutines, so the engine sees them in a different order each run).
func writeFixture(t *testing.T, name string, engineWrote []byte, list string) {
	t.Helper()
	text := string(engineWrote)
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	seen := map[string]string{}
	text = uuid.ReplaceAllStringFunc(text, func(id string) string {
		if _, ok := seen[id]; !ok {
			seen[id] = fmt.Sprintf("00000000-0000-0000-0000-%012d", len(seen)+1)
		}
		return seen[id]
	})
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(text), &doc))
	var strip func(v any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range []string{"sourcePosition", "stackTrace"} {
				delete(x, k)
			}
			for _, k := range []string{"created", "modified", "time"} {
				if _, ok := x[k]; ok {
					x[k] = "2026-12-01T00:00:00Z"
				}
			}
			if _, secret := x["4dabf18193072939515e22adb298388d"]; secret {
				// The Automation API exports with --show-secrets; a fixture
				// holds secrets as `pulumi stack export` writes them, sealed.
				delete(x, "plaintext")
				x["ciphertext"] = "v1:fixture"
			}
			for _, k := range []string{"salt", "ciphertext"} { // the passphrase's, new each run
				if _, ok := x[k]; ok {
					x[k] = "v1:fixture"
				}
			}
			for _, c := range x {
				strip(c)
			}
		case []any:
			urns := true
			for _, c := range x {
				strip(c)
				s, ok := c.(string)
				urns = urns && ok && strings.HasPrefix(s, "urn:pulumi:")
			}
			if urns { // dependencies: the SDK gathers them from a map
				sort.Slice(x, func(i, j int) bool { return x[i].(string) < x[j].(string) })
			}
		}
	}
	strip(doc)
	items, _ := doc[list].([]any)
	if dep, ok := doc["deployment"].(map[string]any); ok {
		items, _ = dep[list].([]any)
	}
	require.NotEmpty(t, items, "%s: no %s[]", name, list)
	urn := func(v any) string { m, _ := v.(map[string]any); s, _ := m["urn"].(string); return s }
	sort.SliceStable(items, func(i, j int) bool { return urn(items[i]) < urn(items[j]) })
	b, err := json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(testproject.Root(), "internal", "costing", "testdata", name), append(b, '\n'), 0o644))
}

// collectPreview turns a preview's engine events into the document
// `pulumi preview --json` writes (steps[] with op, urn, provider, and the
// old and new states), as the CLI builds it from the same events.
func collectPreview(ch <-chan events.EngineEvent) <-chan []byte {
	out := make(chan []byte, 1)
	go func() {
		type step struct {
			Op       apitype.OpType                  `json:"op"`
			URN      string                          `json:"urn"`
			Provider string                          `json:"provider,omitempty"`
			OldState *apitype.StepEventStateMetadata `json:"oldState,omitempty"`
			NewState *apitype.StepEventStateMetadata `json:"newState,omitempty"`
		}
		var steps []step
		for e := range ch {
			if e.ResourcePreEvent == nil {
				continue
			}
			m := e.ResourcePreEvent.Metadata
			steps = append(steps, step{Op: m.Op, URN: m.URN, Provider: m.Provider, OldState: m.Old, NewState: m.New})
		}
		b, _ := json.MarshalIndent(map[string]any{"steps": steps}, "", "  ")
		out <- append(b, '\n')
	}()
	return out
}
