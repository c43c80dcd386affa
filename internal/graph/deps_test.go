package graph

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestPricingDoesNotLinkTheProgram: the packages that price, diff and judge
// a plan read the config and the graph only; pulumi-aws (a heavy compile)
// and the Pulumi SDK stay with the packages that evaluate the program.
func TestPricingDoesNotLinkTheProgram(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, pkg := range []string{"cost", "internal/costing", "internal/costdiff", "policies/rules", "stacks", "internal/graph", "internal/region"} {
		out, err := exec.Command(goTool, "list", "-deps", "github.com/tenancy-dev/tenancy/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "github.com/pulumi/") || strings.HasPrefix(dep, "github.com/tenancy-dev/tenancy/components") ||
				strings.HasPrefix(dep, "github.com/tenancy-dev/tenancy/program") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
