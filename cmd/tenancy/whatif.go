package main

import (
	"fmt"

	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/stacks"
)

// whatIfFlags grow the stack for a what-if: --tenants and --add.
type whatIfFlags struct {
	fs      *pflag.FlagSet
	tenants int
	add     string
}

func (f *whatIfFlags) register(fs *pflag.FlagSet) {
	f.fs = fs
	fs.IntVar(&f.tenants, "tenants", 0, "a what-if: replace the registry with `N` synthetic tenants in its tier and placement mix, sized from their peak")
	fs.StringVar(&f.add, "add", "", "a what-if: add synthetic shared tenants per `tier=count`, e.g. free=300,pro=50, sized from their peak")
}

// options are the load options the flags ask for, or a usage error.
func (f *whatIfFlags) options(topology string) (stacks.LoadOptions, error) {
	o := stacks.LoadOptions{Topology: stacks.Topology(topology)}
	if f.fs != nil && f.fs.Changed("tenants") && f.tenants < 1 {
		return o, fmt.Errorf("--tenants %d: give a count of 1 or more", f.tenants)
	}
	o.Tenants = f.tenants
	if f.add != "" {
		add, err := stacks.ParseAdd(f.add)
		if err != nil {
			return o, err
		}
		o.Add = add
	}
	return o, nil
}
