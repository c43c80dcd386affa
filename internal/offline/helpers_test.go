package offline

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/stacks"
)

var (
	planMu    sync.Mutex
	planCache = map[string]*Plan{}
)

// planFor evaluates a repo stack once per test binary and topology.
func planFor(t testing.TB, stack string, topology stacks.Topology) *Plan {
	t.Helper()
	planMu.Lock()
	defer planMu.Unlock()
	key := stack + "/" + string(topology)
	if p, ok := planCache[key]; ok {
		return p
	}
	cfg, err := stacks.Load("../..", stack, stacks.LoadOptions{Topology: topology})
	require.NoError(t, err)
	p, err := Run(cfg)
	require.NoError(t, err)
	planCache[key] = p
	return p
}

// one returns the single resource of a type below a component, failing otherwise.
func one(t testing.TB, rs []Resource) Resource {
	t.Helper()
	require.Len(t, rs, 1)
	return rs[0]
}

// where keeps the resources for which keep is true.
func where(rs []Resource, keep func(Resource) bool) []Resource {
	var out []Resource
	for _, r := range rs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// obj reads a nested input as a map.
func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// arr reads a nested input as a list.
func arr(v any) []any {
	a, _ := v.([]any)
	return a
}

// jsonDoc parses a JSON string input (policies, rule JSON).
func jsonDoc(t testing.TB, v any) any {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "expected a JSON string, got %T", v)
	var out any
	require.NoError(t, json.Unmarshal([]byte(s), &out))
	return out
}
