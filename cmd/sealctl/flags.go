package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// usageError is a mistake in the command line.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// errHelp is returned after printing a command's help.
var errHelp = errors.New("help shown")

// flags builds a command's flag set with help that names the command.
func (e *env) flags(c string) *flag.FlagSet {
	fs := flag.NewFlagSet(c, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses flags that may come before, between or after positional
// arguments (sealctl vault init VAULT --admin A.asc), and checks the count
// of positional arguments: exactly want, or at least want when more is set.
func (e *env) parse(fs *flag.FlagSet, args []string, want int, more bool) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				e.help(fs)
				return nil, errHelp
			}
			return nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) < want || (!more && len(pos) > want) {
		return nil, usagef("%d arguments given, %d expected", len(pos), want)
	}
	return pos, nil
}

func (e *env) help(fs *flag.FlagSet) {
	c, _ := lookup(splitWords(fs.Name()))
	if c != nil {
		fmt.Fprintf(e.stdout, "usage: sealctl %s %s\n\n%s.\n", c.name, c.args, strings.ToUpper(c.short[:1])+c.short[1:])
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(e.stdout, "\nFlags:")
	fs.SetOutput(e.stdout)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func splitWords(s string) []string { return strings.Fields(s) }

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
