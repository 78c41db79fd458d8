// Command istio-analyze runs istioctl analyze's analyzers (the pinned istio.io/istio, the same code as the
// istioctl binary) over YAML files, as `istioctl analyze` would over a cluster that holds exactly those
// objects.
//
// `istioctl analyze --use-kube=false` reads only Istio config from files: the Kubernetes kinds an analyzer
// needs from a cluster (Service, Pod, Node...) are never available, so every analyzer that reads one is
// skipped, even when the files hold Services (virtualservice.DestinationHostAnalyzer,
// destinationrule.SubsetSelectPodAnalyzer, virtualservice.JWTClaimRouteAnalyzer). This command loads the
// files with Istio's own test entry point (IstiodAnalyzer.AddTestReaderKubeSource, which keeps those kinds)
// and applies the same skipping rule, with one difference: a Kubernetes kind counts as available when the
// files hold at least one object of that kind (Nodes count as available when Pods are given; a cluster with
// Pods has Nodes). Without Kubernetes objects in the files its output equals `istioctl analyze
// --use-kube=false`.
//
//	istio-analyze [--all-namespaces | --namespace NS | --default-namespace NS] FILE...
//
// --default-namespace NS reads the files as `kubectl apply -n NS` would put them in a cluster (objects without a
// namespace in NS) and reports on every namespace, as `istioctl analyze -A` over that cluster does.
//
// Prints the messages as `istioctl analyze -o json` does.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"

	"istio.io/istio/istioctl/pkg/util/formatting"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/analysis"
	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/legacy/util/kuberesource"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"
	"istio.io/istio/pkg/config/schema/gvk"
	"istio.io/istio/pkg/log"
)

func main() {
	allNamespaces := flag.Bool("all-namespaces", false, "analyze all namespaces (objects without a namespace are in namespace \"\")")
	namespace := flag.String("namespace", "default", "the namespace of objects without one, and the only one reported on")
	defaultNamespace := flag.String("default-namespace", "", "put objects without a namespace in this one and report on all namespaces")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: istio-analyze [--all-namespaces | --namespace NS | --default-namespace NS] FILE...")
		os.Exit(2)
	}
	// istioctl keeps its log quiet and off stdout, which carries the JSON.
	opts := log.DefaultOptions()
	opts.OutputPaths = []string{"stderr"}
	opts.SetDefaultOutputLevel(log.OverrideScopeName, log.ErrorLevel)
	if err := log.Configure(opts); err != nil {
		fmt.Fprintf(os.Stderr, "istio-analyze: %v\n", err)
		os.Exit(1)
	}
	if *defaultNamespace != "" {
		*allNamespaces = true
	}
	if err := run(files, *allNamespaces, *namespace, *defaultNamespace); err != nil {
		fmt.Fprintf(os.Stderr, "istio-analyze: %v\n", err)
		os.Exit(1)
	}
}

func run(files []string, allNamespaces bool, namespace, defaultNamespace string) error {
	contents := make([][]byte, 0, len(files))
	given := map[config.GroupVersionKind]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if defaultNamespace != "" {
			if b, err = withNamespace(b, defaultNamespace); err != nil {
				return fmt.Errorf("%s: %v", f, err)
			}
		}
		contents = append(contents, b)
		if err := collectKinds(b, given); err != nil {
			return fmt.Errorf("%s: %v", f, err)
		}
	}
	if given[gvk.Pod] {
		given[gvk.Node] = true
	}

	selectedNamespace := resource.Namespace(namespace)
	if allNamespaces {
		selectedNamespace = ""
	}
	sa := local.NewSourceAnalyzer(analysis.Combine("available", available(given)...), selectedNamespace, "istio-system", nil)
	readers := make([]local.ReaderSource, 0, len(files))
	for i, f := range files {
		readers = append(readers, local.ReaderSource{Name: f, Reader: bytes.NewReader(contents[i])})
	}
	if err := sa.AddTestReaderKubeSource(readers); err != nil {
		// As istioctl analyze: a document that does not decode is left out, the rest is analyzed.
		fmt.Fprintf(os.Stderr, "Error(s) adding files: %v\n", err)
	}
	if err := sa.AddDefaultResources(); err != nil {
		return err
	}
	result, err := sa.Analyze(make(chan struct{}))
	if err != nil {
		return err
	}
	out, err := formatting.Print(*result.Messages.SetDocRef("istioctl-analyze"), formatting.JSONFormat, false)
	if err != nil {
		return err
	}
	fmt.Println(out)
	return nil
}

// available keeps the analyzers whose Kubernetes (cluster-only) inputs are all given.
func available(given map[config.GroupVersionKind]bool) []analysis.Analyzer {
	clusterOnly := map[config.GroupVersionKind]bool{}
	for _, s := range kuberesource.DefaultExcludedSchemas().All() {
		clusterOnly[s.GroupVersionKind()] = true
	}
	var out []analysis.Analyzer
next:
	for _, a := range analyzers.All() {
		for _, in := range a.Metadata().Inputs {
			if clusterOnly[in] && !given[in] {
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

// withNamespace gives every document (and every item of a List) without metadata.namespace the namespace ns, as
// `kubectl apply -n ns` does. Cluster-scoped kinds may get one too: Istio's file source clears it for them.
// The documents are returned as JSON, one per YAML document.
func withNamespace(b []byte, ns string) ([]byte, error) {
	decoder := kubeyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var out bytes.Buffer
	for {
		var u unstructured.Unstructured
		if err := decoder.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return out.Bytes(), nil
			}
			return nil, err
		}
		if u.Object == nil {
			continue
		}
		setNamespace(u.Object, ns)
		if items, ok := u.Object["items"].([]any); ok && u.GetKind() == "List" {
			for _, item := range items {
				if m, ok := item.(map[string]any); ok {
					setNamespace(m, ns)
				}
			}
		}
		doc, err := json.Marshal(u.Object)
		if err != nil {
			return nil, err
		}
		out.WriteString("---\n")
		out.Write(doc)
		out.WriteString("\n")
	}
}

func setNamespace(object map[string]any, ns string) {
	metadata, ok := object["metadata"].(map[string]any)
	if !ok {
		return
	}
	if current, _ := metadata["namespace"].(string); current == "" {
		metadata["namespace"] = ns
	}
}

// collectKinds records the GroupVersionKind of every document.
func collectKinds(b []byte, given map[config.GroupVersionKind]bool) error {
	decoder := kubeyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	for {
		var u unstructured.Unstructured
		if err := decoder.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if u.Object == nil {
			continue
		}
		k := u.GroupVersionKind()
		given[config.GroupVersionKind{Group: k.Group, Version: k.Version, Kind: k.Kind}] = true
	}
}
