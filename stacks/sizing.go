package stacks

import (
	"fmt"
	"strings"
)

// sizeAndCheck holds the stack's sizes to its tenants' peak. In auto mode
// it first grows each size that does not fit (with the headroom) to the
// smallest that does, and records why in c.Sized. Then, in either mode, a
// demand over its capacity is a problem that names the size that fits, and
// a headroom under the configured one is a warning.
func sizeAndCheck(c *Config, raw map[string]rawValue, ps *problems) {
	auto := c.SizingMode == "auto"
	var sized sizedLog
	defer func() { c.Sized = sized.lines() }()
	// Each pass applies every fit found; a knob two checks share (an
	// instance type's CPU and memory) settles in a later pass.
	for pass := 0; auto && pass < 8; pass++ {
		checks, err := Capacity(c)
		if err != nil {
			ps.add(c.StackFile, 0, Namespace+":sizing", "rebuild from a clean checkout", "%v", err)
			return
		}
		changed := false
		for _, k := range checks {
			if k.Fits == "" {
				continue
			}
			sized.add(k)
			k.knob.apply(c, k.Fits)
			changed = true
		}
		if !changed {
			break
		}
	}
	checks, err := Capacity(c)
	if err != nil {
		ps.add(c.StackFile, 0, Namespace+":sizing", "rebuild from a clean checkout", "%v", err)
		return
	}
	for _, k := range checks {
		reportCheck(c, k, raw, auto, ps)
	}
}

// reportCheck turns one settled check into a problem or a warning.
func reportCheck(c *Config, k Check, raw map[string]rawValue, auto bool, ps *problems) {
	verdict := k.Verdict(c.HeadroomPercent)
	if verdict == "ok" || verdict == "elastic" {
		return
	}
	what := fmt.Sprintf("%s %s: %s %s at the peak against %s %s on %s; %s", k.Owner, k.Resource,
		FormatQuantity(k.Demand), k.Unit, FormatQuantity(k.Capacity), k.Unit, k.Size, k.Basis)
	fix := k.NoFit
	switch {
	case k.Fits != "":
		fix = fmt.Sprintf("set %s, or tenancy:sizing: auto", k.knob.Setting(k.Fits))
	case k.knob == nil:
		fix = "this is an AWS limit no size lifts: split the tenants across stacks, or lower the workload in " + c.UsageFile
	case fix != "":
		fix += "; pick a larger family, or split the tenants across stacks"
	}
	if verdict == "over capacity" {
		file, line, field := c.StackFile, 0, Namespace+":sizing"
		if k.knob != nil {
			file, line, field = k.knob.File, k.knob.Line, k.knob.Field
			if line == 0 {
				line = raw[field].Line
			}
		}
		ps.add(file, line, field, fix, "%s", what)
		return
	}
	if !auto || k.Fits == "" {
		c.Warnings = append(c.Warnings, fmt.Sprintf("capacity: %s: headroom %.0f%%, under the %d%% of tenancy:capacityHeadroomPercent (fix: %s)",
			what, 100*k.Headroom(), c.HeadroomPercent, fix))
	}
}

// sizedLog gathers what auto sizing changed; the same change on many
// dedicated stacks is one line.
type sizedLog struct {
	keys   []string
	owners map[string][]string
}

func (l *sizedLog) add(k Check) {
	field := k.knob.Field
	if k.Owner != "shared" {
		field = "sizing." + field[strings.LastIndex(field, ".")+1:]
	}
	key := fmt.Sprintf("%s: %s %s → %s: %s %s at the peak, %s %s on %s", k.Resource, field,
		k.knob.describe(k.knob.options[0]), k.knob.describe(k.Fits), FormatQuantity(k.Demand), k.Unit, FormatQuantity(k.Capacity), k.Unit, k.Size)
	if l.owners == nil {
		l.owners = map[string][]string{}
	}
	if _, ok := l.owners[key]; !ok {
		l.keys = append(l.keys, key)
	}
	l.owners[key] = append(l.owners[key], k.Owner)
}

func (l *sizedLog) lines() []string {
	out := make([]string, 0, len(l.keys))
	for _, key := range l.keys {
		owners := l.owners[key]
		who := owners[0]
		switch {
		case len(owners) > 1 && len(owners) <= 3:
			who = strings.Join(owners, ", ")
		case len(owners) > 3:
			who = fmt.Sprintf("%d dedicated stacks (%s, %s and %d more)", len(owners), owners[0], owners[1], len(owners)-2)
		}
		out = append(out, who+" "+key)
	}
	return out
}
