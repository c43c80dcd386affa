package cost

// PurposeTagKey says what a bucket holds; the cost model prices a bucket by
// it (components tag the buckets they build).
const (
	PurposeTagKey     = "tenancy:purpose"
	PurposeALBLogs    = "alb-logs"   // ALB access logs
	PurposeConfig     = "config"     // AWS Config's history and snapshots
	PurposeCloudTrail = "cloudtrail" // CloudTrail log files
)

// S3Bucket prices an aws:s3/bucketV2:BucketV2 by what it stores and the
// objects written to it (tenancy's bucket holds ALB access logs).
type S3Bucket struct {
	Region      string
	StoredGB    float64
	PutRequests float64
}

// Components prices the bucket.
func (s S3Bucket) Components(c *Catalog) []Component {
	return usage(
		c.Component(s.Region, "storage (Standard)", "GB-months", Key{Service: "s3", Item: "standard"}, dec(s.StoredGB)),
		c.Component(s.Region, "PUT requests", "1k requests", Key{Service: "s3", Item: "put"}, dec(s.PutRequests/1000)),
	)
}
