// Command simulate asks Istio's own config generation (pilot's ConfigGenTest, as Istio's
// simulation tests use it) for the Envoy routes a sidecar and a gateway get from some YAML,
// and answers where each request goes under Envoy's route-matching rules.
//
//	simulate job.json results.json
//
// job:    {"crdFiles"?: [...], "sets": [{"name", "yamlFiles": [...], "requests": [TrafficRequest...]}]}
// result: {"sets": [{"name", "error"?, "synthesized": [...], "results": [Result...]}]}
//
// One process for all sets: start-up is most of the cost.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	extproc "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	"google.golang.org/protobuf/encoding/protojson"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/networking/core"
	"istio.io/istio/pkg/config/constants"
	"istio.io/istio/pkg/log"
	"istio.io/istio/pkg/test"
)

type job struct {
	// CRDFiles: the CustomResourceDefinitions of the cluster's API server (apiserver.go).
	CRDFiles []string `json:"crdFiles"`
	Sets     []struct {
		Name      string            `json:"name"`
		YamlFiles []string          `json:"yamlFiles"`
		Requests  []json.RawMessage `json:"requests"`
	} `json:"sets"`
}

type source struct {
	Kind      string            `json:"kind"`
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels"`
	Gateway   string            `json:"gateway"`
}

// request is lib/traffic/request.ts's TrafficRequest.
type request struct {
	Host    string            `json:"host"`
	Port    int               `json:"port"`
	From    source            `json:"from"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Cookies orderedPairs      `json:"cookies"` // order matters: they form the cookie header
}

type destination struct {
	Host   string  `json:"host"`
	Subset *string `json:"subset"`
	Port   int     `json:"port,omitempty"`
	Weight float64 `json:"weight"`
}

type mirror struct {
	Host       string  `json:"host"`
	Subset     *string `json:"subset"`
	Port       int     `json:"port,omitempty"`
	Percentage float64 `json:"percentage"`
}

// result mirrors the fields of lib/traffic/explanation.ts that routing decides.
type result struct {
	Status         int     `json:"status"`
	VirtualService *string `json:"virtualService"`
	// HTTPRoute: "ns/name" of the HTTPRoute whose rule decided (VirtualService is then null).
	HTTPRoute    *string       `json:"httpRoute,omitempty"`
	Rule         any           `json:"rule"` // name, index when unnamed, or null
	Destinations []destination `json:"destinations"`
	Mirrors      []mirror      `json:"mirrors"`
	// Rewrite: uri is the path the destination receives (with query), authority the new Host.
	Rewrite *rewrite `json:"rewrite"`
	// Timeout: the route's timeout in seconds; null when it has none (Istio writes 0s: disabled).
	Timeout *float64 `json:"timeout"`
	// Retries: the route's retry policy; null when it has none (no retries).
	Retries *retries `json:"retries"`
	// EndpointPicker: the ext_proc service the route asks to pick the endpoint (an InferencePool's
	// endpoint picker), from the route's ext_proc override; Istio adds the ext_proc filter itself on
	// gateway proxies only.
	EndpointPicker *endpointPicker `json:"endpointPicker,omitempty"`
	Envoy          envoyRef        `json:"envoy"`
	Error          string          `json:"error,omitempty"`
}

type retries struct {
	Attempts             int      `json:"attempts"`
	PerTryTimeoutSeconds float64  `json:"perTryTimeout,omitempty"`
	RetryOn              []string `json:"retryOn"`
	StatusCodes          []uint32 `json:"statusCodes,omitempty"`
}

type endpointPicker struct {
	Cluster          string `json:"cluster"`
	FailureModeAllow bool   `json:"failureModeAllow"`
}

type rewrite struct {
	URI       string `json:"uri,omitempty"`
	Authority string `json:"authority,omitempty"`
}

// envoyRef names what decided, for humans reading a disagreement.
type envoyRef struct {
	RouteConfig string   `json:"routeConfig"`
	VirtualHost string   `json:"virtualHost,omitempty"`
	Route       string   `json:"route,omitempty"`
	Clusters    []string `json:"clusters,omitempty"`
	// MissingClusters: the route's clusters the proxy does not have (the request gets 503, or the
	// route's cluster_not_found_response_code).
	MissingClusters []string `json:"missingClusters,omitempty"`
}

type setResult struct {
	Name        string   `json:"name"`
	Error       string   `json:"error,omitempty"`
	Synthesized []string `json:"synthesized"`
	Results     []result `json:"results"`
}

func main() {
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: simulate JOB.json RESULTS.json"))
	}
	// pilot logs every push at info level, to stdout by default; and the fake Kubernetes
	// client behind ConfigGenTest logs "sync failed" errors that do not concern the
	// in-memory configs. Fatal only, to stderr.
	opts := log.DefaultOptions()
	opts.OutputPaths = []string{"stderr"}
	if err := log.Configure(opts); err != nil {
		fail(err)
	}
	for _, s := range log.Scopes() {
		s.SetOutputLevel(log.FatalLevel)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var j job
	if err := json.Unmarshal(raw, &j); err != nil {
		fail(fmt.Errorf("reading the job: %v", err))
	}
	if len(j.CRDFiles) > 0 {
		if customResources, err = newAPIServer(j.CRDFiles); err != nil {
			fail(fmt.Errorf("reading the CRDs: %v", err))
		}
	}
	out := struct {
		Sets []setResult `json:"sets"`
	}{}
	for _, s := range j.Sets {
		res := setResult{Name: s.Name, Synthesized: []string{}, Results: []result{}}
		// test.Wrap gives ConfigGenTest the test.Failer it wants and turns its t.Fatal into an error.
		err := test.Wrap(func(t test.Failer) {
			res.Synthesized, res.Results = simulateSet(t, s.Name, s.YamlFiles, s.Requests)
		})
		if err != nil {
			res.Error = err.Error()
			res.Results = []result{}
		}
		out.Sets = append(out.Sets, res)
	}
	b, err := json.Marshal(out)
	if err == nil {
		err = os.WriteFile(os.Args[2], b, 0o644)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "simulate:", err)
	os.Exit(2)
}

func simulateSet(t test.Failer, setName string, files []string, rawRequests []json.RawMessage) ([]string, []result) {
	in, err := loadInputs(files)
	if err != nil {
		t.Fatal(err)
	}
	var cg *core.ConfigGenTest
	if in.gatewayAPI {
		cg = gatewayAPIConfigGen(t, setName, in)
	} else {
		cg = core.NewConfigGenTest(t, core.TestOptions{Configs: in.configs, Services: in.services})
	}
	// Route configurations and cluster names per proxy, generated once: requests from the
	// same source share them.
	routes := map[string]map[string]*route.RouteConfiguration{}
	clusters := map[string]map[string]bool{}
	results := make([]result, 0, len(rawRequests))
	for _, raw := range rawRequests {
		var req request
		if err := json.Unmarshal(raw, &req); err != nil {
			t.Fatal(err)
		}
		key, proxy, rcName, err := proxyFor(in, req)
		if err != nil {
			results = append(results, result{Error: err.Error(), Destinations: []destination{}, Mirrors: []mirror{}})
			continue
		}
		if routes[key] == nil {
			p := cg.SetupProxy(proxy)
			routes[key] = map[string]*route.RouteConfiguration{}
			for _, rc := range cg.Routes(p) {
				routes[key][rc.Name] = rc
			}
			clusters[key] = map[string]bool{}
			for _, c := range cg.Clusters(p) {
				clusters[key][c.Name] = true
			}
			dumpRoutes(setName, key, routes[key])
		}
		results = append(results, evaluate(in, routes[key][rcName], rcName, clusters[key], req))
	}
	return in.synthesized, results
}

// dumpRoutes writes the generated route configurations as JSON into $SIMULATE_DUMP (a
// folder), when set: to read what Envoy was given when a disagreement needs explaining.
func dumpRoutes(setName, proxyKey string, rcs map[string]*route.RouteConfiguration) {
	dir := os.Getenv("SIMULATE_DUMP")
	if dir == "" {
		return
	}
	for name, rc := range rcs {
		b, err := protojson.MarshalOptions{Multiline: true}.Marshal(rc)
		if err != nil {
			fail(err)
		}
		file := filepath.Join(dir, safeFileName(setName+"."+proxyKey+"."+name)+".json")
		if err := os.WriteFile(file, b, 0o644); err != nil {
			fail(err)
		}
	}
}

var unsafeInFileNames = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeFileName(s string) string { return unsafeInFileNames.ReplaceAllString(s, "_") }

// proxyFor returns the proxy a request leaves through and the name of the route
// configuration it uses: "<port>" on a sidecar, "http.<port>" on a gateway.
func proxyFor(in *inputs, req request) (string, *model.Proxy, string, error) {
	port := req.Port
	if port == 0 {
		port = 80
	}
	switch req.From.Kind {
	case "sidecar":
		labels := req.From.Labels
		p := &model.Proxy{
			ConfigNamespace: req.From.Namespace,
			Labels:          labels,
			Metadata:        &model.NodeMetadata{Labels: labels, Namespace: req.From.Namespace},
		}
		if in.gatewayAPI {
			p.Metadata.ClusterID = constants.DefaultClusterName // the Kubernetes registry serves this cluster only
		}
		key, _ := json.Marshal(req.From)
		return "sidecar " + string(key), p, strconv.Itoa(port), nil
	case "gateway":
		if kgw, ok := in.kubernetesGateways[req.From.Gateway]; ok {
			p := &model.Proxy{
				Type:            model.Router,
				ConfigNamespace: kgw.namespace,
				Labels:          kgw.labels,
				Metadata:        &model.NodeMetadata{Labels: kgw.labels, Namespace: kgw.namespace, ClusterID: constants.DefaultClusterName},
			}
			return "gateway " + req.From.Gateway, p, "http." + strconv.Itoa(port), nil
		}
		gw, ok := in.gateways[req.From.Gateway]
		if !ok {
			return "", nil, "", fmt.Errorf("no Gateway %s in the inputs and no VirtualService binds to it", req.From.Gateway)
		}
		p := &model.Proxy{
			Type:            model.Router,
			ConfigNamespace: gw.namespace,
			Labels:          gw.selector,
			Metadata:        &model.NodeMetadata{Labels: gw.selector, Namespace: gw.namespace},
		}
		return "gateway " + req.From.Gateway, p, "http." + strconv.Itoa(port), nil
	}
	return "", nil, "", fmt.Errorf("unknown source kind %q", req.From.Kind)
}

// envoyHeaders builds the headers Envoy's router matches on.
func envoyHeaders(req request) envoyRequest {
	h := map[string]string{}
	for k, v := range req.Headers {
		h[strings.ToLower(k)] = v
	}
	if len(req.Cookies) > 0 {
		var parts []string
		if c, ok := h["cookie"]; ok {
			parts = append(parts, c)
		}
		for _, kv := range req.Cookies {
			parts = append(parts, kv[0]+"="+kv[1])
		}
		h["cookie"] = strings.Join(parts, "; ")
	}
	method := req.Method
	if method == "" {
		method = "GET"
	}
	authority := req.Host
	if req.Port != 0 && req.Port != 80 {
		authority += ":" + strconv.Itoa(req.Port)
	}
	// Istio's bootstrap turns off http_reject_path_with_fragment: Envoy strips the fragment.
	path, _, _ := strings.Cut(req.Path, "#")
	h[":authority"] = authority
	h[":method"] = method
	h[":path"] = path
	h[":scheme"] = "http"
	return envoyRequest{headers: h, path: path}
}

// evaluate routes one request through the proxy's route configuration; a route to a cluster
// the proxy's CDS lacks (a subset no DestinationRule the proxy applies defines, a backend Istio
// could not resolve) is Envoy's 503 "no cluster" (NC), or the route's
// cluster_not_found_response_code, unless a fault aborts the request first.
func evaluate(in *inputs, rc *route.RouteConfiguration, rcName string, clusters map[string]bool, req request) (res result) {
	res = result{Status: 404, Destinations: []destination{}, Mirrors: []mirror{}, Envoy: envoyRef{RouteConfig: rcName}}
	// A regex Go's RE2 cannot compile (envoy.go) fails this request, not the run.
	defer func() {
		if r := recover(); r != nil {
			res = result{Error: fmt.Sprint(r), Destinations: []destination{}, Mirrors: []mirror{}, Envoy: res.Envoy}
		}
	}()
	if rc == nil {
		// No listener on that port: nothing routes it.
		res.Envoy.RouteConfig = ""
		return res
	}
	er := envoyHeaders(req)
	host := er.headers[":authority"]
	if rc.IgnorePortInHostMatching {
		host, _, _ = strings.Cut(host, ":") // Istio sets this on sidecars: domains carry no ports
	}
	vh := findVirtualHost(rc, host)
	if vh == nil {
		return res
	}
	res.Envoy.VirtualHost = vh.Name
	// A Gateway server's httpsRedirect: Envoy redirects every plain-text request to https.
	if vh.RequireTls != route.VirtualHost_NONE {
		res.Status = 301
		return res
	}
	r, matched := findRoute(vh, er)
	if r == nil {
		return res
	}
	res.Envoy.Route = r.Name
	if hr, ok := in.httpRouteRules[r.Name]; ok {
		res.HTTPRoute, res.Rule = &hr.route, hr.rule
	} else {
		res.VirtualService, res.Rule = ruleOf(in, r)
	}
	switch a := r.Action.(type) {
	case *route.Route_DirectResponse:
		res.Status = int(a.DirectResponse.Status)
		return res
	case *route.Route_Redirect:
		res.Status = redirectStatus(a.Redirect)
		return res
	case *route.Route_Route:
		res.Status = 200
		if code, ok := abortAll(r); ok {
			res.Status = code
		}
		act := a.Route
		switch cs := act.ClusterSpecifier.(type) {
		case *route.RouteAction_Cluster:
			res.Destinations = append(res.Destinations, destinationOf(cs.Cluster, 100, req))
			res.Envoy.Clusters = []string{cs.Cluster}
		case *route.RouteAction_WeightedClusters:
			total := 0.0
			for _, c := range cs.WeightedClusters.Clusters {
				total += float64(c.Weight.GetValue())
			}
			for _, c := range cs.WeightedClusters.Clusters {
				if c.Weight.GetValue() == 0 {
					continue // receives nothing
				}
				res.Destinations = append(res.Destinations, destinationOf(c.Name, 100*float64(c.Weight.GetValue())/total, req))
				res.Envoy.Clusters = append(res.Envoy.Clusters, c.Name)
			}
		}
		for _, m := range act.RequestMirrorPolicies {
			c := parseCluster(m.Cluster)
			pct := 100.0
			if m.RuntimeFraction != nil {
				pct = percent(m.RuntimeFraction.DefaultValue)
			}
			res.Mirrors = append(res.Mirrors, mirror{Host: c.host, Subset: subsetOf(c), Port: c.port, Percentage: pct})
		}
		rw := rewrite{}
		if p, ok := rewrittenPath(act, er, matched); ok {
			rw.URI = p
		}
		if h, ok := act.HostRewriteSpecifier.(*route.RouteAction_HostRewriteLiteral); ok {
			rw.Authority = h.HostRewriteLiteral
		}
		if rw != (rewrite{}) {
			res.Rewrite = &rw
		}
		if t := act.GetTimeout(); t != nil && t.AsDuration() > 0 {
			secs := t.AsDuration().Seconds()
			res.Timeout = &secs
		}
		res.EndpointPicker = endpointPickerOf(r)
		if rp := act.GetRetryPolicy(); rp != nil {
			res.Retries = &retries{
				Attempts:             int(rp.GetNumRetries().GetValue()),
				PerTryTimeoutSeconds: rp.GetPerTryTimeout().AsDuration().Seconds(),
				RetryOn:              strings.Split(rp.GetRetryOn(), ","),
				StatusCodes:          rp.GetRetriableStatusCodes(),
			}
		}
		if res.Status == 200 {
			for _, c := range res.Envoy.Clusters {
				if !clusters[c] {
					res.Status = clusterNotFoundStatus(act)
					res.Envoy.MissingClusters = append(res.Envoy.MissingClusters, c)
				}
			}
		}
	}
	return res
}

// endpointPickerOf reads the route's ext_proc override (ExtProcPerRoute), if any.
func endpointPickerOf(r *route.Route) *endpointPicker {
	anyCfg := r.GetTypedPerFilterConfig()["envoy.filters.http.ext_proc"]
	if anyCfg == nil {
		return nil
	}
	var per extproc.ExtProcPerRoute
	if err := anyCfg.UnmarshalTo(&per); err != nil {
		return nil
	}
	o := per.GetOverrides()
	return &endpointPicker{Cluster: o.GetGrpcService().GetEnvoyGrpc().GetClusterName(), FailureModeAllow: o.GetFailureModeAllow().GetValue()}
}

// clusterNotFoundStatus is Envoy's answer for a route to a cluster it lacks: 503 unless the
// route says otherwise (Istio sets 500 on routes converted from the Gateway API, as that API
// asks for invalid backends).
func clusterNotFoundStatus(act *route.RouteAction) int {
	switch act.GetClusterNotFoundResponseCode() {
	case route.RouteAction_INTERNAL_SERVER_ERROR:
		return 500
	case route.RouteAction_NOT_FOUND:
		return 404
	}
	return 503
}

// destinationOf names a cluster's host; Passthrough means "the host the client asked for".
// Any other cluster that is no service's (Istio's "UnknownService" for a backend it could not
// resolve) names no host.
func destinationOf(name string, weight float64, req request) destination {
	c := parseCluster(name)
	if c.host == "" && name != "PassthroughCluster" {
		return destination{Host: "", Subset: nil, Weight: weight}
	}
	if c.host == "" {
		return destination{Host: req.Host, Subset: nil, Weight: weight}
	}
	return destination{Host: c.host, Subset: subsetOf(c), Port: c.port, Weight: weight}
}

func subsetOf(c cluster) *string {
	if c.subset == "" {
		return nil
	}
	return &c.subset
}

// ruleOf reads "ns/name" of the VirtualService from the route's Istio metadata
// ("/apis/networking.istio.io/v1/namespaces/<ns>/virtual-service/<name>") and the rule
// from the marker in the route name (see ruleMarker): "sim-rule-<i>", plus ".<match name>"
// for a named match block. A rule merged from a delegate is named "<root rule>-<delegate
// rule>" and carries the root's metadata: it is reported as the delegate's rule, the one
// whose route applies.
func ruleOf(in *inputs, r *route.Route) (*string, any) {
	cfg := r.GetMetadata().GetFilterMetadata()["istio"].GetFields()["config"].GetStringValue()
	parts := strings.Split(cfg, "/")
	if len(parts) < 4 || parts[len(parts)-2] != "virtual-service" {
		return nil, nil
	}
	vs := parts[len(parts)-3] + "/" + parts[len(parts)-1]
	name, _, _ := strings.Cut(r.Name, ".")
	indexes := strings.Split(strings.TrimPrefix(name, ruleMarker), "-"+ruleMarker)
	idx, err := strconv.Atoi(indexes[0])
	if !strings.HasPrefix(name, ruleMarker) || err != nil || idx >= len(in.ruleNames[vs]) || len(indexes) > 2 {
		return &vs, r.Name // not one of ours: report it as is
	}
	if len(indexes) == 2 {
		delegate := in.delegates[vs][idx]
		if idx, err = strconv.Atoi(indexes[1]); err != nil || idx >= len(in.ruleNames[delegate]) {
			return &vs, r.Name
		}
		vs = delegate
	}
	if names := in.ruleNames[vs]; names[idx] != "" {
		return &vs, names[idx]
	}
	return &vs, idx
}

// orderedPairs decodes a JSON object keeping its key order.
type orderedPairs [][2]string

func (o *orderedPairs) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*o = append(*o, [2]string{k.(string), v})
	}
	return nil
}
