//go:build tools

// Package tools pins the throwaway control plane used by the conformance
// harness: the standalone CRD API server (k8s.io/apiextensions-apiserver, whose
// module root package is `main`) and the etcd server it stores into
// (go.etcd.io/etcd/server/v3, whose module root package is `main` since 3.5).
// The etcd version is the one apiextensions-apiserver itself requires, so both
// binaries build from one consistent dependency graph.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/apiextensions-apiserver"
)
