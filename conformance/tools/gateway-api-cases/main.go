// Command gateway-api-cases reads the Gateway API conformance suite's tests
// (the Go sources of sigs.k8s.io/gateway-api/conformance, tests/ and
// tests/mesh/) with go/ast, and prints as JSON what each HTTPRoute test
// declares: its name, features, manifests, the gateways it names, and every
// http.ExpectedResponse literal (request, expected backend, response status,
// mirrors, redirect) and every map[string]float64 literal (expected weights),
// with identifiers resolved from the string assignments of the same file.
// An expression it cannot evaluate is reported, never guessed.
//
// Usage: gateway-api-cases <module dir>
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

type manifest struct {
	Path   string `json:"path"`
	Sha256 string `json:"sha256"`
	YAML   string `json:"yaml"`
}

type testCase struct {
	Line  int `json:"line"`
	Value any `json:"value"`
}

type conformanceTest struct {
	Name       string            `json:"name"`
	File       string            `json:"file"`
	Sha256     string            `json:"sha256"`
	Suite      string            `json:"suite"`
	Features   []string          `json:"features"`
	Manifests  []manifest        `json:"manifests"`
	Strings    map[string]string `json:"strings"`
	Gateways   []any             `json:"gateways"`
	Addresses  []any             `json:"addresses"`
	Calls      []any             `json:"calls"`
	Cases      []testCase        `json:"cases"`
	Weights    []testCase        `json:"weights"`
	Unresolved []string          `json:"unresolved"`
}

type output struct {
	Base  []manifest        `json:"base"`
	Tests []conformanceTest `json:"tests"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gateway-api-cases <sigs.k8s.io/gateway-api/conformance module dir>")
		os.Exit(2)
	}
	dir := os.Args[1]
	out := output{Tests: []conformanceTest{}}
	for _, base := range []string{"base/manifests.yaml", "mesh/manifests.yaml"} {
		out.Base = append(out.Base, readManifest(dir, base))
	}
	for _, sub := range []string{"tests", "tests/mesh"} {
		files, err := filepath.Glob(filepath.Join(dir, sub, "*.go"))
		check(err)
		sort.Strings(files)
		for _, file := range files {
			rel, _ := filepath.Rel(dir, file)
			if strings.HasSuffix(rel, "main.go") {
				continue
			}
			if t := readTest(dir, rel); t != nil {
				out.Tests = append(out.Tests, *t)
			}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	check(enc.Encode(out))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func readManifest(dir, rel string) manifest {
	data, err := os.ReadFile(filepath.Join(dir, rel))
	check(err)
	sum := sha256.Sum256(data)
	return manifest{Path: rel, Sha256: hex.EncodeToString(sum[:]), YAML: string(data)}
}

// readTest reads one test file; nil when it declares no suite.ConformanceTest about HTTPRoutes.
func readTest(dir, rel string) *conformanceTest {
	data, err := os.ReadFile(filepath.Join(dir, rel))
	check(err)
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, rel, data, 0)
	check(err)
	sum := sha256.Sum256(data)
	ev := &evaluator{fset: fset, strings: map[string]string{}}
	ev.collectStrings(file)
	t := &conformanceTest{File: rel, Sha256: hex.EncodeToString(sum[:]), Strings: ev.strings, Features: []string{},
		Manifests: []manifest{}, Gateways: []any{}, Addresses: []any{}, Calls: []any{}, Cases: []testCase{}, Weights: []testCase{}}
	t.Suite = "gateway"
	if strings.Contains(string(data), "MeshConformanceTests = append") {
		t.Suite = "mesh"
	}
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || typeName(lit.Type) != "suite.ConformanceTest" {
			return true
		}
		found = true
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			switch keyName(kv) {
			case "ShortName":
				t.Name, _ = ev.eval(kv.Value, "").(string)
			case "Features":
				for _, f := range kv.Value.(*ast.CompositeLit).Elts {
					t.Features = append(t.Features, exprString(f))
				}
			case "Manifests":
				for _, m := range kv.Value.(*ast.CompositeLit).Elts {
					path, _ := ev.eval(m, "").(string)
					t.Manifests = append(t.Manifests, readManifest(dir, path))
				}
			case "Test":
				ev.collectCases(kv.Value, t)
			}
		}
		return false
	})
	if !found || !strings.Contains(strings.Join(t.Features, " "), "HTTPRoute") {
		return nil
	}
	t.Unresolved = append([]string{}, ev.unresolved...)
	return t
}

type evaluator struct {
	fset       *token.FileSet
	strings    map[string]string
	unresolved []string
}

// collectStrings records every identifier assigned a string the evaluator can compute (`ns := "..."`).
func (ev *evaluator) collectStrings(file *ast.File) {
	ast.Inspect(file, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range s.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && i < len(s.Rhs) {
					if v, ok := ev.quiet(s.Rhs[i]).(string); ok {
						ev.strings[id.Name] = v
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range s.Names {
				if i < len(s.Values) {
					if v, ok := ev.quiet(s.Values[i]).(string); ok {
						ev.strings[id.Name] = v
					}
				}
			}
		}
		return true
	})
}

func (ev *evaluator) quiet(e ast.Expr) any {
	saved := ev.unresolved
	v := ev.eval(e, "")
	ev.unresolved = saved
	return v
}

// collectCases finds the ExpectedResponse and weight literals of a test's body, the gateways it names
// (NamespacedName literals assigned to gw* variables), the gateway addresses it obtains (with the
// gateway variable they were obtained for) and the calls that send requests (with the address they use).
func (ev *evaluator) collectCases(body ast.Node, t *conformanceTest) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			fn := exprString(x.Fun)
			if strings.HasSuffix(fn, "RequestAndExpectEventuallyConsistentResponse") {
				address := ""
				for _, arg := range x.Args {
					if id, ok := arg.(*ast.Ident); ok && strings.HasPrefix(id.Name, "gwAddr") {
						address = id.Name
					}
				}
				t.Calls = append(t.Calls, map[string]any{"line": ev.line(x), "function": fn, "address": address})
			}
		case *ast.AssignStmt:
			for i, lhs := range x.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok || i >= len(x.Rhs) || !strings.HasPrefix(strings.ToLower(id.Name), "gw") {
					continue
				}
				if lit, ok := x.Rhs[i].(*ast.CompositeLit); ok && typeName(lit.Type) == "types.NamespacedName" {
					t.Gateways = append(t.Gateways, map[string]any{"variable": id.Name, "line": ev.line(lit), "value": ev.eval(lit, "")})
				}
				if call, ok := x.Rhs[i].(*ast.CallExpr); ok && strings.HasSuffix(exprString(call.Fun), "MustBeAccepted") {
					gateway := ""
					ast.Inspect(call, func(m ast.Node) bool {
						if ref, ok := m.(*ast.CallExpr); ok && strings.HasSuffix(exprString(ref.Fun), "NewGatewayRef") && len(ref.Args) > 0 {
							gateway = exprString(ref.Args[0])
						}
						return true
					})
					t.Addresses = append(t.Addresses, map[string]any{"variable": id.Name, "line": ev.line(call), "gatewayVariable": gateway})
				}
			}
		case *ast.CompositeLit:
			switch typeName(x.Type) {
			case "[]http.ExpectedResponse":
				for _, elt := range x.Elts {
					t.Cases = append(t.Cases, testCase{Line: ev.line(elt), Value: ev.eval(elt, "http.ExpectedResponse")})
				}
				return false
			case "http.ExpectedResponse":
				t.Cases = append(t.Cases, testCase{Line: ev.line(x), Value: ev.eval(x, "")})
				return false
			case "map[string]float64":
				t.Weights = append(t.Weights, testCase{Line: ev.line(x), Value: ev.eval(x, "")})
				return false
			}
		}
		return true
	})
}

func (ev *evaluator) line(n ast.Node) int { return ev.fset.Position(n.Pos()).Line }

// eval computes a literal's value; `implied` is the element type a slice literal gives an untyped element.
func (ev *evaluator) eval(e ast.Expr, implied string) any {
	switch x := e.(type) {
	case *ast.BasicLit:
		switch x.Kind {
		case token.STRING:
			s, err := strconv.Unquote(x.Value)
			check(err)
			return s
		case token.INT:
			n, err := strconv.ParseInt(x.Value, 0, 64)
			check(err)
			return n
		case token.FLOAT:
			f, err := strconv.ParseFloat(x.Value, 64)
			check(err)
			return f
		}
	case *ast.Ident:
		switch x.Name {
		case "true":
			return true
		case "false":
			return false
		case "nil":
			return nil
		}
		if s, ok := ev.strings[x.Name]; ok {
			return s
		}
	case *ast.ParenExpr:
		return ev.eval(x.X, implied)
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return ev.eval(x.X, implied)
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, aok := ev.eval(x.X, "").(string)
			b, bok := ev.eval(x.Y, "").(string)
			if aok && bok {
				return a + b
			}
		}
	case *ast.SelectorExpr:
		// A named constant of another package (net/http's method names, the suite's app names): kept as its name.
		return map[string]any{"$ref": exprString(x)}
	case *ast.CallExpr:
		fn := exprString(x.Fun)
		if len(x.Args) == 1 && (fn == "ptr.To" || fn == "int32" || fn == "int" || fn == "string" || isAPIConversion(fn)) {
			return ev.eval(x.Args[0], "")
		}
	case *ast.CompositeLit:
		typ := typeName(x.Type)
		if typ == "" {
			typ = implied
		}
		if strings.HasPrefix(typ, "[]") {
			list := []any{}
			for _, elt := range x.Elts {
				list = append(list, ev.eval(elt, strings.TrimPrefix(typ, "[]")))
			}
			return list
		}
		object := map[string]any{}
		elementType := ""
		if strings.HasPrefix(typ, "map[") {
			elementType = typ[strings.Index(typ, "]")+1:]
		}
		for _, elt := range x.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				ev.unresolved = append(ev.unresolved, fmt.Sprintf("line %d: element without key in %s", ev.line(elt), typ))
				continue
			}
			key := keyName(kv)
			if strings.HasPrefix(typ, "map[") {
				k, ok := ev.eval(kv.Key, "").(string)
				if !ok {
					ev.unresolved = append(ev.unresolved, fmt.Sprintf("line %d: map key %s", ev.line(kv), exprString(kv.Key)))
					continue
				}
				key = k
			}
			object[key] = ev.eval(kv.Value, elementType)
		}
		return object
	}
	ev.unresolved = append(ev.unresolved, fmt.Sprintf("line %d: %s", ev.line(e), exprString(e)))
	return map[string]any{"$unresolved": exprString(e)}
}

// isAPIConversion: a conversion to a Gateway API named type (`v1beta1.Namespace("ns")`), which keeps the value.
func isAPIConversion(fn string) bool {
	for _, pkg := range []string{"v1.", "v1beta1.", "gatewayv1.", "gatewayv1beta1.", "gatewayv1alpha2."} {
		if rest, ok := strings.CutPrefix(fn, pkg); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			return true
		}
	}
	return false
}

func keyName(kv *ast.KeyValueExpr) string {
	if id, ok := kv.Key.(*ast.Ident); ok {
		return id.Name
	}
	return exprString(kv.Key)
}

func typeName(e ast.Expr) string {
	if e == nil {
		return ""
	}
	return exprString(e)
}

// exprString prints the expressions the suite's literals use (types, selectors, calls) as Go writes them.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.ArrayType:
		return "[]" + exprString(x.Elt)
	case *ast.MapType:
		return "map[" + exprString(x.Key) + "]" + exprString(x.Value)
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.CallExpr:
		args := []string{}
		for _, a := range x.Args {
			args = append(args, exprString(a))
		}
		return exprString(x.Fun) + "(" + strings.Join(args, ", ") + ")"
	case *ast.BasicLit:
		return x.Value
	case *ast.UnaryExpr:
		return x.Op.String() + exprString(x.X)
	case *ast.IndexExpr:
		return exprString(x.X) + "[" + exprString(x.Index) + "]"
	case *ast.CompositeLit:
		return exprString(x.Type) + "{...}"
	case *ast.BinaryExpr:
		return exprString(x.X) + " " + x.Op.String() + " " + exprString(x.Y)
	case *ast.ParenExpr:
		return "(" + exprString(x.X) + ")"
	}
	return fmt.Sprintf("%T", e)
}
