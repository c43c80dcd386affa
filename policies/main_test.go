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
