package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testEnv(vars map[string]string) (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}, &out, &errb
}

func TestHelpEverywhere(t *testing.T) {
	for _, c := range commands {
		e, out, _ := testEnv(nil)
		args := append(strings.Fields(c.name), "--help")
		if code := run(e, args); code != exitOK {
			t.Errorf("%s --help: exit %d", c.name, code)
		}
		if !strings.HasPrefix(out.String(), "usage: sealctl "+c.name) {
			t.Errorf("%s --help printed %q", c.name, out.String())
		}
	}
	e, out, _ := testEnv(nil)
	if code := run(e, []string{"--help"}); code != exitOK || !strings.Contains(out.String(), "Exit codes") {
		t.Fatalf("sealctl --help: exit %d: %s", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"unlock", "v.vault"},
		{"request", "v.vault", "--as", "k.asc", "--scope", "abc", "--reason", "a reason long enough to pass"},
		{"identity", "new", "--name", "A", "--email", "a@x", "--out", "k.asc", "--passphrase", "hunter22"},
	} {
		e, out, errb := testEnv(nil)
		if code := run(e, args); code != exitUsage {
			t.Errorf("%q: exit %d, want %d\n%s", args, code, exitUsage, errb)
		}
		if strings.Contains(out.String()+errb.String(), "hunter22") {
			t.Errorf("%q: a passphrase given on the command line was printed", args)
		}
	}
}

func TestIdentityNew(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "k.asc")
	e, out, errb := testEnv(map[string]string{"SEALROOM_PASSPHRASE": "correct horse battery"})
	args := []string{"identity", "new", "--name", "Ann Lee", "--email", "ann@example.test", "--out", key}
	if code := run(e, args); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if strings.Contains(out.String()+errb.String(), "correct horse") {
		t.Fatal("the passphrase was printed")
	}
	fi, err := os.Stat(key)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, fi.Mode())
	}
	b, _ := os.ReadFile(key)
	if !bytes.Contains(b, []byte("BEGIN PGP PRIVATE KEY BLOCK")) || bytes.Contains(b, []byte("correct horse")) {
		t.Fatal("key file is not an armored, protected secret key")
	}
	// Never overwrites.
	if code := run(e, args); code != exitFail {
		t.Fatalf("second identity new over the same file: exit %d", code)
	}
	// The public key prints, and has no secret part.
	e2, out2, _ := testEnv(nil)
	if code := run(e2, []string{"identity", "public", key}); code != exitOK || !strings.Contains(out2.String(), "BEGIN PGP PUBLIC KEY BLOCK") {
		t.Fatalf("identity public: exit %d: %s", code, out2)
	}
	// No passphrase source: a clear error, not a hang.
	e3, _, errb3 := testEnv(nil)
	if code := run(e3, []string{"identity", "new", "--name", "B", "--email", "b@x.test", "--out", filepath.Join(dir, "b.asc")}); code != exitFail ||
		!strings.Contains(errb3.String(), "no passphrase") {
		t.Fatalf("without a passphrase: exit %d: %s", code, errb3)
	}
}
