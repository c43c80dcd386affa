package stacks

// TenantLimits are the article's per-tier resource limits.
type TenantLimits struct {
	MaxConcurrentRequests int `json:"maxConcurrentRequests"`
	MaxDBConnections      int `json:"maxDbConnections"`
	MaxCPUSeconds         int `json:"maxCpuSeconds"`
	MaxMemoryMB           int `json:"maxMemoryMb"`
	APIRatePerMinute      int `json:"apiRatePerMinute"`
}

// AlarmThresholds are the article's per-tier alarm thresholds.
type AlarmThresholds struct {
	ErrorRate float64 // fraction of requests, e.g. 0.01
	LatencyMs float64 // p95 response time
}

// TierLimits are the article's per-tier resource limits (section 4,
// "Performance Isolation & Resource Limits"), published per tenant in SSM
// for the application and, for the API rate, enforced in WAF.
var TierLimits = map[Tier]TenantLimits{
	Free:       {MaxConcurrentRequests: 10, MaxDBConnections: 5, MaxCPUSeconds: 60, MaxMemoryMB: 512, APIRatePerMinute: 100},
	Pro:        {MaxConcurrentRequests: 50, MaxDBConnections: 20, MaxCPUSeconds: 300, MaxMemoryMB: 2048, APIRatePerMinute: 1000},
	Enterprise: {MaxConcurrentRequests: 200, MaxDBConnections: 100, MaxCPUSeconds: 3600, MaxMemoryMB: 8192, APIRatePerMinute: 10000},
}

// TierAlarms are the article's per-tier alarm thresholds (section 6,
// "Monitoring & Alerting Per Tenant").
var TierAlarms = map[Tier]AlarmThresholds{
	Free:       {ErrorRate: 0.05, LatencyMs: 1000},
	Pro:        {ErrorRate: 0.02, LatencyMs: 500},
	Enterprise: {ErrorRate: 0.01, LatencyMs: 200},
}
