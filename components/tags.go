package components

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// TagTenantID is the tag every resource of a dedicated tenant carries.
const TagTenantID = "TenantId"

// tags merges tag maps into a Pulumi map; later maps win.
func tags(maps ...map[string]string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = pulumi.String(v)
		}
	}
	return out
}

// withName adds a Name tag, which the EC2 console shows.
func withName(base map[string]string, name string) pulumi.StringMap {
	return tags(base, map[string]string{"Name": name})
}

// tags2 copies base and adds one tag.
func tags2(base map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(base)+1)
	for bk, bv := range base {
		out[bk] = bv
	}
	out[k] = v
	return out
}
