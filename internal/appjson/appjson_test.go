package appjson

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestMissing(t *testing.T) {
	tests := []struct {
		name string
		json string
		set  []string
		want []string
	}{
		{
			name: "no env",
			json: `{"name": "app"}`,
		},
		{
			name: "required true, not set",
			json: `{"env": {"DATABASE_URL": {"description": "Postgres", "required": true}}}`,
			want: []string{"DATABASE_URL"},
		},
		{
			name: "required true, set",
			json: `{"env": {"DATABASE_URL": {"required": true}}}`,
			set:  []string{"DATABASE_URL"},
		},
		{
			name: "required defaults to true",
			json: `{"env": {"API_KEY": {"description": "key for the API"}}}`,
			want: []string{"API_KEY"},
		},
		{
			name: "required false",
			json: `{"env": {"SENTRY_DSN": {"required": false}}}`,
		},
		{
			name: "a string is a default value",
			json: `{"env": {"WEB_CONCURRENCY": "5", "EMPTY": ""}}`,
			want: []string{"EMPTY"},
		},
		{
			name: "a default value or a generator fills it in",
			json: `{"env": {"LOG_LEVEL": {"value": "info", "required": true}, "SECRET_KEY": {"generator": "secret"}, "BLANK": {"value": ""}}}`,
			want: []string{"BLANK"},
		},
		{
			name: "sorted, only the missing ones",
			json: `{"env": {"Z_TOKEN": {}, "A_URL": {"required": true}, "M_SET": {}}}`,
			set:  []string{"M_SET"},
			want: []string{"A_URL", "Z_TOKEN"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.json))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			set := map[string]bool{}
			for _, n := range tt.set {
				set[n] = true
			}
			got := f.Missing(func(name string) bool { return set[name] })
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Missing = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"syntax error names the line", "{\n  \"env\": {\n    \"A\": \"1\",\n  }\n}\n", "app.json:4: "},
		{"env is not an object", `{"env": ["DATABASE_URL"]}`, "app.json:1: env must be an object of config vars, not a JSON array"},
		{"entry is neither string nor object", `{"env": {"PORT": 5000}}`, "app.json: env PORT: want a string or an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.json))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to start with %q", err, tt.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	f, err := Read(fstest.MapFS{})
	if f != nil || err != nil {
		t.Errorf("Read without app.json = %v, %v; want nil, nil", f, err)
	}
	f, err = Read(fstest.MapFS{"app.json": {Data: []byte(`{"env": {"A": {"description": "d"}}}`)}})
	if err != nil || len(f.Env) != 1 || f.Env[0] != (Var{Name: "A", Description: "d", Required: true}) {
		t.Errorf("Read = %+v, %v", f, err)
	}
}
