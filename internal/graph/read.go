package graph

import (
	"encoding/json"
	"fmt"
	"io"
)

// ReadPreviewJSON reads `pulumi preview --json`: the resources the stack will
// have after the update (every step but deletes, from its newState).
func ReadPreviewJSON(r io.Reader) (*Graph, error) {
	var doc struct {
		Steps []struct {
			Op       string `json:"op"`
			URN      string `json:"urn"`
			Provider string `json:"provider"`
			NewState *struct {
				URN    string         `json:"urn"`
				Type   string         `json:"type"`
				Custom bool           `json:"custom"`
				Parent string         `json:"parent"`
				Inputs map[string]any `json:"inputs"`
			} `json:"newState"`
		} `json:"steps"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a `pulumi preview --json` document: %w", err)
	}
	if doc.Steps == nil {
		return nil, fmt.Errorf("not a `pulumi preview --json` document: no steps[]")
	}
	var nodes []Node
	for _, s := range doc.Steps {
		if s.NewState == nil || s.Op == "delete" || s.Op == "discard" || s.Op == "delete-replaced" {
			continue
		}
		urn := s.NewState.URN
		if urn == "" {
			urn = s.URN
		}
		nodes = append(nodes, Node{URN: urn, Type: s.NewState.Type, Name: NameFromURN(urn), Parent: s.NewState.Parent,
			Custom: s.NewState.Custom, Provider: s.Provider, Inputs: s.NewState.Inputs})
	}
	return New(nodes), nil
}

// ReadStackExport reads `pulumi stack export`: deployment.resources[].
func ReadStackExport(r io.Reader) (*Graph, error) {
	var doc struct {
		Version    int `json:"version"`
		Deployment *struct {
			Resources []struct {
				URN      string         `json:"urn"`
				Type     string         `json:"type"`
				Custom   bool           `json:"custom"`
				Parent   string         `json:"parent"`
				Provider string         `json:"provider"`
				Inputs   map[string]any `json:"inputs"`
				Delete   bool           `json:"delete"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a `pulumi stack export` document: %w", err)
	}
	if doc.Deployment == nil {
		return nil, fmt.Errorf("not a `pulumi stack export` document: no deployment")
	}
	var nodes []Node
	for _, res := range doc.Deployment.Resources {
		if res.Delete {
			continue // pending deletion: not part of the stack
		}
		nodes = append(nodes, Node{URN: res.URN, Type: res.Type, Name: NameFromURN(res.URN), Parent: res.Parent,
			Custom: res.Custom, Provider: res.Provider, Inputs: res.Inputs})
	}
	return New(nodes), nil
}
