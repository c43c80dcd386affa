package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/policies/rules"
)

type violations []string

func (v *violations) ReportViolation(message, urn string) { *v = append(*v, message+" @ "+urn) }

func cluster(encrypted bool) policyx.AnalyzerResource {
	return policyx.AnalyzerResource{
		Type: "aws:rds/cluster:Cluster", Name: "shared-db",
		URN: "urn:pulumi:prod::tenancy::tenancy:index:SharedTier$aws:rds/cluster:Cluster::shared-db",
		Properties: property.NewMap(map[string]property.Value{
			"storageEncrypted": property.New(encrypted),
			"kmsKeyId":         property.New("arn:aws:kms:us-east-1:1:key/k"),
			"tags":             property.New(map[string]property.Value{"Environment": property.New("prod")}),
		}),
		Options: pulumi.ResourceOptions{Protect: true, RetainOnDelete: true},
	}
}

// TestPackEnforcesTheRules runs the pack's own policies as the engine would.
func TestPackEnforcesTheRules(t *testing.T) {
	p, err := pack()
	require.NoError(t, err)
	assert.Equal(t, "tenancy", p.Name())
	var encryption policyx.ResourceValidationPolicy
	var stackPolicies []policyx.StackValidationPolicy
	for _, pol := range p.Policies() {
		switch v := pol.(type) {
		case policyx.ResourceValidationPolicy:
			if v.Name() == "rds-cluster-encrypted" {
				encryption = v
			}
		case policyx.StackValidationPolicy:
			stackPolicies = append(stackPolicies, v)
		}
		assert.Equal(t, policyx.EnforcementLevelMandatory, pol.EnforcementLevel(), pol.Name())
	}
	require.NotNil(t, encryption)
	assert.Contains(t, encryption.Description(), "RDS.27")

	var got violations
	require.NoError(t, encryption.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: &got, Resource: cluster(true)}))
	assert.Empty(t, got)
	require.NoError(t, encryption.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: &got, Resource: cluster(false)}))
	require.Len(t, got, 1)
	assert.True(t, strings.HasPrefix(got[0], "rds-cluster-encrypted (RDS.27): storageEncrypted is false, not true. Fix:"), got[0])

	// The stack policies run over the whole stack; a lone cluster in one AZ fails RDS.15.
	var stackGot violations
	for _, sp := range stackPolicies {
		require.NoError(t, sp.Validate(context.Background(), policyx.StackValidationArgs{Manager: &stackGot, Resources: []policyx.AnalyzerResource{cluster(true)}}))
	}
	assert.Contains(t, strings.Join(stackGot, "\n"), "aurora-multi-az (RDS.15)")
}

// value is the property value of the plain Go a graph node holds: the
// inverse of PlainValue, so the pack can run on the CLI's fixtures.
func value(v any) property.Value {
	switch x := v.(type) {
	case bool:
		return property.New(x)
	case float64:
		return property.New(x)
	case int:
		return property.New(float64(x))
	case string:
		return property.New(x)
	case []any:
		out := make([]property.Value, len(x))
		for i, e := range x {
			out[i] = value(e)
		}
		return property.New(out)
	case map[string]any:
		out := make(map[string]property.Value, len(x))
		for k, e := range x {
			out[k] = value(e)
		}
		return property.New(out)
	}
	return property.Value{}
}

// analyzed is a graph node as the engine hands it to the pack.
func analyzed(n graph.Node) policyx.AnalyzerResource {
	props := value(n.Inputs).AsMap()
	return policyx.AnalyzerResource{Type: n.Type, Name: n.Name, URN: n.URN, Parent: n.Parent, Properties: props,
		Options: pulumi.ResourceOptions{Protect: n.Protect, RetainOnDelete: n.RetainOnDelete}}
}

// TestThePackAndTheCLIAreOneJudge: on the same plans the pack reports
// exactly the mandatory findings `tenancy policy check` does: the fixture of
// dev's plan before least privilege, and a prod database whose tenant's
// migration is verified (unprotected on purpose: accepted by both).
func TestThePackAndTheCLIAreOneJudge(t *testing.T) {
	g, err := graph.ReadPreviewJSON(testproject.OpenGzip(t, testproject.PlanBeforeLeastPrivilege))
	require.NoError(t, err)

	verified := graph.Node{URN: "urn:pulumi:prod::tenancy::tenancy:index:DedicatedTenant$aws:rds/instance:Instance::oak-realty-db",
		Type: "aws:rds/instance:Instance", Name: "oak-realty-db", Custom: true,
		Inputs: map[string]any{"deletionProtection": false, "tags": map[string]any{"Environment": "prod", "Migration": "verified"}}}
	for _, tc := range []struct {
		name  string
		nodes []graph.Node
		env   string
	}{{"dev before least privilege", g.Nodes, "dev"}, {"prod, a verified migration", []graph.Node{verified}, "prod"}} {
		t.Run(tc.name, func(t *testing.T) {
			want := map[string]int{}
			for _, f := range rules.Evaluate(&rules.Stack{Graph: graph.New(tc.nodes), Environment: tc.env}).Findings {
				if f.Severity == rules.Mandatory && f.RuleID != "monthly-budget" {
					want[f.RuleID+" @ "+f.URN]++
				}
			}
			p, err := pack()
			require.NoError(t, err)
			var resources []policyx.AnalyzerResource
			for _, n := range tc.nodes {
				if n.Custom {
					resources = append(resources, analyzed(n))
				}
			}
			got := map[string]int{}
			var report violations
			for _, pol := range p.Policies() {
				report = report[:0]
				switch v := pol.(type) {
				case policyx.ResourceValidationPolicy:
					for _, r := range resources {
						require.NoError(t, v.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: &report, Resource: r}))
					}
				case policyx.StackValidationPolicy:
					if v.Name() == "monthly-budget" {
						continue // prices with the project's config: covered by its own tests
					}
					require.NoError(t, v.Validate(context.Background(), policyx.StackValidationArgs{Manager: &report, Resources: resources}))
				}
				for _, line := range report {
					got[pol.Name()+" @ "+line[strings.LastIndex(line, " @ ")+3:]]++
				}
			}
			assert.Equal(t, want, got)
		})
	}
}
