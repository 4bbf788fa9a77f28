package telegram

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

var filterCases = []struct {
	name, in, want string
}{
	{"control char", `"a\x1fb"`, `"a\u001fb"`},
	{"escaped backslash then x", `"a\\x41"`, `"a\\x41"`},
	{"escaped backslash then escape", `"a\\\x41"`, `"a\\\u0041"`},
	{"escaped quote keeps the string open", `"\"\x01"`, `"\"\u0001"`},
	{"after a string closes", `"a" "b\x02"`, `"a" "b\u0002"`},
	{"other escapes untouched", `"\n\t\u2028\/"`, `"\n\t\u2028\/"`},
	{"two in a row", `"\x0A\x1F"`, `"\u000A\u001F"`},
	{"escape at the very end", `"\x`, `"\u00`},
	{"byte-order mark dropped", "\xEF\xBB\xBF{\"a\":\"\\x01\"}", `{"a":"\u0001"}`},
	{"plain", "{\n \"a\": 1\n}\n", "{\n \"a\": 1\n}\n"},
}

// chunked returns its data n bytes per Read, so escapes fall across
// buffer boundaries at every position.
type chunked struct {
	b []byte
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := min(c.n, len(p), len(c.b))
	copy(p, c.b[:n])
	c.b = c.b[n:]
	return n, nil
}

func filterAll(t testing.TB, in []byte, chunk int) []byte {
	out, err := io.ReadAll(newXFilter(&chunked{b: in, n: chunk}))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestXFilter(t *testing.T) {
	for _, tc := range filterCases {
		t.Run(tc.name, func(t *testing.T) {
			for chunk := 1; chunk <= len(tc.in)+1; chunk++ {
				if got := string(filterAll(t, []byte(tc.in), chunk)); got != tc.want {
					t.Fatalf("chunks of %d: got %q, want %q", chunk, got, tc.want)
				}
			}
		})
	}
}

func TestXFilterSmallReads(t *testing.T) {
	// The caller's buffer may be smaller than what one read expands to.
	in := `"\x01\x02\x03"`
	f := newXFilter(bytes.NewReader([]byte(in)))
	var out []byte
	p := make([]byte, 1)
	for {
		n, err := f.Read(p)
		out = append(out, p[:n]...)
		if err == io.EOF {
			break
		}
	}
	if want := `"\u0001\u0002\u0003"`; string(out) != want {
		t.Fatalf("got %q, want %q", out, want)
	}
}

func TestXFilterDecodes(t *testing.T) {
	// Across a boundary at every offset, the decoded string is the one
	// Telegram meant.
	in := []byte(`{"text": "tab\x09unit\x1fdel\x7F and \\x41"}`)
	for chunk := 1; chunk < len(in); chunk++ {
		var v struct{ Text string }
		if err := json.NewDecoder(newXFilter(&chunked{b: in, n: chunk})).Decode(&v); err != nil {
			t.Fatal(err)
		}
		if want := "tab\tunit\x1fdel\x7f and \\x41"; v.Text != want {
			t.Fatalf("chunks of %d: %q, want %q", chunk, v.Text, want)
		}
	}
}

func TestLineAt(t *testing.T) {
	in := "a\nb\n\"\\x01\"\nc"
	// Output: a \n b \n " \ u 0 0 0 1 " \n c — newlines at 1, 3, 12.
	f := newXFilter(&chunked{b: []byte(in), n: 3})
	if _, err := io.ReadAll(f); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		off  int64
		line int
	}{{0, 1}, {1, 1}, {2, 2}, {3, 2}, {4, 3}, {12, 3}, {13, 4}, {20, 4}} {
		if got := f.lineAt(tc.off); got != tc.line {
			t.Errorf("lineAt(%d) = %d, want %d", tc.off, got, tc.line)
		}
	}
}

// refFilter is the obvious whole-input version of the filter.
func refFilter(in []byte) []byte {
	if bytes.HasPrefix(in, []byte("\xEF\xBB\xBF")) {
		in = in[3:]
	}
	var out []byte
	esc := false
	for _, c := range in {
		switch {
		case esc:
			esc = false
			if c == 'x' {
				out = append(out, "u00"...)
				continue
			}
		case c == '\\':
			esc = true
		}
		out = append(out, c)
	}
	return out
}

func FuzzXFilter(f *testing.F) {
	for _, tc := range filterCases {
		f.Add([]byte(tc.in), uint8(1))
	}
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		want := refFilter(in)
		if got := filterAll(t, in, int(chunk)+1); !bytes.Equal(got, want) {
			t.Fatalf("chunks of %d: got %q, want %q", int(chunk)+1, got, want)
		}
	})
}
