module mlmesh.local/conformance/tools/prometheus

go 1.26.7

// The release gate's real Prometheus: see ../../README.md ("Pinned versions").
require github.com/prometheus/prometheus v0.316.0
