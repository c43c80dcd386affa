// Package workflows holds the tests of the GitHub workflows in
// .github/workflows and the scripts they run (.github/scripts): each script
// run locally with a fake gh on PATH that records its calls.
package workflows
