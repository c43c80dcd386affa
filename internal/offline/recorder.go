// Package offline evaluates the real tenancy program under Pulumi mocks, with
// no AWS account and no Pulumi CLI, and records the resource graph it builds.
package offline

import (
	"fmt"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/internal/standin"
)

// MockAccountID is the account the mocks answer getCallerIdentity with.
const MockAccountID = standin.AccountID

// Resource is one registered resource, as the program asked for it.
type Resource struct {
	URN            string
	Type           string
	Name           string
	Parent         string // parent URN; the stack for top-level resources
	Custom         bool   // false for component resources
	Provider       string // explicit provider reference, if any
	ID             string // the mock's physical id ("" for components)
	Protect        bool
	RetainOnDelete bool
	IgnoreChanges  []string
	Inputs         resource.PropertyMap
}

// recorder is a pulumi.MockResourceMonitor that keeps every registration and
// answers with plausible AWS outputs, so the program's wiring is exercised.
type recorder struct {
	project, stack, region string

	mu        sync.Mutex
	resources []Resource
}

func newRecorder(project, stack, region string) *recorder {
	return &recorder{project: project, stack: stack, region: region}
}

// urn computes a resource URN the way the engine does.
func (r *recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType, tokens.Type(typ), name))
}

// NewResource records a registration and returns the resource's mock state.
func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	res := Resource{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Provider: args.Provider, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		res.Parent = rpc.GetParent()
		res.Protect = rpc.GetProtect()
		res.RetainOnDelete = rpc.GetRetainOnDelete()
		res.IgnoreChanges = rpc.GetIgnoreChanges()
	}
	res.URN = r.urn(res.Parent, res.Type, res.Name)
	var id string
	state := resource.PropertyMap{}
	if args.Custom {
		id, state = r.outputs(args)
		res.ID = id
	}
	r.mu.Lock()
	r.resources = append(r.resources, res)
	r.mu.Unlock()
	return id, state, nil
}

// Call answers the provider functions the program invokes.
func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return standin.CallerIdentity(), nil
	}
	return nil, fmt.Errorf("offline: the program called %s, which the mocks do not answer; add it to internal/offline/recorder.go", args.Token)
}

// outputs returns the id and state AWS would report, for the outputs the program reads.
func (r *recorder) outputs(args pulumi.MockResourceArgs) (string, resource.PropertyMap) {
	return standin.Outputs(args.TypeToken, args.Name, r.region, args.Inputs)
}
