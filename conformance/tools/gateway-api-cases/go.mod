module mlmesh.local/conformance/tools/gateway-api-cases

go 1.26
