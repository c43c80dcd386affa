package costing

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

// input readers: Pulumi writes numbers as float64 in JSON; a value not known
// before deployment reads "[unknown]", and the caller says what it assumes.

func inStr(n graph.Node, key string) string {
	if s, ok := n.Inputs[key].(string); ok && s != graph.Unknown {
		return s
	}
	return ""
}

func inNum(n graph.Node, key string) (float64, bool) {
	switch v := n.Inputs[key].(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

func inBool(n graph.Node, key string) bool {
	switch v := n.Inputs[key].(type) {
	case bool:
		return v
	case string:
		b, _ := strconv.ParseBool(v)
		return b
	}
	return false
}

func inList(n graph.Node, key string) ([]any, bool) {
	l, ok := n.Inputs[key].([]any)
	return l, ok
}

// path reads a nested value: path(m, "blockDeviceMappings", 0, "ebs", "volumeSize").
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch kk := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[kk]
		case int:
			l, ok := v.([]any)
			if !ok || kk >= len(l) {
				return nil
			}
			v = l[kk]
		}
	}
	return v
}

func asNum(v any, fallback float64) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f
		}
	}
	return fallback
}

// jsonCount counts the items of a JSON array held in a string input.
func jsonCount(n graph.Node, key string) (int, error) {
	s := inStr(n, key)
	if s == "" {
		return 0, fmt.Errorf("%s is not known", key)
	}
	var items []any
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return 0, err
	}
	return len(items), nil
}
