package stacks

// The log groups the program creates and the cost model, the policy rules
// and the preview read by name: declared once, here.
const (
	// AuditLogGroupName is the article's audit log group; each shared tenant
	// writes to its own stream "tenant-<id>".
	AuditLogGroupName = "/aws/saas/audit"
	// AppLogGroupName is where the shared app tier ships its logs.
	AppLogGroupName = "/aws/saas/app"
	// TenantLogGroupPrefix prefixes each dedicated tenant's own log group.
	TenantLogGroupPrefix = "/aws/saas/tenants/"
)

// TenantLogGroupName is a dedicated tenant's own log group.
func TenantLogGroupName(tenant string) string { return TenantLogGroupPrefix + tenant }
