package capture

import (
	"time"
)

// Importers — one package per export format under capture/ — share this
// shape:
//
//	func Sniff(path string) (ok bool, why string)
//	func Read(path string, sink Sink, opts Options) (Stats, error)
//
// Sniff says whether path (a file, folder or zip as the format allows)
// looks like the format, and why or why not, in words a user can act on.
// Read streams the export into sink: memory stays bounded whatever the
// export's size. An unreadable record is reported through Stats.Skip and
// skipped (or, with Options.Strict, stops the import); an error from the
// sink or from reading the input stops Read and is returned.

// DayOrder says how to read an all-numeric date such as 03/04/25.
type DayOrder int

const (
	DayOrderAuto DayOrder = iota // infer it from the whole file
	DaysFirst                    // 03/04/25 is 3 April
	MonthsFirst                  // 03/04/25 is 4 March
)

// Options tune every importer; the zero value is usable.
type Options struct {
	// Zone is the zone of timestamps the export writes without one (a
	// phone's wall clock): nil means time.Local. It is recorded with each
	// message as Message.Zone.
	Zone *time.Location

	// DayOrder for formats whose dates are ambiguous (WhatsApp).
	DayOrder DayOrder

	// Strict stops at the first unreadable record instead of reporting it
	// and going on.
	Strict bool

	// Custodian names whose export this is (a person, a phone). Formats
	// that name a chat only by its title (WhatsApp, Signal, WeChat files)
	// put it in the conversation id, so that two people's chats titled
	// "Mum" stay apart; the same export imported again with the same
	// custodian still adds nothing.
	Custodian string
}

// ConversationID returns the id of a conversation an export names only by
// key: "channel:key", or "channel:custodian/key" with Options.Custodian.
func (o *Options) ConversationID(channel, key string) string {
	if o.Custodian != "" {
		return channel + ":" + o.Custodian + "/" + key
	}
	return channel + ":" + key
}

// ZoneOrLocal returns o.Zone, or time.Local when it is nil.
func (o *Options) ZoneOrLocal() *time.Location {
	if o.Zone != nil {
		return o.Zone
	}
	return time.Local
}

// MaxErrors bounds the LineErrors Stats keeps; Stats.Bad counts them all.
const MaxErrors = 1000

// Stats counts what an importer read.
type Stats struct {
	Files         int          // input files read (a zip's members count)
	Conversations int          // conversation headers sent to the sink
	Messages      int          // messages sent to the sink
	Bad           int          // unreadable records, all counted
	Errors        []*LineError // the first MaxErrors of them
}

// Skip records an unreadable record at file:line. With opts.Strict it
// returns the error, which the importer returns to stop; otherwise nil.
func (st *Stats) Skip(opts Options, file string, line int, err error) error {
	le := &LineError{File: file, Line: line, Err: err}
	st.Bad++
	if len(st.Errors) < MaxErrors {
		st.Errors = append(st.Errors, le)
	}
	if opts.Strict {
		return le
	}
	return nil
}
