// Package components holds tenancy's ComponentResources: Network, SharedTier,
// SharedTenant, DedicatedTenant, Edge and SecurityServices. Each sets the
// compliant value itself and exposes only settings that cannot break a rule.
package components
