package app

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// Fyne reads the locale once; "C" (CI's usual) is not a language tag
	// and makes it log an error per test. The tests expect English.
	os.Setenv("LANG", "en_US.UTF-8")
	// Screens show local times; the golden masters are in UTC.
	time.Local = time.UTC
	if err := LoadTranslations(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
