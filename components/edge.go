package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/region"
)

// EdgeArgs configures what every load balancer of a stack shares.
type EdgeArgs struct {
	Stack        string
	Region       string
	DomainName   string
	HostedZoneID string
	AccountID    pulumi.StringOutput
	Protected    bool
	Tags         map[string]string
}

// Edge is a stack's certificate for *.<domain> (validated in Route 53) and
// the bucket its load balancers write access logs to.
type Edge struct {
	pulumi.ResourceState

	CertificateARN  pulumi.StringOutput `pulumi:"certificateArn"`
	AccessLogBucket pulumi.StringOutput `pulumi:"accessLogBucket"`
	// WAFLogDelivery is the resource policy that lets WAF deliver to the
	// stack's aws-waf-logs- groups: web ACL logging waits for it.
	WAFLogDelivery pulumi.Resource
}

// NewEdge builds the Edge.
func NewEdge(ctx *pulumi.Context, name string, args *EdgeArgs, opts ...pulumi.ResourceOption) (*Edge, error) {
	if args == nil {
		return nil, errors.New("edge: args are required")
	}
	r, ok := region.Lookup(args.Region)
	elbAccount := r.ELBLogAccount
	if !ok {
		return nil, fmt.Errorf("edge: no ALB log-delivery account known for region %s", args.Region)
	}
	c := &Edge{}
	if err := ctx.RegisterComponentResource("tenancy:index:Edge", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	cert, err := acm.NewCertificate(ctx, name+"-cert", &acm.CertificateArgs{
		DomainName: pulumi.String("*." + args.DomainName), SubjectAlternativeNames: pulumi.StringArray{pulumi.String(args.DomainName)},
		ValidationMethod: pulumi.String("DNS"), Tags: tags(args.Tags),
	}, parent)
	if err != nil {
		return nil, err
	}
	// *.d and d share one validation record.
	dvo := cert.DomainValidationOptions.Index(pulumi.Int(0))
	record, err := route53.NewRecord(ctx, name+"-cert-validation", &route53.RecordArgs{
		ZoneId: pulumi.String(args.HostedZoneID), Name: dvo.ResourceRecordName().Elem(), Type: dvo.ResourceRecordType().Elem(),
		Records: pulumi.StringArray{dvo.ResourceRecordValue().Elem()}, Ttl: pulumi.Int(300), AllowOverwrite: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, err
	}
	valid, err := acm.NewCertificateValidation(ctx, name+"-cert", &acm.CertificateValidationArgs{
		CertificateArn: cert.Arn, ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, parent)
	if err != nil {
		return nil, err
	}

	// ALB access logs need SSE-S3 (ALBs cannot write with a KMS key).
	bucket, policy, err := newPrivateBucket(ctx, name+"-alb-logs", privateBucketArgs{
		Purpose: cost.PurposeALBLogs, AccountID: args.AccountID, ExpireDays: 365, Protected: args.Protected, Tags: args.Tags,
		Policy: func(arn, acct string) []map[string]any {
			return []map[string]any{{"Sid": "ELBWritesAccessLogs", "Effect": "Allow",
				"Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", elbAccount)},
				"Action":    "s3:PutObject", "Resource": fmt.Sprintf("%s/*/AWSLogs/%s/*", arn, acct)}}
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	// WAF would otherwise add each log group to one account-wide policy
	// (AWSWAF-LOGS, at most 5,120 characters: full after a few dozen web
	// ACLs), outside Pulumi and left behind on destroy. One policy per
	// stack covers its groups by prefix.
	delivery, err := cloudwatch.NewLogResourcePolicy(ctx, name+"-waf-logs", &cloudwatch.LogResourcePolicyArgs{
		PolicyName: pulumi.Sprintf("tenancy-%s-waf-logs", args.Stack),
		PolicyDocument: args.AccountID.ApplyT(func(acct string) string {
			return policyDocument(map[string]any{
				"Sid": "WAFDeliversToTheStacksGroups", "Effect": "Allow", "Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"},
				"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s*:log-stream:*", args.Region, acct, WAFLogGroupName(args.Stack, "")),
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": acct},
					"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:aws:logs:%s:%s:*", args.Region, acct)},
				},
			})
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, err
	}
	c.WAFLogDelivery = delivery
	c.CertificateARN = valid.CertificateArn
	// Load balancers wait for the policy, or AWS refuses their log settings.
	c.AccessLogBucket = pulumi.All(bucket.Bucket, policy.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"certificateArn": c.CertificateARN, "accessLogBucket": c.AccessLogBucket})
}
