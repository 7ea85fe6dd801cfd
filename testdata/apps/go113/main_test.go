package main

import (
	"io/ioutil"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

func TestGreeting(t *testing.T) {
	want := "go113 built with " + runtime.Version() + " id 77988f72-1319-522e-8672-87155188e751"
	if got := Greeting(); got != want {
		t.Errorf("Greeting() = %q, want %q", got, want)
	}
}

func TestServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(handle))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := ioutil.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(body), "go113 built with go") {
		t.Errorf("GET / = %q", body)
	}
}
