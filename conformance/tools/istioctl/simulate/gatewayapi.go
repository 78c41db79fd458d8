package main

// Config generation for sets that hold Gateway API objects (HTTPRoute, Kubernetes Gateway,
// ReferenceGrant, InferencePool): Istio converts them in its Gateway API controller
// (pilot/pkg/config/kube/gateway), which reads them from a Kubernetes client, and hands the
// VirtualServices, Gateways and DestinationRules it derives to config generation.
//
// This is a trimmed copy of Istio's own test server, pilot/test/xds/fake.go
// (NewFakeDiscoveryServer), which Istio's Gateway API simulation tests use
// (pilot/pkg/networking/core/sidecar_simulation_test.go, variant "httproute"). That file
// imports pilot/pkg/bootstrap, whose dependency graph needs module versions the Go module
// proxy refuses; what config generation needs of it is kept: a fake Kubernetes client
// holding every object of the set, Istio's Kubernetes service registry on it (Services,
// and the shadow Services Istio creates for InferencePools), the Gateway API controller on
// it, and ConfigGenTest with both. Left out: the xDS server, gRPC, ambient, ingress,
// secrets, and the push queue (a push context is built directly; see settle).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/gateway-api/pkg/consts"
	"sigs.k8s.io/yaml"

	"istio.io/istio/pilot/pkg/config/kube/gateway"
	"istio.io/istio/pilot/pkg/config/kube/gatewaycommon"
	"istio.io/istio/pilot/pkg/features"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/networking/core"
	"istio.io/istio/pilot/pkg/serviceregistry"
	kubecontroller "istio.io/istio/pilot/pkg/serviceregistry/kube/controller"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/constants"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/config/mesh/meshwatcher"
	"istio.io/istio/pkg/config/schema/gvk"
	"istio.io/istio/pkg/config/schema/gvr"
	kubelib "istio.io/istio/pkg/kube"
	"istio.io/istio/pkg/kube/kclient/clienttest"
	"istio.io/istio/pkg/test"
)

const (
	gatewayAPIGroup = "gateway.networking.k8s.io"
	inferenceGroup  = "inference.networking.k8s.io"
	// The controller name of Istio's GatewayClass "istio".
	istioGatewayController = "istio.io/gateway-controller"
	// The label Istio's Gateway deployment template (manifests/charts/istio-control/
	// istio-discovery/files/kube-gateway.yaml) puts on the pods and selects in the Service.
	gatewayNameLabel = "gateway.networking.k8s.io/gateway-name"
)

// The Gateway API kinds the controller reads from the cluster (the list of
// pilot/pkg/config/kube/gateway/conversion_test.go's setupClientCRDs): their CRDs must exist in
// the fake client, else the controller's informers wait for them.
var gatewayAPICRDs = []schema.GroupVersionResource{
	gvr.KubernetesGateway, gvr.ReferenceGrant, gvr.ListenerSet, gvr.GatewayClass, gvr.HTTPRoute, gvr.GRPCRoute,
	gvr.TCPRoute, gvr.TLSRoute, gvr.ServiceEntry, gvr.XBackendTrafficPolicy, gvr.BackendTLSPolicy, gvr.InferencePool,
}

func init() {
	// istiod's ENABLE_GATEWAY_API_INFERENCE_EXTENSION: InferencePool backends are converted.
	features.EnableGatewayAPIInferenceExtension = true
}

// httpRouteRule names one rule of one HTTPRoute: what an Envoy route came from.
type httpRouteRule struct {
	route string // ns/name
	rule  any    // the rule's name, or its index when unnamed
}

// kubernetesGateway is what a request through a Kubernetes Gateway needs: the labels of the
// proxy pods Istio deploys for it, and its HTTP listeners' ports.
type kubernetesGateway struct {
	namespace string
	labels    map[string]string
	httpPorts []int
}

// isGatewayAPIGroup: a group the Gateway API controller reads.
func isGatewayAPIGroup(group string) bool {
	return group == gatewayAPIGroup || group == inferenceGroup
}

// kubernetesObjects decodes every document of the set as Istio's fake Kubernetes client
// wants them (pilot/test/xds/fake.go's kubernetesObjectsFromString), and prepares them:
//   - each HTTPRoute rule loses its name (recorded in in.httpRouteRules) so that Istio names
//     its Envoy route "<ns>.<route>.<index>", which says which rule decided;
//   - an HTTPRoute without status gets, for each parent, a status entry by Istio's controller,
//     as istiod writes it: Istio creates an InferencePool's shadow Service only for pools that
//     a route accepted by istio.io/gateway-controller references;
//   - each managed Kubernetes Gateway of an Istio class gets the Service Istio's deployment
//     controller would create ("<name>-<class>", selecting the gateway-name label), which is how
//     its proxies find the Gateway Istio derives (annotation internal.istio.io/gateway-service);
//   - each namespace used gets a Namespace object (listeners' allowedRoutes select them).
func (in *inputs) kubernetesObjects(yamlText string) ([]runtime.Object, error) {
	decode := kubelib.IstioCodec.UniversalDeserializer().Decode
	var objects []runtime.Object
	services := map[string]bool{}
	namespaces := map[string]bool{} // used: true; given as an object: false
	var gateways []*gatewayv1.Gateway
	for _, doc := range strings.Split(yamlText, "\n---") {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		raw, err := admitted(doc)
		if err != nil {
			return nil, err
		}
		o, _, err := decode(raw, nil, nil)
		if err != nil {
			// Kinds Istio's scheme does not know (e.g. a Deployment of another API) play no part.
			if runtime.IsNotRegisteredError(err) {
				continue
			}
			return nil, fmt.Errorf("decoding a Kubernetes object: %v", err)
		}
		meta, ok := o.(metav1.Object)
		if !ok {
			continue
		}
		if meta.GetNamespace() == "" && o.GetObjectKind().GroupVersionKind().Kind != "Namespace" {
			meta.SetNamespace("default")
		}
		if ts := meta.GetCreationTimestamp(); ts.IsZero() {
			meta.SetCreationTimestamp(metav1.NewTime(in.created))
		}
		if _, given := namespaces[meta.GetNamespace()]; !given {
			namespaces[meta.GetNamespace()] = true
		}
		switch obj := o.(type) {
		case *gatewayv1.HTTPRoute:
			in.prepareHTTPRoute(obj)
		case *gatewayv1.Gateway:
			gateways = append(gateways, obj)
		case *corev1.Service:
			services[obj.Namespace+"/"+obj.Name] = true
			defaultServicePorts(obj)
		case *corev1.Namespace:
			namespaces[obj.Name] = false // given: not to be added
		}
		objects = append(objects, o)
	}
	for _, gw := range gateways {
		svc := in.kubernetesGateway(gw, services)
		if svc != nil {
			objects = append(objects, svc)
		}
	}
	for ns, add := range namespaces {
		if add && ns != "" {
			objects = append(objects, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{"kubernetes.io/metadata.name": ns}}})
		}
	}
	return objects, nil
}

// defaultServicePorts does what the API server's defaulting does and the fake client does
// not: targetPort defaults to port, protocol to TCP. A Kubernetes Gateway's proxy serves the
// Gateway's listener on its Service's targetPort (route configuration "http.<targetPort>").
func defaultServicePorts(svc *corev1.Service) {
	for i := range svc.Spec.Ports {
		p := &svc.Spec.Ports[i]
		if p.TargetPort.IntVal == 0 && p.TargetPort.StrVal == "" {
			p.TargetPort = intstr.FromInt32(p.Port)
		}
		if p.Protocol == "" {
			p.Protocol = corev1.ProtocolTCP
		}
	}
}

// admitted is the document as the API server stores it (apiserver.go), as JSON.
func admitted(doc string) ([]byte, error) {
	// As the API server decodes: JSON, integers as int64 (CEL rules tell int from float).
	raw, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		return nil, fmt.Errorf("reading a document: %v", err)
	}
	un := &unstructured.Unstructured{}
	if err := un.UnmarshalJSON(raw); err != nil {
		return raw, nil // no apiVersion/kind: not a Kubernetes object, decode decides
	}
	if customResources != nil && un.Object != nil {
		if err := customResources.admit(un); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %v", un.GetKind(), un.GetNamespace(), un.GetName(), err)
		}
	}
	return json.Marshal(un.Object)
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (in *inputs) prepareHTTPRoute(r *gatewayv1.HTTPRoute) {
	for i := range r.Spec.Rules {
		var rule any = i
		if n := r.Spec.Rules[i].Name; n != nil {
			rule = string(*n)
		}
		in.httpRouteRules[fmt.Sprintf("%s.%s.%d", r.Namespace, r.Name, i)] = httpRouteRule{route: r.Namespace + "/" + r.Name, rule: rule}
		r.Spec.Rules[i].Name = nil
	}
	if len(r.Status.Parents) > 0 {
		return
	}
	for _, p := range r.Spec.ParentRefs {
		r.Status.Parents = append(r.Status.Parents, gatewayv1.RouteParentStatus{
			ParentRef:      p,
			ControllerName: istioGatewayController,
			Conditions: []metav1.Condition{{
				Type: string(gatewayv1.RouteConditionAccepted), Status: metav1.ConditionTrue, Reason: string(gatewayv1.RouteReasonAccepted),
				LastTransitionTime: metav1.NewTime(in.created),
			}},
		})
	}
}

// kubernetesGateway records the proxy of a Kubernetes Gateway and returns the Service Istio
// would create for it (nil when the inputs have it, or when the Gateway names its own).
func (in *inputs) kubernetesGateway(gw *gatewayv1.Gateway, services map[string]bool) *corev1.Service {
	info := kubernetesGateway{namespace: gw.Namespace}
	var ports []corev1.ServicePort
	for _, l := range gw.Spec.Listeners {
		if l.Protocol == gatewayv1.HTTPProtocolType {
			info.httpPorts = append(info.httpPorts, int(l.Port))
		}
		ports = append(ports, corev1.ServicePort{Name: string(l.Name), Port: int32(l.Port), Protocol: corev1.ProtocolTCP})
	}
	var svc *corev1.Service
	if gatewaycommon.IsManaged(&gw.Spec) {
		// The labels of the pods of the Deployment Istio creates (kube-gateway.yaml).
		name := gatewaycommon.GetDefaultName(gw.Name, &gw.Spec, false)
		if o := gw.Annotations["gateway.istio.io/name-override"]; o != "" {
			name = o
		}
		info.labels = map[string]string{
			gatewayNameLabel: gw.Name,
			"gateway.networking.k8s.io/gateway-class-name": string(gw.Spec.GatewayClassName),
			"gateway.istio.io/managed":                     "istio.io-gateway-controller",
			"service.istio.io/canonical-name":              name,
			"service.istio.io/canonical-revision":          "latest",
			"sidecar.istio.io/inject":                      "false",
		}
		if !services[gw.Namespace+"/"+name] {
			svc = &corev1.Service{
				ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: gw.Namespace, CreationTimestamp: metav1.NewTime(in.created)},
				Spec:       corev1.ServiceSpec{Ports: ports, Selector: map[string]string{gatewayNameLabel: gw.Name}},
			}
			defaultServicePorts(svc)
			in.synthesized = append(in.synthesized, fmt.Sprintf("Service %s/%s (the Service Istio creates for Gateway %s)", gw.Namespace, name, gw.Name))
		}
	} else {
		// A Gateway that names its Service by address: its proxies are what that Service selects.
		for _, o := range in.others {
			if o.Kind == "Service" && o.Namespace == gw.Namespace && len(gw.Spec.Addresses) > 0 && o.Name == gw.Spec.Addresses[0].Value {
				raw, _ := json.Marshal(o.Spec)
				var spec corev1.ServiceSpec
				_ = json.Unmarshal(raw, &spec)
				info.labels = spec.Selector
			}
		}
	}
	in.kubernetesGateways[gw.Namespace+"/"+gw.Name] = info
	return svc
}

// gatewayAPIConfigGen builds ConfigGenTest with Istio's Gateway API controller and Kubernetes
// service registry over a fake Kubernetes client holding the set's objects.
func gatewayAPIConfigGen(t test.Failer, setName string, in *inputs) *core.ConfigGenTest {
	client := kubelib.NewFakeClient(in.kubeObjects...)
	for _, crd := range gatewayAPICRDs {
		clienttest.MakeCRDWithAnnotations(t, client, crd, map[string]string{consts.BundleVersionAnnotation: consts.BundleVersion})
	}
	meshConfig := mesh.DefaultMeshConfig()
	registry, _ := kubecontroller.NewFakeControllerWithOptions(t, kubecontroller.FakeControllerOptions{
		Client:        client,
		ClusterID:     constants.DefaultClusterName,
		DomainSuffix:  domain,
		SkipRun:       true,
		ConfigCluster: true,
		MeshWatcher:   meshwatcher.NewTestWatcher(meshConfig),
		CRDs:          gatewayAPICRDs,
	})
	var gwc *gateway.Controller
	cg := core.NewConfigGenTest(t, core.TestOptions{
		Configs:           in.configs,
		MeshConfig:        meshConfig,
		ServiceRegistries: []serviceregistry.Instance{registry},
		CreateConfigStore: func(c model.ConfigStoreController) model.ConfigStoreController {
			gwc = gateway.NewController(client, func(schema.GroupVersionResource, <-chan struct{}) bool { return true },
				kubecontroller.Options{DomainSuffix: domain, ClusterID: constants.DefaultClusterName}, nil)
			return gwc
		},
		SkipRun:   true,
		ClusterID: constants.DefaultClusterName,
	})
	env := cg.Env()
	env.GatewayAPIController = gwc
	client.RunAndWait(test.NewStop(t))
	// The controller's outputs wait for a first push context (Reconcile); the store's
	// HasSynced, which cg.Run waits for, includes them. cg.Run runs the config stores, the
	// controller among them.
	gwc.Reconcile(env.PushContext())
	cg.Run()
	if err := env.InitNetworksManager(model.NewEndpointIndexUpdater(env.EndpointIndex)); err != nil {
		t.Fatal(err)
	}
	settle(t, cg, gwc)
	dumpDerived(setName, gwc)
	return cg
}

// dumpDerived writes what Istio's Gateway API controller derived (Istio Gateways,
// VirtualServices, DestinationRules) into $SIMULATE_DUMP as <set>.derived.json, when set.
func dumpDerived(setName string, gwc *gateway.Controller) {
	dir := os.Getenv("SIMULATE_DUMP")
	if dir == "" {
		return
	}
	var out []map[string]any
	for _, k := range []config.GroupVersionKind{gvk.Gateway, gvk.VirtualService, gvk.DestinationRule} {
		for _, c := range gwc.List(k, "") {
			out = append(out, map[string]any{"kind": k.Kind, "namespace": c.Namespace, "name": c.Name, "annotations": c.Annotations, "spec": c.Spec})
		}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, safeFileName(setName+".derived")+".json"), b, 0o644)
	}
	if err != nil {
		fail(err)
	}
}

// settle builds push contexts until the Gateway API controller's output no longer changes.
// istiod gets there through its push queue: a push context's Reconcile hands the controller
// the services it resolves backends against, the controller recomputes its routes in the
// background and asks for another push (and creates InferencePool shadow Services, which the
// registry then reports). Here: a new push context every few milliseconds until the derived
// configs and services have stayed the same for settleQuiet (several polls, so that a
// recomputation a loaded machine schedules late is still seen).
func settle(t test.Failer, cg *core.ConfigGenTest, gwc *gateway.Controller) {
	const settleQuiet = 5 // polls of 5 ms
	env := cg.Env()
	last := ""
	deadline := time.Now().Add(20 * time.Second)
	for stable := 0; stable < settleQuiet; {
		pc := model.NewPushContext()
		pc.InitContext(env, nil, nil)
		env.SetPushContext(pc)
		time.Sleep(5 * time.Millisecond)
		fp := fingerprint(env, gwc)
		if fp == last && gwc.HasSynced() {
			stable++
		} else {
			stable = 0
		}
		last = fp
		if time.Now().After(deadline) {
			t.Fatal("Istio's Gateway API controller did not settle in 20 s")
		}
	}
	// The push context config generation reads: built after the last change.
	pc := model.NewPushContext()
	pc.InitContext(env, nil, nil)
	env.SetPushContext(pc)
}

// fingerprint is the controller's output as a set: lines sorted, since the lists come in no
// fixed order (map iteration), and an order that changes between polls is not a change.
func fingerprint(env *model.Environment, gwc *gateway.Controller) string {
	var lines []string
	for _, c := range env.VirtualServiceController.MergedVirtualServices() {
		j, _ := json.Marshal(c.Spec)
		lines = append(lines, fmt.Sprintf("vs %s/%s %s %v", c.Namespace, c.Name, j, c.Annotations))
	}
	for _, k := range []config.GroupVersionKind{gvk.Gateway, gvk.DestinationRule} {
		for _, c := range gwc.List(k, "") {
			j, _ := json.Marshal(c.Spec)
			lines = append(lines, fmt.Sprintf("%s %s/%s %s %v", c.GroupVersionKind.Kind, c.Namespace, c.Name, j, c.Annotations))
		}
	}
	for _, s := range env.ServiceDiscovery.Services() {
		lines = append(lines, fmt.Sprintf("svc %s %d", s.Hostname, len(s.Ports)))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
