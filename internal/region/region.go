// Package region is the one table of the AWS regions tenancy supports and
// what each needs: the config validator accepts exactly these names, the
// edge grants ALB log delivery to each one's ELB account, and the price
// refresh reads each one's Price List usage-type prefix.
package region

// Region is one supported AWS region.
type Region struct {
	Name string
	// ELBLogAccount is the AWS account that delivers ALB access logs in the
	// region (regions opened before August 2022 use these, not a service
	// principal).
	ELBLogAccount string
	// UsagePrefix is the region's prefix of Price List usage types ("" in
	// us-east-1, "USW2-" in us-west-2). Known says whether tenancy has it:
	// a price refresh in a region without it stops with an error.
	UsagePrefix string
	Known       bool
}

// table is every supported region. To add one: its ELB log account (AWS's
// "Enable access logs for your Application Load Balancer" page) and, to
// refresh prices there, its usage-type prefix from a Price List product.
var table = []Region{
	{Name: "us-east-1", ELBLogAccount: "127311923021", UsagePrefix: "", Known: true},
	{Name: "us-east-2", ELBLogAccount: "033677994240", UsagePrefix: "USE2-", Known: true},
	{Name: "us-west-1", ELBLogAccount: "027434742980", UsagePrefix: "USW1-", Known: true},
	{Name: "us-west-2", ELBLogAccount: "797873946194", UsagePrefix: "USW2-", Known: true},
	{Name: "ca-central-1", ELBLogAccount: "985666609251"},
	{Name: "eu-west-1", ELBLogAccount: "156460612806", UsagePrefix: "EU-", Known: true},
	{Name: "eu-west-2", ELBLogAccount: "652711504416"},
	{Name: "eu-west-3", ELBLogAccount: "009996457667"},
	{Name: "eu-central-1", ELBLogAccount: "054676820928", UsagePrefix: "EUC1-", Known: true},
	{Name: "eu-north-1", ELBLogAccount: "897822967062"},
	{Name: "ap-south-1", ELBLogAccount: "718504428378"},
	{Name: "ap-southeast-1", ELBLogAccount: "114774131450"},
	{Name: "ap-southeast-2", ELBLogAccount: "783225319266"},
	{Name: "ap-northeast-1", ELBLogAccount: "582318560864"},
	{Name: "ap-northeast-2", ELBLogAccount: "600734575887"},
	{Name: "sa-east-1", ELBLogAccount: "507241528517"},
}

// Lookup returns a supported region by name.
func Lookup(name string) (Region, bool) {
	for _, r := range table {
		if r.Name == name {
			return r, true
		}
	}
	return Region{}, false
}

// Names lists the supported regions, in the table's order (the order
// messages give them in).
func Names() []string {
	out := make([]string, len(table))
	for i, r := range table {
		out[i] = r.Name
	}
	return out
}
