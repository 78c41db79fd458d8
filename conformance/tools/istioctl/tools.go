//go:build tools

// Package tools pins the istioctl version used by the conformance harness.
// Nothing here is compiled into the project; run.mjs builds the command with
// `go build istio.io/istio/istioctl/cmd/istioctl` inside this module.
package tools

import (
	_ "istio.io/istio/istioctl/cmd/istioctl"
)
