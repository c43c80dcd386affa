// Package offline evaluates the real tenancy program under Pulumi mocks, with
// no AWS account and no Pulumi CLI, and records the resource graph it builds.
package offline

import (
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MockAccountID is the account the mocks answer getCallerIdentity with.
const MockAccountID = "123456789012"

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
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": MockAccountID, "arn": "arn:aws:iam::" + MockAccountID + ":user/offline", "userId": "AIDAOFFLINE", "id": MockAccountID,
		}), nil
	}
	return nil, fmt.Errorf("offline: the program called %s, which the mocks do not answer; add it to internal/offline/recorder.go", args.Token)
}

// outputs returns the id and state AWS would report, for the outputs the program reads.
func (r *recorder) outputs(args pulumi.MockResourceArgs) (string, resource.PropertyMap) {
	name := args.Name
	state := args.Inputs.Copy()
	set := func(k string, v any) {
		if _, ok := state[resource.PropertyKey(k)]; !ok {
			state[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
		}
	}
	mod := args.TypeToken
	if _, rest, ok := strings.Cut(mod, ":"); ok {
		mod, _, _ = strings.Cut(rest, "/")
	}
	id := name + "-id"
	region := r.region
	if mod == "iam" {
		region = "" // IAM is global: its ARNs carry no region
	}
	set("arn", fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", mod, region, MockAccountID, strings.ToLower(args.TypeToken[strings.LastIndex(args.TypeToken, ":")+1:]), name))
	set("name", name)
	switch args.TypeToken {
	case "aws:lb/loadBalancer:LoadBalancer":
		set("dnsName", fmt.Sprintf("%s-1234567890.%s.elb.amazonaws.com", name, r.region))
		set("zoneId", "Z35SXDOTRQ7X7K")
	case "aws:rds/cluster:Cluster":
		set("clusterIdentifier", name)
		set("endpoint", fmt.Sprintf("%s.cluster-abcdefghijkl.%s.rds.amazonaws.com", name, r.region))
		set("readerEndpoint", fmt.Sprintf("%s.cluster-ro-abcdefghijkl.%s.rds.amazonaws.com", name, r.region))
		set("masterUserSecrets", []any{map[string]any{
			"secretArn": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!cluster-%s", r.region, MockAccountID, name), "secretStatus": "active"}})
	case "aws:rds/instance:Instance":
		set("resourceId", "db-"+strings.ToUpper(strings.ReplaceAll(name, "-", "")))
		set("endpoint", fmt.Sprintf("%s.abcdefghijkl.%s.rds.amazonaws.com:5432", name, r.region))
		set("address", fmt.Sprintf("%s.abcdefghijkl.%s.rds.amazonaws.com", name, r.region))
	case "aws:rds/proxy:Proxy":
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:rds:%s:%s:db-proxy:prx-%s", r.region, MockAccountID, name))
		set("endpoint", fmt.Sprintf("%s.proxy-abcdefghijkl.%s.rds.amazonaws.com", name, r.region))
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		set("primaryEndpointAddress", fmt.Sprintf("master.%s.abcdef.use1.cache.amazonaws.com", name))
		// ElastiCache ARNs end in ":<kind>:<id>", and the id is the group's.
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:elasticache:%s:%s:replicationgroup:%s", r.region, MockAccountID, id))
	case "aws:elasticache/user:User":
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:elasticache:%s:%s:user:%s", r.region, MockAccountID, args.Inputs["userId"].StringValue()))
	case "aws:acm/certificate:Certificate":
		domain := args.Inputs["domainName"].StringValue()
		base := strings.TrimPrefix(domain, "*.")
		set("domainValidationOptions", []any{map[string]any{
			"domainName": domain, "resourceRecordName": "_0123456789abcdef." + base + ".",
			"resourceRecordType": "CNAME", "resourceRecordValue": "_fedcba9876543210.acm-validations.aws."}})
	case "aws:acm/certificateValidation:CertificateValidation":
		state["certificateArn"] = args.Inputs["certificateArn"]
	case "aws:route53/record:Record":
		if n, ok := args.Inputs["name"]; ok && n.IsString() {
			set("fqdn", strings.TrimSuffix(n.StringValue(), "."))
		}
	case "aws:kms/key:Key":
		id = "mrk-" + name
		set("keyId", id)
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", r.region, MockAccountID, id))
	case "aws:ec2/launchTemplate:LaunchTemplate":
		set("latestVersion", 1)
	case "aws:s3/bucketV2:BucketV2":
		set("bucket", name+"-0123456")
	case "random:index/randomPassword:RandomPassword":
		state["result"] = resource.MakeSecret(resource.NewPropertyValue(mockPassword(args.Inputs)))
	}
	return id, state
}

// mockPassword makes a deterministic password that honours the requested
// length and special characters, so tests can check what AWS accepts.
func mockPassword(in resource.PropertyMap) string {
	n := 32
	if v, ok := in["length"]; ok && v.IsNumber() {
		n = int(v.NumberValue())
	}
	specials := "!@#$%&*()-_=+[]{}<>:?"
	if v, ok := in["overrideSpecial"]; ok && v.IsString() {
		specials = v.StringValue()
	}
	alphabet := "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789" + specials
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[(i*7+3)%len(alphabet)])
	}
	return b.String()
}
