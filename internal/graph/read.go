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
			NewState *state `json:"newState"`
			OldState *state `json:"oldState"`
		} `json:"steps"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a `pulumi preview --json` document: %w", err)
	}
	if doc.Steps == nil {
		return nil, fmt.Errorf("not a `pulumi preview --json` document: no steps[]")
	}
	var nodes, deleted []Node
	for _, s := range doc.Steps {
		switch s.Op {
		case "delete", "discard", "delete-replaced", "replace", "create-replacement":
			if s.OldState != nil && (s.Op == "delete" || s.Op == "delete-replaced" || s.Op == "replace") {
				deleted = append(deleted, s.OldState.node(s.URN, s.Provider))
			}
			if s.Op == "delete" || s.Op == "discard" || s.Op == "delete-replaced" {
				continue
			}
		}
		if s.NewState == nil {
			continue
		}
		nodes = append(nodes, s.NewState.node(s.URN, s.Provider))
	}
	g := New(nodes)
	g.Deleted = deleted
	return g, nil
}

// state is a resource state as Pulumi writes it in previews and exports.
type state struct {
	URN            string         `json:"urn"`
	Type           string         `json:"type"`
	Custom         bool           `json:"custom"`
	Parent         string         `json:"parent"`
	Provider       string         `json:"provider"`
	ID             string         `json:"id"`
	Protect        bool           `json:"protect"`
	RetainOnDelete bool           `json:"retainOnDelete"`
	Delete         bool           `json:"delete"`
	Inputs         map[string]any `json:"inputs"`
}

func (s state) node(urn, provider string) Node {
	if s.URN != "" {
		urn = s.URN
	}
	if s.Provider != "" {
		provider = s.Provider
	}
	return Node{URN: urn, Type: s.Type, Name: NameFromURN(urn), Parent: s.Parent, Custom: s.Custom, Provider: provider,
		ID: s.ID, Protect: s.Protect, RetainOnDelete: s.RetainOnDelete, Inputs: s.Inputs}
}

// ReadStackExport reads `pulumi stack export`: deployment.resources[].
func ReadStackExport(r io.Reader) (*Graph, error) {
	var doc struct {
		Version    int `json:"version"`
		Deployment *struct {
			Resources []state `json:"resources"`
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
		nodes = append(nodes, res.node(res.URN, res.Provider))
	}
	return New(nodes), nil
}
