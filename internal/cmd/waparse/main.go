// Command waparse parses a WhatsApp export with capture/whatsapp and
// prints how many messages it read and how long parsing took: the Go side
// of `make bench-peers`.
package main

import (
	"fmt"
	"os"
	"time"

	"sealroom/capture"
	"sealroom/capture/whatsapp"
)

// counter counts messages and keeps none: a capture.Copier, like the
// vault's Ingester and sealctl parse, so the importer refills one message.
type counter struct{ n int }

func (c *counter) Conversation(*capture.Conversation) error { return nil }
func (c *counter) Message(*capture.Message) error           { c.n++; return nil }
func (c *counter) CopiesMessages()                          {}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: waparse CHAT.txt")
		os.Exit(2)
	}
	var c counter
	start := time.Now()
	st, err := whatsapp.Read(os.Args[1], &c, capture.Options{Zone: time.UTC, DayOrder: capture.MonthsFirst})
	if err != nil {
		fmt.Fprintln(os.Stderr, "waparse:", err)
		os.Exit(1)
	}
	fmt.Printf("%d messages (%d unreadable) in %s\n", c.n, st.Bad, time.Since(start).Round(time.Millisecond))
}
