package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name, got string) { testproject.Golden(t, name, got, *update) }

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPreviewGolden(t *testing.T) {
	for _, tc := range []struct{ name, stack, topology string }{
		{"preview-dev", "dev", ""},
		{"preview-dev-multi-instance", "dev", "multi-instance"},
		{"preview-prod", "prod", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"preview", "--stack", tc.stack, "--dir", "../.."}
			if tc.topology != "" {
				args = append(args, "--topology", tc.topology)
			}
			code, out, errOut := runCLI(args...)
			require.Equal(t, 0, code, errOut)
			golden(t, tc.name, out)
		})
	}
}

func TestPreviewJSON(t *testing.T) {
	code, out, errOut := runCLI("preview", "--stack", "prod", "--dir", "../..", "--json")
	require.Equal(t, 0, code, errOut)
	var doc struct {
		Steps []struct {
			Op       string `json:"op"`
			NewState struct {
				Type   string         `json:"type"`
				Inputs map[string]any `json:"inputs"`
			} `json:"newState"`
		} `json:"steps"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	types := map[string]int{}
	var asgMin any
	for _, s := range doc.Steps {
		types[s.NewState.Type]++
		if s.NewState.Type == "aws:autoscaling/group:Group" {
			asgMin = s.NewState.Inputs["minSize"]
		}
	}
	assert.Equal(t, 10, types["tenancy:index:DedicatedTenant"])
	assert.Equal(t, 190, types["aws:cloudwatch/logStream:LogStream"])
	assert.Equal(t, 11, types["aws:lb/loadBalancer:LoadBalancer"])
	assert.EqualValues(t, 4, asgMin)
}

func TestPreviewMultiInstanceProd(t *testing.T) {
	code, out, errOut := runCLI("preview", "--stack", "prod", "--dir", "../..", "--topology", "multi-instance")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "dedicated tenant stacks: 200 (ALBs: 200, NAT gateways: 200); 200 app t3.medium, 30 cache cache.t3.medium x2, 100 cache cache.t3.micro x2, 70 cache cache.t3.small x2, 200 db db.t3.small multi-AZ true", "each cache sized to its tier's working set")
	assert.NotContains(t, out, "tenancy:SharedTier")
}

// TestHelpVersionAndCompletion: help comes from the command tree, on
// stdout, exit 0, and names every flag; --version and shell completion work;
// every command refuses stray arguments.
func TestHelpVersionAndCompletion(t *testing.T) {
	code, out, errOut := runCLI("--help")
	require.Equal(t, 0, code, errOut)
	for _, c := range []string{"preview", "cost", "policy", "prices", "completion", "Exit codes: 0 success; 1 invalid stack config"} {
		assert.Contains(t, out, c)
	}
	code, out, _ = runCLI("cost", "--help")
	require.Equal(t, 0, code)
	for _, f := range []string{"--stack", "--topology", "--format", "--preview-json", "--state", "--allow-unpriced", "--dir", "diff", "explain"} {
		assert.Contains(t, out, f, "cost --help names %s", f)
	}
	code, out, _ = runCLI("cost", "diff", "--help")
	require.Equal(t, 0, code)
	for _, f := range []string{"--base", "--head", "--against", "--fail-on-increase-usd", "--fail-on-increase-percent", "--no-budgets", "--json-file", "--allow-unpriced"} {
		assert.Contains(t, out, f, "cost diff --help names %s", f)
	}
	code, out, _ = runCLI("prices", "refresh", "--help")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "--endpoint")
	code, out, _ = runCLI("--version")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "tenancy version dev")
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errOut = runCLI("completion", shell)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "tenancy", shell)
	}
	for _, args := range [][]string{{"preview", "x"}, {"cost", "x"}, {"cost", "diff", "x"}, {"policy", "check", "x"}, {"prices", "refresh", "x"}, {"policy", "x"}} {
		code, _, errOut := runCLI(args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Contains(t, errOut, `"x"`, args)
	}
}

func TestExitCodesAndMessages(t *testing.T) {
	bad := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.dev.yaml"} {
		b, err := os.ReadFile(filepath.Join("../..", f))
		require.NoError(t, err)
		if f == "Pulumi.dev.yaml" {
			b = []byte(strings.Replace(string(b), "tenancy:asgMin: 1", "tenancy:asgMin: 3", 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(bad, f), b, 0o644))
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage:"},
		{"unknown command", []string{"deploi"}, 2, `unknown command "deploi"`},
		{"group without a subcommand", []string{"deploy"}, 2, "tenancy deploy needs a subcommand: destroy, preview, status, up"},
		{"no stack", []string{"preview"}, 2, "--stack is required"},
		{"bad topology", []string{"preview", "--stack", "dev", "--dir", "../..", "--topology", "mixed"}, 2, `invalid argument "mixed" for "--topology" flag: "mixed": use multi-instance, multi-tenant, hybrid`},
		{"misspelt command", []string{"preveiw"}, 2, `unknown command "preveiw" for "tenancy"; did you mean preview?`},
		{"misspelt subcommand", []string{"cost", "dif"}, 2, `unknown command "dif" for "tenancy cost"; did you mean diff?`},
		{"stray argument", []string{"policy", "check", "--stack", "dev", "--dir", "../..", "extra"}, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"preview", "--stak", "dev"}, 2, "unknown flag: --stak"},
		{"missing stack file", []string{"preview", "--stack", "staging", "--dir", "../.."}, 1, "Pulumi.staging.yaml: stack: the stack file does not exist"},
		{"missing registry", []string{"preview", "--stack", "dev", "--dir", bad}, 1, "tenants/dev.yaml: tenancy:tenantRegistry: the tenant registry file does not exist"},
		{"not a project", []string{"preview", "--stack", "dev", "--dir", t.TempDir()}, 1, "Pulumi.yaml: cannot read the project file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, errOut, tc.want)
			assert.Empty(t, out, "nothing on stdout when the run fails")
		})
	}
}
