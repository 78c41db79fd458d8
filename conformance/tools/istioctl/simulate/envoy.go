package main

// Envoy's HTTP routing, as documented for RouteConfiguration (envoy.config.route.v3) and
// implemented in source/common/router/config_impl.cc and source/common/http/header_utility.cc:
// virtual host by domain, then the first route whose match holds, then its action.
// Istio's pilot/pkg/simulation matches paths only, hence this evaluator.

import (
	"regexp"
	"strconv"
	"strings"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	fault "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
)

// envoyRequest is the request as Envoy's router sees it: lower-case header names,
// pseudo-headers :authority, :method, :path, :scheme.
type envoyRequest struct {
	headers map[string]string
	path    string // :path, with the query string; Istio's Envoy strips a #fragment on arrival
}

func (r envoyRequest) pathOnly() string {
	p := r.path
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	return p
}

// findVirtualHost follows Envoy's order: exact domain, then the longest suffix wildcard
// ("*.foo.com"), then the longest prefix wildcard ("foo.*"), then "*". Host matching is
// case-insensitive and a wildcard matches at least one character.
func findVirtualHost(rc *route.RouteConfiguration, host string) *route.VirtualHost {
	host = strings.ToLower(host)
	var suffixBest, prefixBest, star *route.VirtualHost
	suffixLen, prefixLen := -1, -1
	for _, vh := range rc.VirtualHosts {
		for _, d := range vh.Domains {
			d = strings.ToLower(d)
			switch {
			case d == "*":
				if star == nil {
					star = vh
				}
			case d == host:
				return vh
			case strings.HasPrefix(d, "*"):
				s := d[1:]
				if len(host) > len(s) && strings.HasSuffix(host, s) && len(s) > suffixLen {
					suffixBest, suffixLen = vh, len(s)
				}
			case strings.HasSuffix(d, "*"):
				p := d[:len(d)-1]
				if len(host) > len(p) && strings.HasPrefix(host, p) && len(p) > prefixLen {
					prefixBest, prefixLen = vh, len(p)
				}
			}
		}
	}
	switch {
	case suffixBest != nil:
		return suffixBest
	case prefixBest != nil:
		return prefixBest
	}
	return star
}

// findRoute returns the first route of the virtual host whose match holds, and the part of
// the path it matched (what prefix_rewrite replaces).
func findRoute(vh *route.VirtualHost, req envoyRequest) (*route.Route, string) {
	for _, r := range vh.Routes {
		if matched, ok := routeMatches(r.Match, req); ok {
			return r, matched
		}
	}
	return nil, ""
}

func routeMatches(m *route.RouteMatch, req envoyRequest) (string, bool) {
	path := req.pathOnly()
	caseSensitive := m.CaseSensitive == nil || m.CaseSensitive.Value
	eq := func(a, b string) bool { return a == b || (!caseSensitive && strings.EqualFold(a, b)) }
	var matched string
	switch ps := m.PathSpecifier.(type) {
	case *route.RouteMatch_Prefix:
		// PrefixRouteEntryImpl matches the whole :path, query string included.
		if full := req.path; len(full) < len(ps.Prefix) || !eq(full[:len(ps.Prefix)], ps.Prefix) {
			return "", false
		}
		matched = ps.Prefix
	case *route.RouteMatch_Path:
		if !eq(path, ps.Path) {
			return "", false
		}
		matched = path
	case *route.RouteMatch_PathSeparatedPrefix:
		p := ps.PathSeparatedPrefix
		if len(path) < len(p) || !eq(path[:len(p)], p) || (len(path) > len(p) && path[len(p)] != '/') {
			return "", false
		}
		matched = p
	case *route.RouteMatch_SafeRegex:
		// case_sensitive does not apply to safe_regex (Envoy's RouteMatch docs).
		if !fullMatch(ps.SafeRegex.Regex, path) {
			return "", false
		}
		matched = path
	default:
		// path_match_policy (URI templates) and CONNECT matchers: Istio does not emit them for VirtualServices.
		return "", false
	}
	for _, h := range m.Headers {
		if !headerMatches(h, req.headers) {
			return "", false
		}
	}
	// Istio matches JWT claims ("@request.auth.claims.*") on the metadata the jwt_authn filter
	// writes. Our requests carry no JWT, so that metadata is absent: only an inverted matcher holds.
	for _, md := range m.DynamicMetadata {
		if !md.Invert {
			return "", false
		}
	}
	if len(m.QueryParameters) > 0 {
		query := parseQuery(req.path)
		for _, q := range m.QueryParameters {
			if !queryMatches(q, query) {
				return "", false
			}
		}
	}
	return matched, true
}

// headerMatches is HeaderUtility::matchHeaders: a missing header matches only an inverted
// present_match, unless treat_missing_header_as_empty makes it "".
func headerMatches(h *route.HeaderMatcher, headers map[string]string) bool {
	value, present := headers[strings.ToLower(h.Name)]
	if !present && !h.TreatMissingHeaderAsEmpty {
		pm, isPresent := h.HeaderMatchSpecifier.(*route.HeaderMatcher_PresentMatch)
		if h.InvertMatch {
			return isPresent && pm.PresentMatch
		}
		return isPresent && !pm.PresentMatch
	}
	var match bool
	switch s := h.HeaderMatchSpecifier.(type) {
	case *route.HeaderMatcher_PresentMatch:
		match = s.PresentMatch
	case *route.HeaderMatcher_StringMatch:
		match = stringMatches(s.StringMatch, value)
	case *route.HeaderMatcher_ExactMatch:
		match = s.ExactMatch == "" || value == s.ExactMatch
	case *route.HeaderMatcher_PrefixMatch:
		match = strings.HasPrefix(value, s.PrefixMatch)
	case *route.HeaderMatcher_SuffixMatch:
		match = strings.HasSuffix(value, s.SuffixMatch)
	case *route.HeaderMatcher_ContainsMatch:
		match = strings.Contains(value, s.ContainsMatch)
	case *route.HeaderMatcher_SafeRegexMatch:
		match = fullMatch(s.SafeRegexMatch.Regex, value)
	case nil:
		match = true // no specifier: presence
	default:
		match = false // range_match: Istio does not emit it
	}
	return match != h.InvertMatch
}

func stringMatches(m *matcher.StringMatcher, v string) bool {
	norm := func(s string) string {
		if m.IgnoreCase {
			return strings.ToLower(s)
		}
		return s
	}
	switch p := m.MatchPattern.(type) {
	case *matcher.StringMatcher_Exact:
		return norm(v) == norm(p.Exact)
	case *matcher.StringMatcher_Prefix:
		return strings.HasPrefix(norm(v), norm(p.Prefix))
	case *matcher.StringMatcher_Suffix:
		return strings.HasSuffix(norm(v), norm(p.Suffix))
	case *matcher.StringMatcher_Contains:
		return strings.Contains(norm(v), norm(p.Contains))
	case *matcher.StringMatcher_SafeRegex:
		return fullMatch(p.SafeRegex.Regex, v)
	}
	return false
}

// queryMatches: the first value of the parameter; a missing parameter never matches.
func queryMatches(q *route.QueryParameterMatcher, query map[string]string) bool {
	v, ok := query[q.Name]
	if !ok {
		return false
	}
	switch s := q.QueryParameterMatchSpecifier.(type) {
	case *route.QueryParameterMatcher_PresentMatch:
		return s.PresentMatch
	case *route.QueryParameterMatcher_StringMatch:
		return stringMatches(s.StringMatch, v)
	}
	return true
}

// parseQuery splits "a=1&b" into {a: "1", b: ""}, keeping the first of repeated names
// (Envoy's QueryParamsMulti::getFirstValue); values are not percent-decoded.
func parseQuery(path string) map[string]string {
	out := map[string]string{}
	i := strings.IndexByte(path, '?')
	if i < 0 {
		return out
	}
	q := path[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	for _, kv := range strings.Split(q, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if _, seen := out[k]; !seen {
			out[k] = v
		}
	}
	return out
}

var regexCache = map[string]*regexp.Regexp{}

// fullMatch: Envoy's safe_regex (RE2) must match the whole value. Go's regexp is RE2 syntax.
func fullMatch(re, v string) bool {
	r, ok := regexCache[re]
	if !ok {
		r = regexp.MustCompile(`^(?:` + re + `)$`)
		regexCache[re] = r
	}
	return r.MatchString(v)
}

// rewrittenPath applies prefix_rewrite (replaces the matched part: the prefix, or the whole
// path for exact and regex matches; the query string stays) or regex_rewrite (on the path
// without the query string, every match replaced, the query string appended again).
func rewrittenPath(a *route.RouteAction, req envoyRequest, matched string) (string, bool) {
	if a.PrefixRewrite != "" {
		return a.PrefixRewrite + req.path[len(matched):], true
	}
	if rr := a.RegexRewrite; rr != nil {
		path := req.pathOnly()
		rest := req.path[len(path):]
		re := regexp.MustCompile(rr.Pattern.Regex)
		return re.ReplaceAllString(path, envoySubstitution(rr.Substitution)) + rest, true
	}
	return req.path, false
}

var backref = regexp.MustCompile(`\\(\d)`)

// envoySubstitution turns RE2's \1 references into Go's ${1}.
func envoySubstitution(s string) string {
	return backref.ReplaceAllString(strings.ReplaceAll(s, "$", "$$"), "$${$1}")
}

// percent converts an Envoy FractionalPercent (default denominator HUNDRED) to percent.
func percent(f *typev3.FractionalPercent) float64 {
	if f == nil {
		return 100
	}
	switch f.Denominator {
	case typev3.FractionalPercent_TEN_THOUSAND:
		return float64(f.Numerator) / 100
	case typev3.FractionalPercent_MILLION:
		return float64(f.Numerator) / 10000
	}
	return float64(f.Numerator)
}

// abortAll returns the HTTP status of a fault abort that applies to every request (100%).
func abortAll(r *route.Route) (int, bool) {
	anyCfg, ok := r.TypedPerFilterConfig["envoy.filters.http.fault"]
	if !ok {
		return 0, false
	}
	f := &fault.HTTPFault{}
	if err := anyCfg.UnmarshalTo(f); err != nil || f.Abort == nil {
		return 0, false
	}
	status, isStatus := f.Abort.ErrorType.(*fault.FaultAbort_HttpStatus)
	// An abort without a percentage aborts nothing (Envoy's unset FractionalPercent is 0%).
	if !isStatus || f.Abort.Percentage == nil || percent(f.Abort.Percentage) < 100 {
		return 0, false
	}
	return int(status.HttpStatus), true
}

// cluster is a parsed "outbound|<port>|<subset>|<fqdn>".
type cluster struct {
	host   string
	subset string
	port   int
	name   string
}

func parseCluster(name string) cluster {
	parts := strings.Split(name, "|")
	if len(parts) != 4 {
		return cluster{name: name} // PassthroughCluster, BlackHoleCluster, ...
	}
	port, _ := strconv.Atoi(parts[1])
	return cluster{host: parts[3], subset: parts[2], port: port, name: name}
}

// redirectStatus maps RedirectAction.response_code to its HTTP status.
func redirectStatus(rd *route.RedirectAction) int {
	return map[route.RedirectAction_RedirectResponseCode]int{
		route.RedirectAction_MOVED_PERMANENTLY:  301,
		route.RedirectAction_FOUND:              302,
		route.RedirectAction_SEE_OTHER:          303,
		route.RedirectAction_TEMPORARY_REDIRECT: 307,
		route.RedirectAction_PERMANENT_REDIRECT: 308,
	}[rd.ResponseCode]
}
