package app

import (
	"fmt"
	"time"
)

// tracef writes one timing line to Options.Trace (--trace), for the
// workbench benchmark (scripts/gui-bench.sh) and for people chasing a slow
// screen. It never writes vault content: counts and durations only.
func (wb *Workbench) tracef(format string, args ...any) {
	if wb.opts.Trace == nil {
		return
	}
	fmt.Fprintf(wb.opts.Trace, "trace: "+format+"\n", args...)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
