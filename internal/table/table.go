// Package table renders the reports' tables, once, for a terminal and for
// GitHub markdown.
package table

import (
	"fmt"
	"io"
	"strings"
)

// Table is a header, rows of cells, and which columns align right
// (figures).
type Table struct {
	Header []string
	Right  []bool
	Rows   [][]string
}

// New starts a table; right marks the columns that align right.
func New(header []string, right ...int) *Table {
	t := &Table{Header: header, Right: make([]bool, len(header))}
	for _, i := range right {
		t.Right[i] = true
	}
	return t
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Text writes the table in aligned columns two spaces apart, each line
// indented.
func (t *Table) Text(w io.Writer, indent string) {
	widths := make([]int, len(t.Header))
	for i, h := range t.Header {
		widths[i] = len([]rune(h))
	}
	for _, r := range t.Rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	line := func(cells []string) {
		parts := make([]string, len(cells))
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if t.Right[i] {
				parts[i] = pad + c
			} else {
				parts[i] = c + pad
			}
		}
		fmt.Fprintln(w, strings.TrimRight(indent+strings.Join(parts, "  "), " "))
	}
	line(t.Header)
	for _, r := range t.Rows {
		line(r)
	}
}

// Markdown writes the table as a GitHub markdown table.
func (t *Table) Markdown(w io.Writer) {
	fmt.Fprintln(w, "| "+strings.Join(t.Header, " | ")+" |")
	seps := make([]string, len(t.Header))
	for i := range seps {
		seps[i] = "---"
		if t.Right[i] {
			seps[i] = "---:"
		}
	}
	fmt.Fprintln(w, "|"+strings.Join(seps, "|")+"|")
	for _, r := range t.Rows {
		fmt.Fprintln(w, "| "+strings.Join(r, " | ")+" |")
	}
}

// MarkdownString is Markdown into a string, for templates.
func (t *Table) MarkdownString() string {
	var b strings.Builder
	t.Markdown(&b)
	return b.String()
}
