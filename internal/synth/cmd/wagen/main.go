// Command wagen writes a synthetic WhatsApp Android export (US locale,
// "1/1/19, 9:01 AM - Hugo Chen: text") like the one the performance budget
// measures peers on: 12 participants, 5% multi-line messages, 2.9%
// "<Media omitted>", 0.1% join notices, and the encryption notice first.
//
//	go run ./internal/synth/cmd/wagen -n 1000000 > chat.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

func main() {
	n := flag.Int("n", 1000000, "messages")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 2))
	names := []string{"Hugo Chen", "Ana Souza", "Priya Shah", "Tom Hale", "Liu Yang", "Marc Dubois",
		"Emma Weiss", "Dev Patel", "Kavya Rao", "Jonas Berg", "Ines Costa", "Farid Haddad"}
	words := []string{"the", "numbers", "call", "me", "later", "client", "order", "price", "ok", "meeting",
		"tomorrow", "send", "report", "thanks", "deal", "quarter", "desk", "lunch", "now", "done"}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	t := time.Date(2019, 1, 1, 9, 0, 0, 0, time.UTC)
	stamp := func() string {
		h, ampm := t.Hour()%12, "AM"
		if h == 0 {
			h = 12
		}
		if t.Hour() >= 12 {
			ampm = "PM"
		}
		return fmt.Sprintf("%d/%d/%02d, %d:%02d %s - ", t.Month(), t.Day(), t.Year()%100, h, t.Minute(), ampm)
	}
	fmt.Fprintf(w, "%sMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n", stamp())
	for i := 1; i < *n; i++ {
		t = t.Add(time.Duration(1+r.IntN(90)) * time.Second)
		switch p := r.IntN(1000); {
		case p < 1:
			fmt.Fprintf(w, "%s%s joined using this group's invite link\n", stamp(), names[r.IntN(len(names))])
		case p < 30:
			fmt.Fprintf(w, "%s%s: <Media omitted>\n", stamp(), names[r.IntN(len(names))])
		default:
			fmt.Fprintf(w, "%s%s:", stamp(), names[r.IntN(len(names))])
			for range 3 + r.IntN(9) {
				fmt.Fprintf(w, " %s", words[r.IntN(len(words))])
			}
			w.WriteByte('\n')
			if p < 80 {
				for range 1 + r.IntN(3) {
					fmt.Fprintf(w, "%s %s\n", words[r.IntN(len(words))], words[r.IntN(len(words))])
				}
			}
		}
	}
}
