package costdiff

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
)

// Guardrails are the limits a pull request may not cross.
type Guardrails struct {
	MaxIncreaseUSD     *decimal.Decimal // over all stacks
	MaxIncreasePercent *decimal.Decimal // over all stacks, of the baseline
	Budgets            bool             // each stack's tenancy:monthlyBudgetUsd
}

// Violation is one guardrail crossed, said with the amount.
type Violation string

// Check returns every guardrail the diff crosses.
func (r *Result) Check(g Guardrails) []Violation {
	var out []Violation
	change := r.Change()
	if g.MaxIncreaseUSD != nil && change.GreaterThan(*g.MaxIncreaseUSD) {
		out = append(out, Violation(fmt.Sprintf("the monthly increase of $%s is over --fail-on-increase-usd $%s by $%s",
			cost.FormatUSD(change), cost.FormatUSD(*g.MaxIncreaseUSD), cost.FormatUSD(change.Sub(*g.MaxIncreaseUSD)))))
	}
	if g.MaxIncreasePercent != nil && change.IsPositive() {
		if base := r.Baseline(); base.IsZero() {
			out = append(out, Violation(fmt.Sprintf("the monthly increase of $%s has no baseline to be a percent of, so it is over --fail-on-increase-percent %s%%",
				cost.FormatUSD(change), g.MaxIncreasePercent.String())))
		} else if pct := change.Div(base).Mul(decimal.NewFromInt(100)); pct.GreaterThan(*g.MaxIncreasePercent) {
			out = append(out, Violation(fmt.Sprintf("the monthly increase of %s%% is over --fail-on-increase-percent %s%% by %s points",
				pct.StringFixed(1), g.MaxIncreasePercent.String(), pct.Sub(*g.MaxIncreasePercent).StringFixed(1))))
		}
	}
	if g.Budgets {
		for _, s := range r.Stacks {
			budget := decimal.NewFromInt(int64(s.BudgetUSD))
			if s.BudgetUSD > 0 && s.New.GreaterThan(budget) {
				out = append(out, Violation(fmt.Sprintf("%s would cost $%s a month, over its budget of $%s (tenancy:monthlyBudgetUsd) by $%s",
					s.Name, cost.FormatUSD(s.New), cost.FormatUSD(budget), cost.FormatUSD(s.New.Sub(budget)))))
			}
		}
	}
	return out
}
