// Package standin is a stand-in for AWS (and the random provider) for the
// program's tests: what a resource of each type reports once created. The
// offline mocks answer with it, and so does the stand-in resource plugin
// that the real Pulumi engine loads in the engine journeys
// (cmd/pulumi-resource-standin). It is not AWS: it checks nothing AWS
// checks.
package standin

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// AccountID is the account the stand-in answers getCallerIdentity with.
const AccountID = "123456789012"

// CallerIdentity is the stand-in's answer to aws:index/getCallerIdentity.
func CallerIdentity() resource.PropertyMap {
	return resource.NewPropertyMapFromMap(map[string]any{
		"accountId": AccountID, "arn": "arn:aws:iam::" + AccountID + ":user/standin", "userId": "AIDASTANDIN", "id": AccountID,
	})
}

// Outputs returns the id and the state a stand-in for AWS reports for a
// resource of type typ: its inputs, plus the computed outputs the program
// reads (ids, ARNs, endpoints, DNS names), in the shape AWS gives them.
// Nothing is validated: AWS would refuse things this accepts.
func Outputs(typ, name, region string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	state := inputs.Copy()
	set := func(k string, v any) {
		if _, ok := state[resource.PropertyKey(k)]; !ok {
			state[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
		}
	}
	mod := typ
	if _, rest, ok := strings.Cut(mod, ":"); ok {
		mod, _, _ = strings.Cut(rest, "/")
	}
	id := name + "-id"
	arnRegion := region
	if mod == "iam" {
		arnRegion = "" // IAM is global: its ARNs carry no region
	}
	set("arn", fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", mod, arnRegion, AccountID, strings.ToLower(typ[strings.LastIndex(typ, ":")+1:]), name))
	set("name", name)
	switch typ {
	case "aws:lb/loadBalancer:LoadBalancer":
		set("dnsName", fmt.Sprintf("%s-1234567890.%s.elb.amazonaws.com", name, region))
		set("zoneId", "Z35SXDOTRQ7X7K")
	case "aws:rds/cluster:Cluster":
		set("clusterIdentifier", name)
		set("endpoint", fmt.Sprintf("%s.cluster-abcdefghijkl.%s.rds.amazonaws.com", name, region))
		set("readerEndpoint", fmt.Sprintf("%s.cluster-ro-abcdefghijkl.%s.rds.amazonaws.com", name, region))
		set("masterUserSecrets", []any{map[string]any{
			"secretArn": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!cluster-%s", region, AccountID, name), "secretStatus": "active"}})
	case "aws:rds/instance:Instance":
		set("resourceId", "db-"+strings.ToUpper(strings.ReplaceAll(name, "-", "")))
		set("endpoint", fmt.Sprintf("%s.abcdefghijkl.%s.rds.amazonaws.com:5432", name, region))
		set("address", fmt.Sprintf("%s.abcdefghijkl.%s.rds.amazonaws.com", name, region))
	case "aws:rds/proxy:Proxy":
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:rds:%s:%s:db-proxy:prx-%s", region, AccountID, name))
		set("endpoint", fmt.Sprintf("%s.proxy-abcdefghijkl.%s.rds.amazonaws.com", name, region))
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		set("primaryEndpointAddress", fmt.Sprintf("master.%s.abcdef.use1.cache.amazonaws.com", name))
		// ElastiCache ARNs end in ":<kind>:<id>", and the id is the group's.
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:elasticache:%s:%s:replicationgroup:%s", region, AccountID, id))
	case "aws:elasticache/user:User":
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:elasticache:%s:%s:user:%s", region, AccountID, inputs["userId"].StringValue()))
	case "aws:acm/certificate:Certificate":
		domain := inputs["domainName"].StringValue()
		base := strings.TrimPrefix(domain, "*.")
		set("domainValidationOptions", []any{map[string]any{
			"domainName": domain, "resourceRecordName": "_0123456789abcdef." + base + ".",
			"resourceRecordType": "CNAME", "resourceRecordValue": "_fedcba9876543210.acm-validations.aws."}})
	case "aws:acm/certificateValidation:CertificateValidation":
		state["certificateArn"] = inputs["certificateArn"]
	case "aws:route53/record:Record":
		if n, ok := inputs["name"]; ok && n.IsString() {
			set("fqdn", strings.TrimSuffix(n.StringValue(), "."))
		}
	case "aws:kms/key:Key":
		id = "mrk-" + name
		set("keyId", id)
		state["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, AccountID, id))
	case "aws:ec2/launchTemplate:LaunchTemplate":
		set("latestVersion", 1)
	case "aws:s3/bucketV2:BucketV2":
		set("bucket", name+"-0123456")
	case "random:index/randomPassword:RandomPassword":
		state["result"] = resource.MakeSecret(resource.NewPropertyValue(Password(inputs)))
	}
	return id, state
}

// Password makes a deterministic password that honours the requested
// length and special characters, so tests can check what AWS accepts.
func Password(in resource.PropertyMap) string {
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
