// Package journey runs the tenancy program through the real Pulumi engine:
// the Pulumi CLI and the stand-in AWS and random providers
// (cmd/pulumi-resource-standin), driven by the Automation API with the
// program inline, on a file backend. scripts/engine-tools builds the three
// into .engine-tools/bin; the journeys skip without them unless
// TENANCY_ENGINE_JOURNEYS=required (as in .ci/run).
package journey
