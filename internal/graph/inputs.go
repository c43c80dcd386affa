package graph

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Input readers: Pulumi writes numbers as float64 in JSON; a value not known
// before deployment reads "[unknown]", and the caller says what it assumes.

// Str is a string input, or "" when absent or unknown.
func (n Node) Str(key string) string {
	if s, ok := n.Inputs[key].(string); ok && s != Unknown {
		return s
	}
	return ""
}

// Num is a number input (numbers written as strings too).
func (n Node) Num(key string) (float64, bool) {
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

// Bool is a boolean input ("true" as a string too).
func (n Node) Bool(key string) bool {
	switch v := n.Inputs[key].(type) {
	case bool:
		return v
	case string:
		b, _ := strconv.ParseBool(v)
		return b
	}
	return false
}

// List is a list input.
func (n Node) List(key string) ([]any, bool) {
	l, ok := n.Inputs[key].([]any)
	return l, ok
}

// Path reads a nested value: Path(m, "blockDeviceMappings", 0, "ebs", "volumeSize").
func Path(v any, keys ...any) any {
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

// AsNum reads a number (or a numeric string), or fallback.
func AsNum(v any, fallback float64) float64 {
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

// JSONCount counts the items of a JSON array held in a string input.
func (n Node) JSONCount(key string) (int, error) {
	s := n.Str(key)
	if s == "" {
		return 0, fmt.Errorf("%s is not known", key)
	}
	var items []any
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return 0, err
	}
	return len(items), nil
}
