package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// PlainValue turns a policy pack's property value into the plain Go the
// rules read: secrets masked, unknowns marked, as in `pulumi preview --json`.
func PlainValue(v property.Value) any {
	switch {
	case v.Secret():
		return "[secret]"
	case v.IsComputed():
		return graph.Unknown
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.AsBool()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsString():
		return v.AsString()
	case v.IsArray():
		arr := v.AsArray().AsSlice()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = PlainValue(e)
		}
		return out
	case v.IsMap():
		return PlainMap(v.AsMap())
	case v.IsResourceReference():
		return string(v.AsResourceReference().URN)
	}
	return nil
}

// PlainMap converts a property map.
func PlainMap(m property.Map) map[string]any {
	out := make(map[string]any, m.Len())
	for k, v := range m.All {
		out[k] = PlainValue(v)
	}
	return out
}
