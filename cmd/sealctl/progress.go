package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress returns a function that shows "label: done of total" on the
// terminal, at most four times a second, or nil when stderr is not a
// terminal (scripts get the summary line only). Safe for concurrent use.
func (e *env) progress(label string) func(done, total int) {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var mu sync.Mutex
	var last time.Time
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case total > 0 && done >= total:
			fmt.Fprintf(f, "\r%s: %d of %d\n", label, done, total)
		case time.Since(last) >= 250*time.Millisecond:
			last = time.Now()
			if total > 0 {
				fmt.Fprintf(f, "\r%s: %d of %d (%d%%)", label, done, total, done*100/total)
			} else {
				fmt.Fprintf(f, "\r%s: %d", label, done)
			}
		}
	}
}
