// Package sbomtest checks bills of materials against the official
// CycloneDX JSON schema, for tests. The schema files are in
// internal/sbom/testdata: bom-1.5.schema.json and the two schemas it
// refers to, spdx.schema.json and jsf-0.82.schema.json, as published by
// the CycloneDX project (Apache License 2.0).
package sbomtest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaURL is the $id of the CycloneDX 1.5 JSON schema.
const SchemaURL = "http://cyclonedx.org/schema/bom-1.5.schema.json"

var (
	once     sync.Once
	compiled *jsonschema.Schema
	errLoad  error
)

// schemaDir is internal/sbom/testdata in the source tree.
func schemaDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// load compiles the schema once, resolving its references to the files
// beside it; nothing is fetched from the network.
func load() (*jsonschema.Schema, error) {
	once.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		for _, name := range []string{"bom-1.5.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"} {
			data, err := os.ReadFile(filepath.Join(schemaDir(), name))
			if err != nil {
				errLoad = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				errLoad = fmt.Errorf("%s: %w", name, err)
				return
			}
			if err := c.AddResource("http://cyclonedx.org/schema/"+name, doc); err != nil {
				errLoad = err
				return
			}
		}
		compiled, errLoad = c.Compile(SchemaURL)
	})
	return compiled, errLoad
}

// Validate reports how doc, a CycloneDX JSON document, breaks the
// CycloneDX 1.5 schema; nil when it does not.
func Validate(doc []byte) error {
	s, err := load()
	if err != nil {
		return fmt.Errorf("load the CycloneDX schema: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := s.Validate(v); err != nil {
		// The detailed form names each failing keyword and location.
		return fmt.Errorf("%#v", err)
	}
	return nil
}
