package app

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// Fyne reads the locale once; "C" (CI's usual) is not a language tag
	// and makes it log an error per test. The tests expect English.
	os.Setenv("LANG", "en_US.UTF-8")
	os.Exit(m.Run())
}
