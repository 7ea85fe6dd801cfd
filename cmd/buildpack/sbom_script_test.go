package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gobuildpack/heroku-buildpack-go/internal/sbom/sbomtest"
)

// sbom FILE: check that FILE is a CycloneDX document valid against the
// official JSON schema, and print its components one a line: purl (or
// bom-ref when it has none), type and name.
func cmdSBOM(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sbom FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	if err := sbomtest.Validate(data); err != nil {
		ts.Fatalf("%s does not match the CycloneDX schema: %v", args[0], err)
	}
	var doc struct {
		Components []struct {
			Type   string `json:"type"`
			Name   string `json:"name"`
			BOMRef string `json:"bom-ref"`
			PURL   string `json:"purl"`
		} `json:"components"`
	}
	ts.Check(json.Unmarshal(data, &doc))
	for _, c := range doc.Components {
		id := c.PURL
		if id == "" {
			id = c.BOMRef
		}
		fmt.Fprintf(ts.Stdout(), "%s %s %s\n", id, c.Type, c.Name)
	}
}
