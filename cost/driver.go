package cost

// Driver names the tenant workload quantity a cost follows: a shared
// resource's component is split over its tenants in proportion to it. The
// names are the workload's YAML keys in tenants/usage.yaml, and
// stacks.Workload.Quantity selects each one (a test fails on a driver that
// selects nothing).
type Driver string

// The drivers the pricers use.
const (
	Requests      Driver = "requestsMillions"
	DataOut       Driver = "dataOutGb"
	NATInternet   Driver = "natInternetGb"
	DBStorage     Driver = "dbStorageGb"
	DBIO          Driver = "dbIoMillions"
	CacheMemory   Driver = "cacheMemoryGb"
	AuditLogs     Driver = "auditLogGb"
	AppLogs       Driver = "appLogGb"
	CustomMetrics Driver = "customMetrics"
)

// Drivers lists every driver, for the tests that hold the workload to them.
var Drivers = []Driver{Requests, DataOut, NATInternet, DBStorage, DBIO, CacheMemory, AuditLogs, AppLogs, CustomMetrics}

// Follows is the driver a component is allocated by: its own, or requests
// (fixed costs such as instance hours are split by requests).
func (c Component) Follows() Driver {
	if c.Driver == "" {
		return Requests
	}
	return c.Driver
}
