// Package appjson reads the config vars an app declares in app.json and
// tells which required ones are not set.
//
// In app.json's env object, each config var is either a string, which is
// its default value, or an object with "description", "value" (a default
// value), "generator" ("secret") and "required", which defaults to true.
// Heroku fills in defaults and generated values only when it creates an
// app from app.json (Heroku Button, review apps, Heroku CI); a required
// var without either must be set by hand, and that is what Missing
// reports.
package appjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// Name is the file name, in the app's root.
const Name = "app.json"

// MaxSize is the largest app.json Read reads, in bytes.
const MaxSize = 1 << 20

// Var is a config var declared in app.json.
type Var struct {
	Name        string
	Description string
	Required    bool // "required", true unless set to false
	HasValue    bool // a non-empty default value
	Generator   string
}

// File is the part of app.json this package reads.
type File struct {
	Env []Var // sorted by name
}

// Parse reads app.json content. Errors name the line of a syntax error.
func Parse(data []byte) (*File, error) {
	var raw struct {
		Env map[string]json.RawMessage `json:"env"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s:%d: %s", Name, lineOf(data, se.Offset), output.Excerpt(err.Error()))
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s:%d: %s must be an object of config vars, not a JSON %s", Name, lineOf(data, te.Offset), output.Excerpt(te.Field), te.Value)
		}
		return nil, fmt.Errorf("%s: %s", Name, output.Excerpt(err.Error()))
	}
	f := &File{}
	for name, msg := range raw.Env {
		v := Var{Name: name, Required: true}
		var s string
		if err := json.Unmarshal(msg, &s); err == nil {
			v.HasValue = s != ""
			f.Env = append(f.Env, v)
			continue
		}
		var obj struct {
			Description string `json:"description"`
			Value       any    `json:"value"`
			Required    *bool  `json:"required"`
			Generator   string `json:"generator"`
		}
		if err := json.Unmarshal(msg, &obj); err != nil {
			return nil, fmt.Errorf("%s: env %s: want a string or an object with description, value, required and generator", Name, output.Excerpt(name))
		}
		v.Description = obj.Description
		v.HasValue = obj.Value != nil && obj.Value != ""
		v.Generator = obj.Generator
		if obj.Required != nil {
			v.Required = *obj.Required
		}
		f.Env = append(f.Env, v)
	}
	sort.Slice(f.Env, func(i, j int) bool { return f.Env[i].Name < f.Env[j].Name })
	return f, nil
}

// Missing returns the names of the required config vars that have no
// default value or generator in app.json and are not set, sorted.
func (f *File) Missing(isSet func(name string) bool) []string {
	var names []string
	for _, v := range f.Env {
		if v.Required && !v.HasValue && v.Generator == "" && !isSet(v.Name) {
			names = append(names, v.Name)
		}
	}
	return names
}

// Read parses app.json in the root of fsys. It returns nil and no error
// when there is none, and an error for one larger than MaxSize.
func Read(fsys fs.FS) (*File, error) {
	f, err := fsys.Open(Name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Name, err)
	}
	defer f.Close()
	data, err := files.ReadBounded(f, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Name, err)
	}
	return Parse(data)
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
