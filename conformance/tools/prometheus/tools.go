//go:build tools

// Package tools pins the Prometheus version the release gate is tested against.
// Nothing here is compiled into the project; conformance/lib/tools.mjs builds
// the command with `go build github.com/prometheus/prometheus/cmd/prometheus`
// inside this module.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
)
