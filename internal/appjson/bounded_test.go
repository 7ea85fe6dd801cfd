package appjson

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

func TestParseErrorsBounded(t *testing.T) {
	long := strings.Repeat("A", MaxSize-100)
	for _, data := range []string{
		`{"env": {"` + long + `": 5000}}`,
		`{"env": {"A\u001b[2J": 5000}}`,
		`{"env": 5, "` + long + `": 1}`,
		`{"env": {"A": "1"}, "` + long,
	} {
		_, err := Parse([]byte(data))
		if err == nil {
			t.Errorf("Parse(%.40q…) = no error", data)
			continue
		}
		if n := utf8.RuneCountInString(err.Error()); n > 500 || strings.ContainsAny(err.Error(), "\x1b\r\n") {
			t.Errorf("Parse(%.40q…) error of %d characters: %.300q", data, n, err)
		}
	}
}

func TestReadBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"env": {`)
	for i := range 200000 {
		fmt.Fprintf(&b, `"VAR_%d": {}, `, i)
	}
	b.WriteString(`"LAST": {}}}`)
	_, err := Read(fstest.MapFS{"app.json": {Data: []byte(b.String())}})
	want := fmt.Sprintf("read app.json: file is %d bytes, larger than the buildpack reads (%d)", b.Len(), MaxSize)
	if err == nil || err.Error() != want {
		t.Errorf("Read of a %d-byte app.json = %v, want %q", b.Len(), err, want)
	}
}
