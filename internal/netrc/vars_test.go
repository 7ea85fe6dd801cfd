package netrc

import (
	"reflect"
	"strings"
	"testing"
)

func TestFromVars(t *testing.T) {
	const secret = "tok-s3cret-91"
	vars := map[string]string{
		"GO_NETRC":                                 "machine git.example.com login n password np\ndefault login d password " + secret,
		"GO_GIT_CRED__HTTPS__GITHUB__COM":          secret,
		"GO_GIT_CRED__HTTPS__GITLAB__EXAMPLE__COM": "deploy:" + secret + ":with:colons",
		"GO_GIT_CRED__https__127__0__0__1":         "u:p",
		"GO_GIT_CRED__HTTPS__GIT__EXAMPLE__COM":    "other:one",
		"GO_GIT_CRED__HTTPS__MY-GIT__EXAMPLE__ORG": "m:" + secret,
		"GO_GIT_CRED__HTTP__INSECURE__EXAMPLE":     secret,
		"GO_GIT_CRED__SSH__GITHUB__COM":            secret,
		"GO_GIT_CRED__HTTPS":                       secret,
		"GO_GIT_CRED__HTTPS__BAD_HOST":             secret,
		"GO_GIT_CRED__HTTPS__TRAILING__":           secret,
		"GO_GIT_CRED__HTTPS__EMPTY__EXAMPLE":       "",
		"GO_GIT_CRED__HTTPS__USER__EXAMPLE":        "user:",
		"GO_GIT_CRED__HTTPS__SPACE__EXAMPLE":       "a " + secret,
		"GOPROXY":                                  "https://proxy.golang.org",
	}
	c, err := FromVars(vars["GO_NETRC"], vars)
	if err != nil {
		t.Fatalf("FromVars: %v", err)
	}
	want := []Line{
		{Machine: "git.example.com", Login: "n", Password: "np"},
		{Machine: "github.com", Login: secret, Password: secret, AnyPort: true},
		{Machine: "gitlab.example.com", Login: "deploy", Password: secret + ":with:colons", AnyPort: true},
		{Machine: "git.example.com", Login: "other", Password: "one", AnyPort: true},
		{Machine: "my-git.example.org", Login: "m", Password: secret, AnyPort: true},
		{Machine: "127.0.0.1", Login: "u", Password: "p", AnyPort: true},
	}
	if !reflect.DeepEqual(c.Lines, want) {
		t.Errorf("Lines =\n%+v\nwant\n%+v", c.Lines, want)
	}
	wantSources := []string{"GO_NETRC", "GO_GIT_CRED__HTTPS__GITHUB__COM",
		"GO_GIT_CRED__HTTPS__GITLAB__EXAMPLE__COM", "GO_GIT_CRED__HTTPS__GIT__EXAMPLE__COM", "GO_GIT_CRED__HTTPS__MY-GIT__EXAMPLE__ORG", "GO_GIT_CRED__https__127__0__0__1"}
	if !reflect.DeepEqual(c.Sources, wantSources) {
		t.Errorf("Sources = %q, want %q", c.Sources, wantSources)
	}
	wantWarnings := []string{
		"GO_NETRC config var, line 2: the default entry is ignored",
		"the GO_GIT_CRED__HTTPS config var is ignored: want GO_GIT_CRED__<PROTOCOL>__<HOST>",
		"the GO_GIT_CRED__HTTPS__BAD_HOST config var is ignored: \"BAD_HOST\" is not a host name",
		"the GO_GIT_CRED__HTTPS__EMPTY__EXAMPLE config var is ignored: it is empty",
		"the GO_GIT_CRED__HTTPS__SPACE__EXAMPLE config var is ignored: its value holds white space",
		"the GO_GIT_CRED__HTTPS__TRAILING__ config var is ignored: \"TRAILING__\" is not a host name",
		"the GO_GIT_CRED__HTTPS__USER__EXAMPLE config var is ignored: its value must be USER:PASSWORD",
		"the GO_GIT_CRED__HTTP__INSECURE__EXAMPLE config var is ignored: credentials are sent over HTTPS only, never in clear text: name the var GO_GIT_CRED__HTTPS__INSECURE__EXAMPLE",
		"the GO_GIT_CRED__SSH__GITHUB__COM config var is ignored: protocol SSH is not HTTPS",
	}
	if len(c.Warnings) != len(wantWarnings) {
		t.Fatalf("Warnings =\n%s\nwant %d", strings.Join(c.Warnings, "\n"), len(wantWarnings))
	}
	for i, w := range c.Warnings {
		if !strings.HasPrefix(w, wantWarnings[i]) {
			t.Errorf("warning %d = %q, want it to start %q", i, w, wantWarnings[i])
		}
		if strings.Contains(w, secret) {
			t.Errorf("warning %q holds a secret", w)
		}
	}

	// The .netrc for the go command and git: GO_NETRC's entry for
	// git.example.com comes first, and the var naming a host on any port
	// also gets an entry for a proxy on a port.
	file := Format(c.Lines, []string{"https://127.0.0.1:8443"})
	if !strings.HasPrefix(file, "machine git.example.com login n password np\n") || !strings.HasSuffix(file, "machine 127.0.0.1:8443 login u password p\n") {
		t.Errorf("Format =\n%s", file)
	}
	if login, _, _ := Lookup(c.Lines, "git.example.com"); login != "n" {
		t.Errorf("Lookup(git.example.com) login = %q, want GO_NETRC's", login)
	}
	if login, _, _ := Lookup(c.Lines, "git.example.com:8443"); login != "other" {
		t.Errorf("Lookup(git.example.com:8443) login = %q, want the GO_GIT_CRED__ var's (on any port)", login)
	}
}

func TestFromVarsNone(t *testing.T) {
	c, err := FromVars("", map[string]string{"GOPROXY": "https://x", "GO_NETRC": ""})
	if err != nil || len(c.Lines) != 0 || len(c.Sources) != 0 || len(c.Warnings) != 0 {
		t.Errorf("FromVars without credentials = %+v, %v", c, err)
	}
}

func TestFromVarsBadNetrc(t *testing.T) {
	c, err := FromVars("default login d password s3cret", map[string]string{"GO_GIT_CRED__HTTPS__A__B": "t"})
	if err == nil || !strings.HasPrefix(err.Error(), "GO_NETRC config var: parse netrc: no usable machine entry") {
		t.Fatalf("FromVars = %v, want an error naming GO_NETRC", err)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "default entry is ignored") {
		t.Errorf("Warnings = %q, want the default entry's", c.Warnings)
	}
	if strings.Contains(err.Error()+strings.Join(c.Warnings, ""), "s3cret") {
		t.Errorf("error or warnings hold the secret")
	}
}
