package stacks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// MarkVerified sets migration.dataVerified: true and migration.record on a
// tenant's registry entry, editing only that entry's text so the file keeps
// its comments and layout. The tenant must be migrating. The file is written
// only if it still loads afterwards.
func MarkVerified(dir, file, tenant, record string) error {
	path := filepath.Join(dir, file)
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return fmt.Errorf("%s: not a registry: %v", file, err)
	}
	entry := findTenant(doc.Content[0], tenant)
	if entry == nil {
		return fmt.Errorf("%s: no tenant %q", file, tenant)
	}
	mig := valueOf(entry, "migration")
	if mig == nil || mig.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: tenant %s has no migration entry: only a migrating tenant (migration: {from: dedicated}) can be marked verified", file, tenant)
	}
	lines := strings.SplitAfter(string(src), "\n")
	if mig.Style&yaml.FlowStyle != 0 {
		lines, err = editFlow(lines, mig, record)
	} else {
		lines = editBlock(lines, mig, record)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	out := strings.Join(lines, "")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(out), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func findTenant(root *yaml.Node, id string) *yaml.Node {
	seq := valueOf(root, "tenants")
	if seq == nil {
		return nil
	}
	for _, t := range seq.Content {
		if v := valueOf(t, "id"); v != nil && v.Value == id {
			return t
		}
	}
	return nil
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// editFlow rewrites a one-line flow mapping ({from: dedicated}) with the two
// keys set, the others kept in their order.
func editFlow(lines []string, mig *yaml.Node, record string) ([]string, error) {
	i := mig.Line - 1
	line := lines[i]
	start := mig.Column - 1
	depth, end := 0, -1
	for j := start; j < len(line); j++ {
		switch line[j] {
		case '{':
			depth++
		case '}':
			depth--
		}
		if depth == 0 {
			end = j
			break
		}
	}
	if end < 0 {
		return nil, fmt.Errorf("line %d: the migration entry spans lines: write it as a block, or on one line", mig.Line)
	}
	var pairs []string
	for k := 0; k+1 < len(mig.Content); k += 2 {
		switch key := mig.Content[k].Value; key {
		case "dataVerified", "record":
		default:
			pairs = append(pairs, key+": "+mig.Content[k+1].Value)
		}
	}
	pairs = append(pairs, "dataVerified: true", "record: "+record)
	lines[i] = line[:start] + "{" + strings.Join(pairs, ", ") + "}" + line[end+1:]
	return lines, nil
}

// editBlock sets the two keys of a block mapping: a key present has its
// value replaced on its line (a comment after it kept), a key missing is
// added after the mapping's last line, at its indentation.
func editBlock(lines []string, mig *yaml.Node, record string) []string {
	want := []struct{ key, value string }{{"dataVerified", "true"}, {"record", record}}
	indent := strings.Repeat(" ", mig.Content[0].Column-1)
	last := 0
	var add []string
	for _, w := range want {
		v := valueOf(mig, w.key)
		if v == nil {
			add = append(add, indent+w.key+": "+w.value+"\n")
			continue
		}
		i := v.Line - 1
		rest := ""
		if c := strings.Index(lines[i][v.Column-1:], " #"); c >= 0 {
			rest = lines[i][v.Column-1+c : len(strings.TrimRight(lines[i], "\n"))]
		}
		lines[i] = lines[i][:v.Column-1] + w.value + rest + "\n"
	}
	for k := 1; k < len(mig.Content); k += 2 {
		last = max(last, mig.Content[k].Line)
	}
	out := append([]string{}, lines[:last]...)
	out = append(out, add...)
	return append(out, lines[last:]...)
}
