package rules

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const kmsKey = "aws:kms/key:Key"

var kmsRules = []Rule{
	{ID: "kms-rotation", Control: "KMS.4", Types: []string{kmsKey},
		Description: "customer managed keys rotate", Fix: "set enableKeyRotation: true",
		Check:    func(n graph.Node) (bool, string) { return isTrue(n, "enableKeyRotation") },
		Examples: []Example{{Name: "on", Inputs: map[string]any{"enableKeyRotation": true}, Pass: true}, {Name: "off", Inputs: map[string]any{}}}},
	{ID: "kms-no-unintended-deletion", Control: "KMS.3", Types: []string{kmsKey},
		Description: "keys wait 30 days before deletion", Fix: "set deletionWindowInDays: 30",
		Check: func(n graph.Node) (bool, string) {
			if v, _ := n.Num("deletionWindowInDays"); v != 30 {
				return false, fmt.Sprintf("deletionWindowInDays is %s", show(n.Inputs["deletionWindowInDays"]))
			}
			return true, ""
		},
		Examples: []Example{{Name: "30 days", Inputs: map[string]any{"deletionWindowInDays": 30.0}, Pass: true}, {Name: "7 days", Inputs: map[string]any{"deletionWindowInDays": 7.0}}}},
}
