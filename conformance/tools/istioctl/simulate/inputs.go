package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	networking "istio.io/api/networking/v1alpha3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/serviceregistry/kube"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/schema/gvk"
)

const domain = "cluster.local"

// ruleMarker renames every http rule of every VirtualService to "<marker><index>" before
// config generation, so that the Envoy route names say which rule they came from (an
// unnamed rule otherwise leaves an empty route name, and a named match block appends
// ".<match name>"). Route names do not take part in matching.
const ruleMarker = "sim-rule-"

// inputs is one set's configuration, ready for Istio's config generation.
type inputs struct {
	configs []config.Config
	// services are the inputs' Kubernetes Services, as Istio's Kubernetes registry converts them.
	services []*model.Service
	// ruleNames maps "ns/name" of each VirtualService to its original rule names ("" = unnamed).
	ruleNames map[string][]string
	// delegates maps "ns/name" of each VirtualService to the delegate of each rule ("" = none).
	delegates map[string][]string
	// gatewayPorts maps "ns/name" of each Gateway (given or synthesized) to its selector and HTTP ports.
	gateways map[string]gatewayInfo
	// synthesized says what the harness added, for the report.
	synthesized []string
	created     time.Time
	// others are the documents that are no Istio config (Services, Namespaces...).
	others []crd.IstioKind
	// kubernetesServices: the inputs declare Kubernetes Services.
	kubernetesServices bool
	// gatewayAPI: the set holds Gateway API objects, converted by Istio's Gateway API
	// controller (gatewayapi.go); kubeObjects are then all of its objects, for its client.
	gatewayAPI  bool
	kubeObjects []runtime.Object
	// httpRouteRules maps the name Istio gives an HTTPRoute rule's Envoy route to the rule.
	httpRouteRules map[string]httpRouteRule
	// kubernetesGateways maps "ns/name" of each Kubernetes Gateway to its proxy.
	kubernetesGateways map[string]kubernetesGateway
}

type gatewayInfo struct {
	namespace string
	selector  map[string]string
	httpPorts []int
}

// loadInputs parses the YAML files with Istio's own parser (which also validates them) and
// adds the Services and Gateways that the VirtualServices assume exist.
func loadInputs(files []string) (*inputs, error) {
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		all.Write(b)
		all.WriteString("\n---\n")
	}
	configs, others, err := crd.ParseInputs(all.String())
	if err != nil {
		return nil, err
	}
	in := &inputs{
		ruleNames: map[string][]string{}, delegates: map[string][]string{}, gateways: map[string]gatewayInfo{},
		created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), others: others,
		httpRouteRules: map[string]httpRouteRule{}, kubernetesGateways: map[string]kubernetesGateway{},
	}
	istioConfigs := configs[:0:0]
	for _, c := range configs {
		if isGatewayAPIGroup(c.GroupVersionKind.Group) {
			in.gatewayAPI = true
		} else {
			istioConfigs = append(istioConfigs, c)
		}
	}
	for _, o := range others {
		if isGatewayAPIGroup(o.GroupVersionKind().Group) {
			in.gatewayAPI = true
		}
		in.kubernetesServices = in.kubernetesServices || o.Kind == "Service"
	}
	configs = istioConfigs
	if in.gatewayAPI {
		// Istio's Kubernetes registry reads the Services from the fake cluster (gatewayapi.go).
		if in.kubeObjects, err = in.kubernetesObjects(all.String()); err != nil {
			return nil, err
		}
	} else {
		for _, o := range others {
			if o.Kind != "Service" {
				continue
			}
			svc, err := kubernetesService(o)
			if err != nil {
				return nil, err
			}
			in.services = append(in.services, svc)
		}
	}
	// Objects without a creation time get the same one, as Istio's own config-generation tests
	// do: ties between VirtualServices for one host are then broken by name and namespace.
	for i := range configs {
		c := &configs[i]
		if c.Namespace == "" {
			c.Namespace = "default"
		}
		// Without a domain, a short host "svc" in namespace "ns" resolves to "svc.ns", not
		// "svc.ns.svc.cluster.local".
		c.Domain = domain
		if c.CreationTimestamp.IsZero() {
			c.CreationTimestamp = in.created
		}
	}
	in.configs = configs
	in.markRules()
	in.addServiceEntries()
	in.addGateways()
	return in, nil
}

// kubernetesService converts a Service object as Istio's Kubernetes registry does (ExternalName
// Services become aliases of the Service they name).
func kubernetesService(o crd.IstioKind) (*model.Service, error) {
	raw, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	var svc corev1.Service
	if err := json.Unmarshal(raw, &svc); err != nil {
		return nil, fmt.Errorf("Service %s/%s: %v", o.Namespace, o.Name, err)
	}
	if svc.Namespace == "" {
		svc.Namespace = "default"
	}
	return kube.ConvertService(svc, nil, domain, "Kubernetes", domain), nil
}

func (in *inputs) markRules() {
	for i, c := range in.configs {
		if c.GroupVersionKind != gvk.VirtualService {
			continue
		}
		vs := c.Spec.(*networking.VirtualService).DeepCopy()
		names := make([]string, len(vs.Http))
		delegates := make([]string, len(vs.Http))
		for j, r := range vs.Http {
			names[j] = r.Name
			r.Name = ruleMarker + strconv.Itoa(j)
			if d := r.Delegate; d != nil {
				ns := d.Namespace
				if ns == "" {
					ns = c.Namespace
				}
				delegates[j] = ns + "/" + d.Name
			}
		}
		in.ruleNames[c.Namespace+"/"+c.Name] = names
		in.delegates[c.Namespace+"/"+c.Name] = delegates
		in.configs[i].Spec = vs
	}
}

// hostUse is what the configs say about one service host.
type hostUse struct {
	namespace string
	ports     map[int]bool
	unported  bool // referenced without a port somewhere: it gets port 80
	subsets   map[string]map[string]string
}

// addServiceEntries adds, for every host a VirtualService serves or routes to, a
// MESH_INTERNAL STATIC ServiceEntry with HTTP ports (the ports destinations and matches
// name, and 80 when some reference names none: every VirtualService host does)
// and one endpoint per DestinationRule subset: Istio generates routes only for hosts it
// knows as services. Inputs that declare their services are taken at their word: no
// Kubernetes name (name.ns.svc.cluster.local) is added when they declare a Kubernetes
// Service, no other name when they declare a ServiceEntry (lib/traffic assumes the same).
func (in *inputs) addServiceEntries() {
	uses := map[string]*hostUse{}
	var order []string
	use := func(h string, meta config.Meta, port uint32) {
		fqdn := string(model.ResolveShortnameToFQDN(h, meta))
		if fqdn == "" || strings.Contains(fqdn, "*") {
			return
		}
		u := uses[fqdn]
		if u == nil {
			// A Kubernetes name "svc.ns.svc.cluster.local" belongs in namespace ns (that decides
			// which proxies may use the short name); any other host in the referrer's namespace.
			ns := meta.Namespace
			if parts := strings.Split(fqdn, "."); len(parts) == 5 && strings.HasSuffix(fqdn, ".svc."+domain) {
				ns = parts[1]
			}
			u = &hostUse{namespace: ns, ports: map[int]bool{}, subsets: map[string]map[string]string{}}
			uses[fqdn] = u
			order = append(order, fqdn)
		}
		if port != 0 {
			u.ports[int(port)] = true
		} else {
			u.unported = true
		}
	}
	declared := map[string]bool{}
	for _, s := range in.services {
		declared[string(s.Hostname)] = true
	}
	entriesDeclared := false
	for _, c := range in.configs {
		switch spec := c.Spec.(type) {
		case *networking.ServiceEntry:
			entriesDeclared = true
			for _, h := range spec.Hosts {
				declared[h] = true
			}
		case *networking.VirtualService:
			for _, h := range spec.Hosts {
				use(h, c.Meta, 0)
			}
			for _, r := range spec.Http {
				for _, m := range r.Match {
					if m.Port != 0 {
						for _, h := range spec.Hosts {
							use(h, c.Meta, m.Port) // a rule for another port needs that port
						}
					}
				}
				for _, d := range r.Route {
					use(d.GetDestination().GetHost(), c.Meta, d.GetDestination().GetPort().GetNumber())
				}
				if r.Mirror != nil {
					use(r.Mirror.Host, c.Meta, r.Mirror.GetPort().GetNumber())
				}
				for _, m := range r.Mirrors {
					use(m.GetDestination().GetHost(), c.Meta, m.GetDestination().GetPort().GetNumber())
				}
			}
		}
	}
	for _, c := range in.configs {
		if dr, ok := c.Spec.(*networking.DestinationRule); ok {
			fqdn := string(model.ResolveShortnameToFQDN(dr.Host, c.Meta))
			if u := uses[fqdn]; u != nil {
				for _, s := range dr.Subsets {
					u.subsets[s.Name] = s.Labels
				}
			}
		}
	}
	for i, fqdn := range order {
		kubernetesName := len(strings.Split(fqdn, ".")) == 5 && strings.HasSuffix(fqdn, ".svc."+domain)
		if declared[fqdn] || (kubernetesName && in.kubernetesServices) || (!kubernetesName && entriesDeclared) {
			continue
		}
		u := uses[fqdn]
		if u.unported {
			u.ports[80] = true
		}
		se := &networking.ServiceEntry{
			Hosts:      []string{fqdn},
			Location:   networking.ServiceEntry_MESH_INTERNAL,
			Resolution: networking.ServiceEntry_STATIC,
		}
		for _, p := range sortedKeys(u.ports) {
			se.Ports = append(se.Ports, &networking.ServicePort{Number: uint32(p), Name: "http-" + strconv.Itoa(p), Protocol: "HTTP"})
		}
		// One endpoint per subset (with its labels), and one for "all pods".
		endpoint := func(n int, labels map[string]string) *networking.WorkloadEntry {
			return &networking.WorkloadEntry{Address: fmt.Sprintf("10.%d.%d.%d", 1+i/250, i%250, n+1), Labels: labels}
		}
		se.Endpoints = append(se.Endpoints, endpoint(0, nil))
		for n, name := range sortedKeys(u.subsets) {
			se.Endpoints = append(se.Endpoints, endpoint(n+1, u.subsets[name]))
		}
		in.configs = append(in.configs, config.Config{
			Meta: config.Meta{
				GroupVersionKind:  gvk.ServiceEntry,
				Name:              "sim-" + strings.ReplaceAll(fqdn, ".", "-"),
				Namespace:         u.namespace,
				Domain:            domain,
				CreationTimestamp: in.created,
			},
			Spec: se,
		})
		in.synthesized = append(in.synthesized, fmt.Sprintf("ServiceEntry %s/%s ports %v subsets %v", u.namespace, fqdn, sortedKeys(u.ports), sortedKeys(u.subsets)))
	}
}

// addGateways records the given Gateways and adds each Gateway a VirtualService binds to
// that the inputs lack: selector "sim-gateway: <ns>.<name>" (so a router proxy can carry
// it), one HTTP server on port 80 for all hosts (the VirtualServices bound to it decide
// which hosts it serves).
func (in *inputs) addGateways() {
	for _, c := range in.configs {
		if gw, ok := c.Spec.(*networking.Gateway); ok {
			info := gatewayInfo{namespace: c.Namespace, selector: gw.Selector}
			for _, s := range gw.Servers {
				if p := s.GetPort(); p != nil && (strings.EqualFold(p.Protocol, "HTTP") || strings.EqualFold(p.Protocol, "HTTP2")) {
					info.httpPorts = append(info.httpPorts, int(p.Number))
				}
			}
			in.gateways[c.Namespace+"/"+c.Name] = info
		}
	}
	var missing []string
	for _, c := range in.configs {
		vs, ok := c.Spec.(*networking.VirtualService)
		if !ok {
			continue
		}
		for _, g := range vs.Gateways {
			if g == "mesh" {
				continue
			}
			ref := g
			if !strings.Contains(g, "/") {
				ref = c.Namespace + "/" + g
			}
			if _, ok := in.gateways[ref]; !ok {
				in.gateways[ref] = gatewayInfo{}
				missing = append(missing, ref)
			}
		}
	}
	for _, ref := range missing {
		ns, name, _ := strings.Cut(ref, "/")
		selector := map[string]string{"sim-gateway": ns + "." + name}
		in.gateways[ref] = gatewayInfo{namespace: ns, selector: selector, httpPorts: []int{80}}
		in.configs = append(in.configs, config.Config{
			Meta: config.Meta{
				GroupVersionKind:  gvk.Gateway,
				Name:              name,
				Namespace:         ns,
				Domain:            domain,
				CreationTimestamp: in.created,
			},
			Spec: &networking.Gateway{
				Selector: selector,
				Servers: []*networking.Server{{
					Port:  &networking.Port{Number: 80, Name: "http", Protocol: "HTTP"},
					Hosts: []string{"*"},
				}},
			},
		})
		in.synthesized = append(in.synthesized, fmt.Sprintf("Gateway %s (HTTP 80, hosts *)", ref))
	}
}

func sortedKeys[K int | string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
