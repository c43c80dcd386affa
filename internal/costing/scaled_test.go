package costing

import (
	"testing"

	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/internal/testproject"
)

// TestScaledPricesAsTheFullEvaluation: the cost run evaluates dedicated
// tenants of one shape once (offline.EvaluateScaled); on a 20-tenant stack
// its report equals the full evaluation's, to the cent and per tenant.
func TestScaledPricesAsTheFullEvaluation(t *testing.T) {
	dir := testproject.Write(t, "big", testproject.BigStack, testproject.SyntheticRegistry(20))
	full, err := Compare(dir, "big", CompareOptions{Evaluate: offline.Evaluate})
	if err != nil {
		t.Fatal(err)
	}
	scaled, err := Compare(dir, "big", CompareOptions{Evaluate: offline.EvaluateScaled})
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []struct {
		name string
		a, b *Estimate
	}{{"before", full.Before, scaled.Before}, {"after", full.After, scaled.After}} {
		if !side.a.Total().Equal(side.b.Total()) || len(side.a.Resources) != len(side.b.Resources) {
			t.Errorf("%s: full %s over %d resources, scaled %s over %d", side.name, side.a.Total(), len(side.a.Resources), side.b.Total(), len(side.b.Resources))
		}
		for i := range side.a.Resources {
			if side.a.Resources[i].Name != side.b.Resources[i].Name || !side.a.Resources[i].MonthlyCost().Equal(side.b.Resources[i].MonthlyCost()) {
				t.Fatalf("%s: resource %d: %s %s against %s %s", side.name, i, side.a.Resources[i].Name, side.a.Resources[i].MonthlyCost(), side.b.Resources[i].Name, side.b.Resources[i].MonthlyCost())
			}
		}
	}
	if full.Before.Total().IsZero() {
		t.Fatal("nothing priced")
	}
}
