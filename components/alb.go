package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TLSPolicy is the ALB's HTTPS policy: TLS 1.3 with 1.2 (ELB.17/ELB.18).
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// AppPort is the port the application listens on behind the load balancer,
// with TLS: the ALB ends the client's TLS at the edge (the ACM certificate)
// and opens a new TLS connection to the target, so no tenant's request
// crosses the VPC in the clear (HIPAA and PCI tenants ask it). The ALB does
// not check the target's certificate: a self-signed one made at boot does.
const AppPort = 8443

// loadBalancer is an internet-facing ALB with its group, target group and listeners.
type loadBalancer struct {
	LB          *lb.LoadBalancer
	TargetGroup *lb.TargetGroup
	SG          *ec2.SecurityGroup
}

type loadBalancerArgs struct {
	VpcID           pulumi.IDOutput
	PublicSubnetIDs pulumi.StringArrayOutput
	CertificateARN  pulumi.StringInput
	AccessLogBucket pulumi.StringInput
	AccessLogPrefix string
	Protected       bool
	Tags            map[string]string
}

// newLoadBalancer builds the ALB: HTTPS with a current TLS policy, HTTP
// redirected to HTTPS (ELB.1), invalid headers dropped (ELB.4), defensive
// desync mitigation (ELB.12), access logs (ELB.5), deletion protection in
// protected stacks (ELB.6).
func newLoadBalancer(ctx *pulumi.Context, name string, a loadBalancerArgs, opts ...pulumi.ResourceOption) (*loadBalancer, error) {
	sg, err := newSecurityGroup(ctx, name+"-alb", "load balancer: HTTPS and HTTP from the internet", a.VpcID, a.Tags, opts...)
	if err != nil {
		return nil, err
	}
	for _, in := range []struct {
		port int
		rule string
	}{{443, name + "-alb-https"}, {80, name + "-alb-http"}} {
		if err := sgInternet(ctx, in.rule, "ingress", sg, in.port, opts...); err != nil {
			return nil, err
		}
	}
	alb, err := lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		LoadBalancerType: pulumi.String("application"), Internal: pulumi.Bool(false),
		Subnets: a.PublicSubnetIDs, SecurityGroups: pulumi.StringArray{sg.ID()},
		DropInvalidHeaderFields: pulumi.Bool(true), DesyncMitigationMode: pulumi.String("defensive"),
		EnableDeletionProtection: pulumi.Bool(a.Protected),
		AccessLogs:               &lb.LoadBalancerAccessLogsArgs{Bucket: a.AccessLogBucket, Prefix: pulumi.String(a.AccessLogPrefix), Enabled: pulumi.Bool(true)},
		Tags:                     tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, err
	}
	tg, err := lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
		VpcId: a.VpcID, Port: pulumi.Int(AppPort), Protocol: pulumi.String("HTTPS"), TargetType: pulumi.String("instance"),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{Protocol: pulumi.String("HTTPS"), Path: pulumi.String("/healthz"), Matcher: pulumi.String("200"),
			HealthyThreshold: pulumi.Int(2), UnhealthyThreshold: pulumi.Int(3), Interval: pulumi.Int(15)},
		Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn, Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"),
		SslPolicy: pulumi.String(TLSPolicy), CertificateArn: a.CertificateARN,
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg.Arn}},
		Tags:           tags(a.Tags),
	}, opts...); err != nil {
		return nil, err
	}
	if _, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn, Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: &lb.ListenerDefaultActionRedirectArgs{Protocol: pulumi.String("HTTPS"), Port: pulumi.String("443"),
				StatusCode: pulumi.String("HTTP_301")},
		}},
		Tags: tags(a.Tags),
	}, opts...); err != nil {
		return nil, err
	}
	return &loadBalancer{LB: alb, TargetGroup: tg, SG: sg}, nil
}

// AMIParameter is the SSM public parameter EC2 resolves to the current Amazon
// Linux 2023 AMI at launch: no lookup call, no AMI id pinned in state.
func AMIParameter(graviton bool) string {
	if graviton {
		return "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
	}
	return "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

type launchTemplateArgs struct {
	InstanceType string
	Graviton     bool
	ProfileARN   pulumi.StringInput
	SG           *ec2.SecurityGroup
	KeyARN       pulumi.StringInput
	RootVolumeGB int
	// Standalone is for a template an ec2.Instance launches into its own
	// subnet: EC2 refuses an instance-level subnet when the template carries
	// a network interface, so the group goes on the template instead and the
	// instance says "no public IP" itself.
	Standalone bool
	Tags       map[string]string
}

// newLaunchTemplate is the app server's template: IMDSv2 only with hop limit 1
// (EC2.170, AutoScaling.3/.4), encrypted gp3 root volume with the stack's key
// (EC2.181), no public IP (AutoScaling.5).
func newLaunchTemplate(ctx *pulumi.Context, name string, a launchTemplateArgs, opts ...pulumi.ResourceOption) (*ec2.LaunchTemplate, error) {
	if a.RootVolumeGB < 8 {
		return nil, fmt.Errorf("launch template %s: a %d GB root volume is smaller than the Amazon Linux 2023 AMI's 8 GB", name, a.RootVolumeGB)
	}
	lt := &ec2.LaunchTemplateArgs{
		ImageId:            pulumi.String(AMIParameter(a.Graviton)),
		InstanceType:       pulumi.String(a.InstanceType),
		IamInstanceProfile: &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: a.ProfileARN},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint: pulumi.String("enabled"), HttpTokens: pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1), InstanceMetadataTags: pulumi.String("enabled"),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{VolumeSize: pulumi.Int(a.RootVolumeGB), VolumeType: pulumi.String("gp3"),
				Encrypted: pulumi.String("true"), KmsKeyId: a.KeyARN, DeleteOnTermination: pulumi.String("true")},
		}},
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("instance"), Tags: withName(a.Tags, name)},
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("volume"), Tags: withName(a.Tags, name)},
		},
		UpdateDefaultVersion: pulumi.Bool(true),
		Tags:                 tags(a.Tags),
	}
	if a.Standalone {
		lt.VpcSecurityGroupIds = pulumi.StringArray{a.SG.ID()}
	} else {
		lt.NetworkInterfaces = ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{
			DeviceIndex: pulumi.Int(0), AssociatePublicIpAddress: pulumi.String("false"),
			SecurityGroups: pulumi.StringArray{a.SG.ID()}, DeleteOnTermination: pulumi.String("true"),
		}}
	}
	return ec2.NewLaunchTemplate(ctx, name, lt, opts...)
}
