package components

import (
	"errors"
	"fmt"
	"math/bits"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NetworkArgs shapes a VPC.
type NetworkArgs struct {
	CIDR        string   // an IPv4 /16 to /20
	AZs         []string // availability zone names, two or more
	NATGateways int      // 1 (the article's single NAT) or len(AZs)
	Region      string
	// LogKeyARN encrypts the flow-log group (its key policy must allow CloudWatch Logs).
	LogKeyARN pulumi.StringInput
	// AccountID holds the flow-log role to this account's flow logs.
	AccountID pulumi.StringOutput
	// FlowLogRetentionDays keeps VPC flow logs this long.
	FlowLogRetentionDays int
	Tags                 map[string]string
}

// Network is a VPC across AZs with public, private and isolated subnets, NAT,
// an S3 gateway endpoint, flow logs, and the default security group closed.
type Network struct {
	pulumi.ResourceState

	VpcID             pulumi.IDOutput          `pulumi:"vpcId"`
	PublicSubnetIDs   pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	PrivateSubnetIDs  pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	IsolatedSubnetIDs pulumi.StringArrayOutput `pulumi:"isolatedSubnetIds"`
	// AZs are the zones, in the order of the subnet lists.
	AZs []string
}

// NewNetwork builds a Network.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		return nil, errors.New("network: args are required")
	}
	if len(args.AZs) < 2 {
		return nil, fmt.Errorf("network %s: %d availability zones; two or more are required", name, len(args.AZs))
	}
	if args.NATGateways != 1 && args.NATGateways != len(args.AZs) {
		return nil, fmt.Errorf("network %s: %d NAT gateways; use 1 or one per AZ (%d)", name, args.NATGateways, len(args.AZs))
	}
	subnets, err := carveSubnets(args.CIDR, 3*len(args.AZs))
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	n := &Network{AZs: args.AZs}
	if err := ctx.RegisterComponentResource("tenancy:index:Network", name, n, opts...); err != nil {
		return nil, err
	}
	b := &networkBuild{ctx: ctx, name: name, args: args, parent: pulumi.Parent(n)}
	if err := b.vpcAndGateway(); err != nil {
		return nil, err
	}
	var public, private, isolated, routeTableIDs pulumi.StringArray
	for i, az := range args.AZs {
		z, err := b.zone(i, az, subnets[3*i:3*i+3])
		if err != nil {
			return nil, err
		}
		public, private, isolated = append(public, z.public), append(private, z.private), append(isolated, z.isolated)
		routeTableIDs = append(routeTableIDs, z.privateRouteTable)
	}
	if err := b.s3Endpoint(routeTableIDs); err != nil {
		return nil, err
	}
	if err := b.flowLogs(); err != nil {
		return nil, err
	}
	n.VpcID = b.vpc.ID()
	n.PublicSubnetIDs = public.ToStringArrayOutput()
	n.PrivateSubnetIDs = private.ToStringArrayOutput()
	n.IsolatedSubnetIDs = isolated.ToStringArrayOutput()
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId": n.VpcID, "publicSubnetIds": n.PublicSubnetIDs, "privateSubnetIds": n.PrivateSubnetIDs, "isolatedSubnetIds": n.IsolatedSubnetIDs,
	})
}

// networkBuild holds what a network's steps share while it is built.
type networkBuild struct {
	ctx                  *pulumi.Context
	name                 string
	args                 *NetworkArgs
	parent               pulumi.ResourceOption
	vpc                  *ec2.Vpc
	igw                  *ec2.InternetGateway
	publicRT, isolatedRT *ec2.RouteTable
	natIDs               []pulumi.IDOutput
}

// vpcAndGateway builds the VPC, its closed default security group, the
// internet gateway and the route tables the zones share.
func (b *networkBuild) vpcAndGateway() error {
	ctx, name, tagsIn, parent := b.ctx, b.name, b.args.Tags, b.parent
	var err error
	if b.vpc, err = ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock: pulumi.String(b.args.CIDR), EnableDnsHostnames: pulumi.Bool(true), EnableDnsSupport: pulumi.Bool(true),
		Tags: withName(tagsIn, name),
	}, parent); err != nil {
		return err
	}
	// EC2.2: the default security group allows nothing.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: b.vpc.ID(), Tags: withName(tagsIn, name+"-default-closed"),
	}, parent); err != nil {
		return err
	}
	if b.igw, err = ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{VpcId: b.vpc.ID(), Tags: withName(tagsIn, name)}, parent); err != nil {
		return err
	}
	if b.publicRT, err = ec2.NewRouteTable(ctx, name+"-public-rt", &ec2.RouteTableArgs{VpcId: b.vpc.ID(), Tags: withName(tagsIn, name+"-public")}, parent); err != nil {
		return err
	}
	if _, err := ec2.NewRoute(ctx, name+"-public-default", &ec2.RouteArgs{
		RouteTableId: b.publicRT.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: b.igw.ID(),
	}, parent); err != nil {
		return err
	}
	// The isolated subnets hold the databases and caches: they reach nothing,
	// S3 included.
	b.isolatedRT, err = ec2.NewRouteTable(ctx, name+"-isolated-rt", &ec2.RouteTableArgs{VpcId: b.vpc.ID(), Tags: withName(tagsIn, name+"-isolated")}, parent)
	return err
}

// zoneIDs are what one AZ of a network adds.
type zoneIDs struct{ public, private, isolated, privateRouteTable pulumi.StringInput }

// zone builds one AZ: its public, private and isolated subnets, its NAT
// gateway (the first NATGateways zones have one), and its private route
// table to the nearest NAT.
func (b *networkBuild) zone(i int, az string, cidrs []netip.Prefix) (zoneIDs, error) {
	ctx, name, tagsIn, parent := b.ctx, b.name, b.args.Tags, b.parent
	ids := []pulumi.IDOutput{}
	for k, kind := range []string{"public", "private", "isolated"} {
		sn, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-%s-%d", name, kind, i), &ec2.SubnetArgs{
			VpcId: b.vpc.ID(), CidrBlock: pulumi.String(cidrs[k].String()), AvailabilityZone: pulumi.String(az),
			MapPublicIpOnLaunch: pulumi.Bool(false), // EC2.15: nothing gets a public IP by accident
			Tags:                withName(tags2(tagsIn, "Tier", kind), fmt.Sprintf("%s-%s-%s", name, kind, az)),
		}, parent)
		if err != nil {
			return zoneIDs{}, err
		}
		ids = append(ids, sn.ID())
	}
	pub, priv, iso := ids[0], ids[1], ids[2]
	if err := b.associate(fmt.Sprintf("%s-public-%d", name, i), pub, b.publicRT.ID()); err != nil {
		return zoneIDs{}, err
	}
	if err := b.associate(fmt.Sprintf("%s-isolated-%d", name, i), iso, b.isolatedRT.ID()); err != nil {
		return zoneIDs{}, err
	}
	if i < b.args.NATGateways {
		eip, err := ec2.NewEip(ctx, fmt.Sprintf("%s-nat-%d", name, i), &ec2.EipArgs{Domain: pulumi.String("vpc"), Tags: withName(tagsIn, fmt.Sprintf("%s-nat-%s", name, az))}, parent)
		if err != nil {
			return zoneIDs{}, err
		}
		nat, err := ec2.NewNatGateway(ctx, fmt.Sprintf("%s-nat-%d", name, i), &ec2.NatGatewayArgs{
			AllocationId: eip.ID(), SubnetId: pub, Tags: withName(tagsIn, fmt.Sprintf("%s-%s", name, az)),
		}, parent, pulumi.DependsOn([]pulumi.Resource{b.igw}))
		if err != nil {
			return zoneIDs{}, err
		}
		b.natIDs = append(b.natIDs, nat.ID())
	}
	rt, err := ec2.NewRouteTable(ctx, fmt.Sprintf("%s-private-rt-%d", name, i), &ec2.RouteTableArgs{VpcId: b.vpc.ID(), Tags: withName(tagsIn, fmt.Sprintf("%s-private-%s", name, az))}, parent)
	if err != nil {
		return zoneIDs{}, err
	}
	if _, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-private-default-%d", name, i), &ec2.RouteArgs{
		RouteTableId: rt.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), NatGatewayId: b.natIDs[min(i, len(b.natIDs)-1)],
	}, parent); err != nil {
		return zoneIDs{}, err
	}
	if err := b.associate(fmt.Sprintf("%s-private-%d", name, i), priv, rt.ID()); err != nil {
		return zoneIDs{}, err
	}
	return zoneIDs{public: pub, private: priv, isolated: iso, privateRouteTable: rt.ID()}, nil
}

func (b *networkBuild) associate(name string, subnet, routeTable pulumi.IDOutput) error {
	_, err := ec2.NewRouteTableAssociation(b.ctx, name, &ec2.RouteTableAssociationArgs{SubnetId: subnet, RouteTableId: routeTable}, b.parent)
	return err
}

// s3Endpoint: S3 traffic skips the NAT (and its per-GB charge) through a
// gateway endpoint, which reaches only this account's buckets and the
// AWS-owned ones the servers read (Amazon Linux packages, the SSM agent's):
// a compromised server cannot copy data to a bucket of someone else's.
func (b *networkBuild) s3Endpoint(routeTableIDs pulumi.StringArray) error {
	region, acct := b.args.Region, b.args.AccountID
	_, err := ec2.NewVpcEndpoint(b.ctx, b.name+"-s3", &ec2.VpcEndpointArgs{
		VpcId: b.vpc.ID(), ServiceName: pulumi.Sprintf("com.amazonaws.%s.s3", region),
		VpcEndpointType: pulumi.String("Gateway"), RouteTableIds: routeTableIDs, Tags: withName(b.args.Tags, b.name+"-s3"),
		Policy: acct.ApplyT(func(acct string) string { return s3EndpointPolicy(region, acct) }).(pulumi.StringOutput),
	}, b.parent)
	return err
}

// flowLogs (EC2.6): flow logs of all traffic to an encrypted log group.
func (b *networkBuild) flowLogs() error {
	ctx, name, args, parent := b.ctx, b.name, b.args, b.parent
	logGroup, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(args.FlowLogRetentionDays), KmsKeyId: args.LogKeyARN, Tags: tags(args.Tags),
	}, parent)
	if err != nil {
		return err
	}
	role, err := iam.NewRole(ctx, name+"-flow-logs", &iam.RoleArgs{
		AssumeRolePolicy: args.AccountID.ApplyT(func(acct string) string { return assumeRolePolicy("vpc-flow-logs.amazonaws.com", acct) }).(pulumi.StringOutput),
		Tags:             tags(args.Tags),
	}, parent)
	if err != nil {
		return err
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: logGroup.Arn.ApplyT(func(arn string) string {
			return policyDocument(map[string]any{"Effect": "Allow",
				"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"},
				"Resource": []string{arn, arn + ":*"}})
		}).(pulumi.StringOutput),
	}, parent); err != nil {
		return err
	}
	_, err = ec2.NewFlowLog(ctx, name+"-flow-logs", &ec2.FlowLogArgs{
		VpcId: b.vpc.ID(), TrafficType: pulumi.String("ALL"), LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination: logGroup.Arn, IamRoleArn: role.Arn, MaxAggregationInterval: pulumi.Int(600), Tags: tags(args.Tags),
	}, parent)
	return err
}

// carveSubnets splits cidr into n equal subnets (n rounded up to a power of two).
func carveSubnets(cidr string, n int) ([]netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return nil, fmt.Errorf("VPC CIDR %q is not an IPv4 network", cidr)
	}
	newBits := bits.Len(uint(n - 1))
	size := p.Bits() + newBits
	if size > 28 {
		return nil, fmt.Errorf("VPC CIDR %q is too small for %d subnets (AWS subnets are /28 or larger)", cidr, n)
	}
	base := p.Masked().Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	step := uint32(1) << (32 - size)
	out := make([]netip.Prefix, n)
	for i := range out {
		v := start + uint32(i)*step
		out[i] = netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), size)
	}
	return out, nil
}

// s3EndpointPolicy keeps a VPC's S3 traffic to the account's own buckets and
// the AWS-owned buckets its servers read from.
func s3EndpointPolicy(region, account string) string {
	return policyDocument(
		map[string]any{"Sid": "OwnBuckets", "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceAccount": account}}},
		map[string]any{"Sid": "AWSPackagesAndAgents", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
			"Resource": []string{
				fmt.Sprintf("arn:aws:s3:::al2023-repos-%s-*/*", region),
				fmt.Sprintf("arn:aws:s3:::amazonlinux-2-repos-%s/*", region),
				fmt.Sprintf("arn:aws:s3:::aws-ssm-%s/*", region),
				fmt.Sprintf("arn:aws:s3:::amazon-ssm-%s/*", region),
			}},
	)
}
