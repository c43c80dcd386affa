package components

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// stateful returns the options for a resource whose loss loses data: in a
// protected (prod) stack Pulumi refuses to delete it, and if it is removed from
// the program it is kept in AWS instead of deleted.
func stateful(protected bool, opts ...pulumi.ResourceOption) []pulumi.ResourceOption {
	if protected {
		opts = append(opts, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	return opts
}
