package main

// What a Kubernetes API server does to a Gateway API object before Istio ever reads it, from
// the CRDs the cluster has (the job's crdFiles: the Gateway API's experimental channel and the
// Inference Extension, from the module cache at the versions Istio requires):
//   - it fills in the schema's defaults (structural defaulting, as the API server does on
//     create): a rule without matches gets PathPrefix "/", which then ranks above a
//     RegularExpression match; a RequestRedirect without statusCode gets 302; a backendRef
//     its weight 1...;
//   - it rejects what the schema and its CEL rules reject (Istio's own CRD validator,
//     pkg/config/crd, as Istio's conversion tests use it).
// A fake Kubernetes client does neither; without this the judge would convert objects no
// cluster ever stores.

import (
	"fmt"
	"io"
	"os"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"

	crdvalidation "istio.io/istio/pkg/config/crd"
)

type apiServer struct {
	structural map[schema.GroupVersionKind]*structuralschema.Structural
	validator  *crdvalidation.Validator
}

// customResources is the job's API server; nil when the job names no CRD files (then
// objects reach Istio as written).
var customResources *apiServer

func newAPIServer(files []string) (*apiServer, error) {
	a := &apiServer{structural: map[schema.GroupVersionKind]*structuralschema.Structural{}}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		dec := kubeyaml.NewYAMLOrJSONDecoder(f, 512*1024)
		for {
			un := &unstructured.Unstructured{}
			if err := dec.Decode(un); err == io.EOF {
				break
			} else if err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %v", file, err)
			}
			if un.GetKind() != "CustomResourceDefinition" {
				continue
			}
			var crd apiextensionsv1.CustomResourceDefinition
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(un.Object, &crd); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %v", file, err)
			}
			for _, v := range crd.Spec.Versions {
				if v.Schema == nil {
					continue
				}
				var props apiextensions.JSONSchemaProps
				if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &props, nil); err != nil {
					f.Close()
					return nil, err
				}
				s, err := structuralschema.NewStructural(&props)
				if err != nil {
					f.Close()
					return nil, fmt.Errorf("%s %s: %v", crd.Name, v.Name, err)
				}
				a.structural[schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}] = s
			}
		}
		f.Close()
	}
	v, err := crdvalidation.NewValidatorFromFiles(files...)
	if err != nil {
		return nil, err
	}
	a.validator = v
	return a, nil
}

// admit defaults a custom resource in place and validates it; objects of kinds without a
// CRD here (core kinds, Istio's) pass unchanged.
func (a *apiServer) admit(obj *unstructured.Unstructured) error {
	s, ok := a.structural[obj.GroupVersionKind()]
	if !ok {
		return nil
	}
	structuraldefaulting.Default(obj.Object, s)
	if err := a.validator.ValidateCustomResource(obj); err != nil {
		return fmt.Errorf("the API server rejects it: %v", err)
	}
	return nil
}
