//go:build tools

// Package tools pins the actionlint version that lints .github/workflows in
// the conformance harness. Nothing here is compiled into the project; run.mjs
// builds the command with `go build github.com/rhysd/actionlint/cmd/actionlint`
// inside this module.
package tools

import (
	_ "github.com/rhysd/actionlint/cmd/actionlint"
)
