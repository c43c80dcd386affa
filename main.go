// The tenancy Pulumi program: a shared multi-tenant tier and dedicated-tenant
// stacks on AWS, driven by the tenant registry. See README.md.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/program"
)

func main() { pulumi.Run(program.Program) }
