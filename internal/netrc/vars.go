package netrc

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// GitCredPrefix starts the names of the config vars that each give the
// credentials for one host: GO_GIT_CRED__<PROTOCOL>__<HOST>, with every
// dot of HOST written as __ (GO_GIT_CRED__HTTPS__GITHUB__COM).
const GitCredPrefix = "GO_GIT_CRED__"

// Credentials are what the config vars give for private hosts.
type Credentials struct {
	// Lines are GO_NETRC's entries, then one per GO_GIT_CRED__ var in
	// name order: where two name the same host, the first is used.
	Lines []Line
	// Sources names the config vars the lines come from.
	Sources []string
	// Warnings say what was ignored and why, never showing a value.
	Warnings []string
}

// FromVars reads the credentials in the GO_NETRC config var (goNetrc, ""
// when unset) and in the GO_GIT_CRED__ config vars among vars (the config
// vars by name). A GO_NETRC without any usable entry is an error; a
// GO_GIT_CRED__ var that cannot be used (not HTTPS, a malformed name, an
// empty value) is ignored with a warning. Nothing returned holds a value.
func FromVars(goNetrc string, vars map[string]string) (*Credentials, error) {
	c := &Credentials{}
	if data := goNetrc; data != "" {
		lines, notes, err := Parse(data)
		for _, n := range notes {
			c.Warnings = append(c.Warnings, "GO_NETRC config var, "+n)
		}
		if err != nil {
			return c, fmt.Errorf("GO_NETRC config var: %w", err)
		}
		c.Lines = append(c.Lines, lines...)
		c.Sources = append(c.Sources, "GO_NETRC")
	}
	var names []string
	for name := range vars {
		if strings.HasPrefix(name, GitCredPrefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		l, err := gitCred(name, vars[name])
		if err != nil {
			c.Warnings = append(c.Warnings, fmt.Sprintf("the %s config var is ignored: %v", name, err))
			continue
		}
		c.Lines = append(c.Lines, l)
		c.Sources = append(c.Sources, name)
	}
	return c, nil
}

// hostLabel is one label of a host name as a config var name spells it.
var hostLabel = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)

// gitCred turns one GO_GIT_CRED__ config var into a credential for its
// host on any port. The value is USER:PASSWORD (split at the first colon)
// or a token alone, which is then both the login and the password: GitHub
// and GitLab accept a token as the password whatever the login.
func gitCred(name, value string) (Line, error) {
	protocol, host, ok := strings.Cut(strings.TrimPrefix(name, GitCredPrefix), "__")
	if !ok || host == "" {
		return Line{}, fmt.Errorf("want %s<PROTOCOL>__<HOST>, with each dot of HOST written as __, e.g. %sHTTPS__GITHUB__COM", GitCredPrefix, GitCredPrefix)
	}
	switch strings.ToUpper(protocol) {
	case "HTTPS":
	case "HTTP":
		return Line{}, fmt.Errorf("credentials are sent over HTTPS only, never in clear text: name the var %sHTTPS__%s", GitCredPrefix, host)
	default:
		return Line{}, fmt.Errorf("protocol %s is not HTTPS, the only one credentials are sent over", protocol)
	}
	labels := strings.Split(host, "__")
	for _, l := range labels {
		if !hostLabel.MatchString(l) {
			return Line{}, fmt.Errorf("%q is not a host name written with __ for each dot (e.g. GIT__EXAMPLE__COM)", host)
		}
	}
	if value == "" {
		return Line{}, fmt.Errorf("it is empty: set it to USER:PASSWORD or to a token")
	}
	if strings.ContainsAny(value, " \t\r\n") {
		return Line{}, fmt.Errorf("its value holds white space, which a .netrc file cannot hold")
	}
	login, password, found := strings.Cut(value, ":")
	if !found {
		password = login
	}
	if login == "" || password == "" {
		return Line{}, fmt.Errorf("its value must be USER:PASSWORD with neither part empty, or a token alone")
	}
	return Line{Machine: strings.ToLower(strings.Join(labels, ".")), Login: login, Password: password, AnyPort: true}, nil
}
