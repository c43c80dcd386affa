package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// s3Bucket prices a log bucket by what its purpose tag says it holds:
// CloudTrail's files, AWS Config's, or the ALBs' access logs.
func (p *pricer) s3Bucket(n graph.Node, served []string) ([]cost.Component, error) {
	pl := p.platform
	tagsIn, _ := n.Inputs["tags"].(map[string]any)
	switch tagsIn[cost.PurposeTagKey] {
	case cost.PurposeCloudTrail:
		// CloudTrail's gzipped log files, kept a year; it delivers a file
		// about every 5 minutes per region with activity (home and the
		// global events': two).
		monthly := pl.CloudTrailEventsMillions * 1e6 * pl.CloudTrailEventKB / 1e6 * pl.LogStorageCompression
		return cost.S3Bucket{Region: p.region, StoredGB: monthly * 12, PutRequests: 2 * 12 * 730}.Components(p.cat), nil
	case cost.PurposeConfig:
		// AWS Config's history and snapshot files: about 2 KB per item,
		// kept a year; one object per delivery, a few hundred a month.
		items := float64(p.cloudResources) * pl.ConfigItemsPerResource
		return cost.S3Bucket{Region: p.region, StoredGB: items * 12 * 2e-6, PutRequests: items/10 + 30}.Components(p.cat), nil
	}
	monthly := p.sum(served, func(x stacks.Workload) float64 { return x.RequestsMillions }) * pl.AccessLogGBPerMillionRequests
	albs := float64(len(p.g.OfType("aws:lb/loadBalancer:LoadBalancer")))
	// The bucket keeps a year of logs; each ALB node writes a file every 5 minutes.
	return cost.S3Bucket{Region: p.region, StoredGB: monthly * 12, PutRequests: albs * 2 * 12 * 730}.Components(p.cat), nil
}
