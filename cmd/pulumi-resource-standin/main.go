// Command pulumi-resource-standin is a stand-in for AWS and the random
// provider, for the engine journeys: the real Pulumi engine loads it from
// PATH as pulumi-resource-aws and pulumi-resource-random (the name it is
// built under picks the package). It implements the provider protocol,
// answers with internal/standin's outputs, diffs by inputs, updates every
// change in place, and appends every operation to a journal the tests read.
// It is not AWS and validates nothing AWS validates.
//
// Environment:
//
//	STANDIN_JOURNAL   the journal file (JSON lines); none: no journal
//	STANDIN_FAIL_TAG  KEY=VALUE: creating a resource with that tag fails,
//	                  so a test can make one tenant's stack fail
//	                  (TenantId=oak-realty)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/tenancy-dev/tenancy/internal/standin"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// versions are the plugin versions the stand-in reports: the SDKs' in go.mod.
var versions = map[string]string{"aws": "6.83.4", "random": "4.21.2"}

func main() {
	pkg := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-resource-")
	if _, ok := versions[pkg]; !ok {
		fmt.Fprintf(os.Stderr, "pulumi-resource-standin: build it as pulumi-resource-aws or pulumi-resource-random (got %s)\n", os.Args[0])
		os.Exit(2)
	}
	if err := provider.Main(pkg, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &server{pkg: pkg, region: "us-east-1", journal: os.Getenv("STANDIN_JOURNAL")}, nil
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	pkg, region, journal string
	mu                   sync.Mutex
}

// Entry is one line of the journal.
type Entry struct {
	Op      string   `json:"op"` // check, diff, create, read, update, delete, invoke
	Package string   `json:"package"`
	URN     string   `json:"urn,omitempty"`
	Type    string   `json:"type,omitempty"`
	Preview bool     `json:"preview,omitempty"`
	Changes []string `json:"changes,omitempty"` // diff and update: the inputs that changed
	Token   string   `json:"token,omitempty"`   // invoke
}

func (s *server) record(e Entry) {
	if s.journal == "" {
		return
	}
	e.Package = s.pkg
	b, _ := json.Marshal(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.journal, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "standin journal:", err)
		return
	}
	defer f.Close()
	_, _ = f.Write(append(b, '\n'))
}

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true}

func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: versions[s.pkg]}, nil
}

func (s *server) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

func (s *server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (s *server) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (s *server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	if r := req.GetVariables()[s.pkg+":config:region"]; r != "" {
		s.region = r
	}
	if args := req.GetArgs(); args != nil {
		if v, ok := args.GetFields()["region"]; ok && v.GetStringValue() != "" {
			s.region = v.GetStringValue()
		}
	}
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

func (s *server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	s.record(Entry{Op: "invoke", Token: req.GetTok()})
	if req.GetTok() != "aws:index/getCallerIdentity:getCallerIdentity" {
		return nil, fmt.Errorf("the stand-in does not answer %s; add it to cmd/pulumi-resource-standin", req.GetTok())
	}
	ret, err := plugin.MarshalProperties(standin.CallerIdentity(), opts)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

func (s *server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// changed lists the top-level inputs that differ between old and new,
// sorted, leaving out ignored ones.
func changed(olds, news resource.PropertyMap, ignore []string) []string {
	skip := map[string]bool{}
	for _, k := range ignore {
		skip[k] = true
	}
	keys := map[resource.PropertyKey]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if skip[string(k)] {
			continue
		}
		o, inOld := olds[k]
		n, inNew := news[k]
		if inOld != inNew || !o.DeepEquals(n) {
			out = append(out, string(k))
		}
	}
	sort.Strings(out)
	return out
}

// inputChanges lists the inputs that differ between a resource's old
// inputs and its new ones.
func inputChanges(oldInputs, newInputs *structpb.Struct, ignore []string) ([]string, error) {
	olds, err := plugin.UnmarshalProperties(oldInputs, opts)
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(newInputs, opts)
	if err != nil {
		return nil, err
	}
	return changed(olds, news, ignore), nil
}

func (s *server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	diffs, err := inputChanges(req.GetOldInputs(), req.GetNews(), req.GetIgnoreChanges())
	if err != nil {
		return nil, err
	}
	urn := resource.URN(req.GetUrn())
	s.record(Entry{Op: "diff", URN: string(urn), Type: string(urn.Type()), Changes: diffs})
	if len(diffs) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: diffs}, nil
}

// state is what the stand-in reports for a resource with these inputs.
func (s *server) state(urn resource.URN, in *structpb.Struct) (string, *structpb.Struct, error) {
	inputs, err := plugin.UnmarshalProperties(in, opts)
	if err != nil {
		return "", nil, err
	}
	id, st := standin.Outputs(string(urn.Type()), urn.Name(), s.region, inputs)
	out, err := plugin.MarshalProperties(st, opts)
	return id, out, err
}

// failRequested says whether STANDIN_FAIL_TAG asks this create to fail.
func failRequested(in *structpb.Struct) bool {
	key, value, ok := strings.Cut(os.Getenv("STANDIN_FAIL_TAG"), "=")
	if !ok {
		return false
	}
	tag := in.GetFields()["tags"].GetStructValue().GetFields()[key]
	return tag != nil && tag.GetStringValue() == value
}

func (s *server) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	urn := resource.URN(req.GetUrn())
	s.record(Entry{Op: "create", URN: string(urn), Type: string(urn.Type()), Preview: req.GetPreview()})
	if !req.GetPreview() && failRequested(req.GetProperties()) {
		return nil, fmt.Errorf("stand-in: creating %s fails as STANDIN_FAIL_TAG=%s asks", urn.Name(), os.Getenv("STANDIN_FAIL_TAG"))
	}
	id, out, err := s.state(urn, req.GetProperties())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

func (s *server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	urn := resource.URN(req.GetUrn())
	s.record(Entry{Op: "read", URN: string(urn), Type: string(urn.Type())})
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (s *server) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	urn := resource.URN(req.GetUrn())
	changes, err := inputChanges(req.GetOldInputs(), req.GetNews(), req.GetIgnoreChanges())
	if err != nil {
		return nil, err
	}
	s.record(Entry{Op: "update", URN: string(urn), Type: string(urn.Type()), Preview: req.GetPreview(), Changes: changes})
	_, out, err := s.state(urn, req.GetNews())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

func (s *server) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	urn := resource.URN(req.GetUrn())
	s.record(Entry{Op: "delete", URN: string(urn), Type: string(urn.Type())})
	return &emptypb.Empty{}, nil
}
