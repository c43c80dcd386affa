package costdiff

import (
	"bytes"
	"fmt"
	"io"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"gopkg.in/yaml.v3"
)

// Guardrails are the limits a pull request may not cross.
type Guardrails struct {
	MaxIncreaseUSD     *decimal.Decimal // over all stacks
	MaxIncreasePercent *decimal.Decimal // over all stacks, of the baseline
	Budgets            bool             // each stack's tenancy:monthlyBudgetUsd, at the base
	// Source says where the two limits were read, for the message:
	// "cost-guardrails.yaml at the base", "the command line".
	Source string
}

// Violation is one guardrail crossed, said with the amount.
type Violation string

// Check returns every guardrail the diff crosses.
func (r *Result) Check(g Guardrails) []Violation {
	var out []Violation
	change := r.Change()
	src := ""
	if g.Source != "" {
		src = " (" + g.Source + ")"
	}
	if g.MaxIncreaseUSD != nil && change.GreaterThan(*g.MaxIncreaseUSD) {
		out = append(out, Violation(fmt.Sprintf("the monthly increase of $%s is over the limit of $%s%s by $%s",
			cost.FormatUSD(change), cost.FormatUSD(*g.MaxIncreaseUSD), src, cost.FormatUSD(change.Sub(*g.MaxIncreaseUSD)))))
	}
	if g.MaxIncreasePercent != nil && change.IsPositive() {
		if base := r.Baseline(); base.IsZero() {
			out = append(out, Violation(fmt.Sprintf("the monthly increase of $%s has no baseline to be a percent of, so it is over the limit of %s%%%s",
				cost.FormatUSD(change), g.MaxIncreasePercent.String(), src)))
		} else if pct := change.Div(base).Mul(decimal.NewFromInt(100)); pct.GreaterThan(*g.MaxIncreasePercent) {
			out = append(out, Violation(fmt.Sprintf("the monthly increase of %s%% is over the limit of %s%%%s by %s points",
				pct.StringFixed(1), g.MaxIncreasePercent.String(), src, pct.Sub(*g.MaxIncreasePercent).StringFixed(1))))
		}
	}
	if g.Budgets {
		for _, s := range r.Stacks {
			budget := decimal.NewFromInt(int64(s.BudgetUSD))
			where := "tenancy:monthlyBudgetUsd at the base"
			if s.Added {
				where = "tenancy:monthlyBudgetUsd of the new stack"
			}
			if s.BudgetUSD > 0 && s.New.GreaterThan(budget) {
				out = append(out, Violation(fmt.Sprintf("%s would cost $%s a month, over its budget of $%s (%s) by $%s",
					s.Name, cost.FormatUSD(s.New), cost.FormatUSD(budget), where, cost.FormatUSD(s.New.Sub(budget)))))
			}
		}
	}
	return out
}

// GuardrailsFile is the project's file of limits, read at the base.
const GuardrailsFile = "cost-guardrails.yaml"

// guardrailsDoc is the file's shape.
type guardrailsDoc struct {
	FailOnIncreasePercent *float64 `yaml:"failOnIncreasePercent"`
	FailOnIncreaseUSD     *float64 `yaml:"failOnIncreaseUsd"`
	Budgets               *bool    `yaml:"budgets"`
}

// ParseGuardrails reads a guardrails file's content; name is its path for
// messages, source what the violations say it is. A field it does not know
// or a negative limit is an error naming the file, the field and the fix.
func ParseGuardrails(name string, content []byte, source string) (Guardrails, error) {
	var d guardrailsDoc
	dec := yaml.NewDecoder(bytes.NewReader(content))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil && err != io.EOF {
		return Guardrails{}, fmt.Errorf("%s: %v (fix: the fields are failOnIncreasePercent, failOnIncreaseUsd and budgets)", name, err)
	}
	g := Guardrails{Budgets: true, Source: source}
	for _, f := range []struct {
		field string
		v     *float64
		dst   **decimal.Decimal
	}{{"failOnIncreasePercent", d.FailOnIncreasePercent, &g.MaxIncreasePercent}, {"failOnIncreaseUsd", d.FailOnIncreaseUSD, &g.MaxIncreaseUSD}} {
		if f.v == nil || *f.v == 0 {
			continue
		}
		if *f.v < 0 {
			return Guardrails{}, fmt.Errorf("%s: %s is %v (fix: a limit is positive; 0 or no field means none)", name, f.field, *f.v)
		}
		v := decimal.NewFromFloat(*f.v)
		*f.dst = &v
	}
	if d.Budgets != nil {
		g.Budgets = *d.Budgets
	}
	return g, nil
}
