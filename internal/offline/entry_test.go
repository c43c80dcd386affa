package offline

import (
	"encoding/json"
	"github.com/tenancy-dev/tenancy/program"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/standin"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

const entryRegistry = `tenants:
  - {id: alpha, name: Alpha, tier: enterprise, placement: dedicated, ownStack: true, compliance: [dedicated-required]}
  - {id: beta, name: Beta, tier: enterprise, placement: dedicated}
  - {id: gamma, name: Gamma, tier: pro, placement: shared}
`

// runProgram runs program.Program, the real `pulumi up` entry point, as the
// engine would: config in PULUMI_CONFIG, under mocks that record resources.
func runProgram(t *testing.T, dir, stack string, engineConfig map[string]string) (*recorder, error) {
	t.Helper()
	b, err := json.Marshal(engineConfig)
	require.NoError(t, err)
	t.Setenv("PULUMI_CONFIG", string(b))
	rec := newRecorder("tenancy", stack, "us-east-1")
	err = pulumi.RunErr(program.Program, pulumi.WithMocks("tenancy", stack, rec),
		func(info *pulumi.RunInfo) { info.RootDirectory = dir })
	return rec, err
}

func engineConfig(extra map[string]string) map[string]string {
	cfg := map[string]string{
		"aws:region": "us-east-1", "tenancy:environment": "dev", "tenancy:tenantRegistry": "tenants/t.yaml",
		"tenancy:domainName": "t.example.com", "tenancy:hostedZoneId": "ZTEST123",
	}
	for k, v := range extra {
		cfg[k] = v
	}
	return cfg
}

func TestProgramRegistersNothingOnBadInput(t *testing.T) {
	dir := testproject.Write(t, "test", "config: {}\n", entryRegistry)
	for name, extra := range map[string]map[string]string{
		"typo":         {"tenancy:asgMni": "2"},
		"wrong type":   {"tenancy:asgMin": "four"},
		"bad shape":    {"tenancy:appInstanceType": "m5.huge"},
		"min over max": {"tenancy:asgMin": "9"},
		"no registry":  {"tenancy:tenantRegistry": "tenants/missing.yaml"},
	} {
		t.Run(name, func(t *testing.T) {
			rec, err := runProgram(t, dir, "test", engineConfig(extra))
			require.Error(t, err)
			assert.Empty(t, rec.resources, "nothing may be registered before the input is valid")
		})
	}
	rec, err := runProgram(t, dir, "test", engineConfig(nil))
	require.NoError(t, err)
	assert.NotEmpty(t, rec.resources, "the same project with good input builds")
}

func TestTenantWithAStackOfItsOwn(t *testing.T) {
	dir := testproject.Write(t, "test", "config: {}\n", entryRegistry)

	// The main stack leaves alpha to its own stack.
	rec, err := runProgram(t, dir, "test", engineConfig(nil))
	require.NoError(t, err)
	var dedicated []string
	for _, r := range rec.resources {
		if r.Type == TypeDedicatedTenant {
			dedicated = append(dedicated, r.Name)
		}
	}
	assert.Equal(t, []string{"tenant-beta"}, dedicated)

	// alpha's own stack must say whose the account's baseline is.
	_, err = runProgram(t, dir, "tenant-alpha", engineConfig(map[string]string{"tenancy:tenant": "alpha"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tenancy:accountBaselineStack: a tenant's own stack must say who owns its account's baseline")

	// alpha's own stack, in the main stack's account, builds alpha and
	// nothing shared, and no second trail.
	rec, err = runProgram(t, dir, "tenant-alpha", engineConfig(map[string]string{"tenancy:tenant": "alpha",
		"tenancy:accountBaselineStack": "test", "tenancy:securityServices": "false"}))
	require.NoError(t, err)
	types := map[string]int{}
	for _, r := range rec.resources {
		types[r.Type]++
	}
	assert.Equal(t, 1, types[TypeDedicatedTenant])
	assert.Zero(t, types[TypeSharedTier])
	assert.Equal(t, 1, types["aws:rds/instance:Instance"])
	assert.Zero(t, types["aws:cloudtrail/trail:Trail"])
	assert.Zero(t, types["aws:guardduty/detector:Detector"])

	// A stack may only take a tenant the registry gives it.
	_, err = runProgram(t, dir, "tenant-beta", engineConfig(map[string]string{"tenancy:tenant": "beta"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tenant beta is not registered as a dedicated tenant with a stack of its own")
	_, err = runProgram(t, dir, "tenant-x", engineConfig(map[string]string{"tenancy:tenant": "alpah"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `did you mean "alpha"?`)
}

func TestPreviewJSONShape(t *testing.T) {
	p := planFor(t, "dev", stacks.Hybrid)
	b, err := json.Marshal(p.PreviewJSON())
	require.NoError(t, err)
	var doc struct {
		Steps []struct {
			Op       string `json:"op"`
			URN      string `json:"urn"`
			NewState struct {
				URN    string         `json:"urn"`
				Type   string         `json:"type"`
				Custom bool           `json:"custom"`
				Parent string         `json:"parent"`
				Inputs map[string]any `json:"inputs"`
			} `json:"newState"`
		} `json:"steps"`
		ChangeSummary map[string]int `json:"changeSummary"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.Steps, len(p.Resources)+1)
	assert.Equal(t, "pulumi:pulumi:Stack", doc.Steps[0].NewState.Type)
	assert.Equal(t, len(doc.Steps), doc.ChangeSummary["create"])
	counts := map[string]int{}
	for _, s := range doc.Steps[1:] {
		assert.Equal(t, "create", s.Op)
		assert.Equal(t, s.URN, s.NewState.URN)
		assert.NotEmpty(t, s.NewState.Parent, s.URN)
		assert.NotNil(t, s.NewState.Inputs, s.URN)
		if s.NewState.Custom && s.NewState.Type != "pulumi:providers:aws" {
			counts[s.NewState.Type]++
		}
	}
	assert.Equal(t, p.CountByType(), counts, "the JSON carries the same resources as the text report")
	tokens := p.Custom("random:index/randomPassword:RandomPassword")
	require.NotEmpty(t, tokens)
	for _, tok := range tokens {
		assert.NotContains(t, string(b), standin.Password(tok.Inputs), "secrets never reach the JSON")
	}
}

// TestInlineProgramReadsTheContextsConfig: an inline Automation API program
// gets its config in the context, not in PULUMI_CONFIG; the program builds
// the same stack from either.
func TestInlineProgramReadsTheContextsConfig(t *testing.T) {
	dir := testproject.Write(t, "test", "config: {}\n", entryRegistry)
	viaEnv, err := runProgram(t, dir, "test", engineConfig(nil))
	require.NoError(t, err)

	t.Setenv("PULUMI_CONFIG", "")
	rec := newRecorder("tenancy", "test", "us-east-1")
	err = pulumi.RunErr(program.Program, pulumi.WithMocks("tenancy", "test", rec),
		func(info *pulumi.RunInfo) { info.RootDirectory, info.Config = dir, engineConfig(nil) })
	require.NoError(t, err)
	assert.Equal(t, len(viaEnv.resources), len(rec.resources))
	assert.NotEmpty(t, rec.resources)
}
