package policy

import (
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every error Parse returns about the file's
// content (as opposed to a read error).
var ErrSyntax = errors.New("policy syntax error")

// ErrCompile is wrapped by every error Compile returns: a term that folds
// to nothing, two policies with one id, an automaton too large.
var ErrCompile = errors.New("policy compile error")

// ParseError locates a syntax error: file name, 1-based line, what is wrong.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *ParseError) Unwrap() error { return ErrSyntax }
