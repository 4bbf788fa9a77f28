// Package slack reads a Slack workspace export, as the folder Slack's
// export makes or the .zip it comes in:
//
//	users.json                  the workspace's members (org_users.json on Enterprise Grid)
//	channels.json               public channels   → folder <name>/
//	groups.json                 private channels  → folder <name>/
//	dms.json                    direct messages   → folder <id>/
//	mpims.json                  group DMs         → folder <name>/
//	<folder>/2025-01-10.json    one JSON array of messages per day
//
// Each conversation becomes "slack:<channel id>"; a message's id is its
// "ts", which Slack keeps unique within a channel, so importing the same
// export twice adds nothing. Day files are read in date order and decoded
// one array element at a time: memory holds the member names and one
// message, whatever the export's size. A message that cannot be used is
// reported with its file and its 0-based index in the day's array (as
// LineError.Line) and skipped; a day file that is not a JSON array is
// reported at the index where reading stopped, and the rest of the export
// is still read.
package slack

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"sealroom/capture"
)

// The files naming the workspace's members.
const (
	usersFile    = "users.json"
	orgUsersFile = "org_users.json" // Enterprise Grid's name for users.json
)

// list is one metadata file naming conversations of one kind.
type list struct {
	file   string
	direct bool // DMs and group DMs: titled by their members, not "#name"
	byID   bool // the conversation's folder is named by its id (DMs)
}

// lists in the order Read imports their conversations.
var lists = []list{
	{file: "channels.json"},
	{file: "groups.json"},
	{file: "mpims.json", direct: true},
	{file: "dms.json", direct: true, byID: true},
}

// Sniff says whether path is a Slack export: a folder or .zip holding
// users.json, a list of conversations and at least one conversation folder
// of day files.
func Sniff(path string) (bool, string) {
	ex, err := open(path)
	if err != nil {
		return false, err.Error()
	}
	defer ex.close()
	if ex.usersFile() == "" {
		return false, fmt.Sprintf("%s holds no users.json: a Slack export has users.json, channels.json and a folder per channel", ex.name)
	}
	var found []string
	for _, l := range lists {
		if exists(ex.fsys, l.file) {
			found = append(found, l.file)
		}
	}
	if len(found) == 0 {
		return false, fmt.Sprintf("%s holds users.json but no channels.json, groups.json, dms.json or mpims.json", ex.name)
	}
	dirs, err := fs.ReadDir(ex.fsys, ".")
	if err != nil {
		return false, fmt.Sprintf("cannot list %s: %v", ex.name, err)
	}
	for _, d := range dirs {
		if d.IsDir() {
			if days, _ := dayFiles(ex.fsys, d.Name()); len(days) > 0 {
				return true, fmt.Sprintf("%s is a Slack export: users.json, %s and conversation folders of day files such as %s/%s",
					ex.name, strings.Join(found, ", "), d.Name(), days[0])
			}
		}
	}
	return false, fmt.Sprintf("%s has Slack's users.json and %s but no conversation folder of day files (YYYY-MM-DD.json): the export holds no messages",
		ex.name, strings.Join(found, ", "))
}

// Read imports the export at path (a folder or a .zip). Conversations come
// in the order channels, private channels, group DMs, DMs, then folders no
// list names; each one's header before its messages. When messages come
// from people the conversation's member list lacks (members who left, bots),
// the header is sent again after the last message with them added; Stats
// counts the conversation once.
func Read(path string, sink capture.Sink, opts capture.Options) (capture.Stats, error) {
	var st capture.Stats
	ex, err := open(path)
	if err != nil {
		return st, err
	}
	defer ex.close()
	if ex.usersFile() == "" && !exists(ex.fsys, lists[0].file) {
		return st, fmt.Errorf("%s is not a Slack export: it holds neither users.json nor channels.json", ex.name)
	}
	r := &reader{ex: ex, sink: sink, opts: opts, st: &st,
		names: map[string]string{}, chans: map[string]string{}, done: map[string]bool{}}
	if err := r.run(); err != nil {
		return st, err
	}
	return st, nil
}

// export is an opened export: its files seen through fs.FS, so that a
// folder and a zip are read by the same code.
type export struct {
	name   string // path as the user gave it, for messages
	fsys   fs.FS  // rooted where users.json is
	prefix string // the root's path inside the zip or folder, "" at top
	zip    *zip.ReadCloser
}

func open(p string) (*export, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	ex := &export{name: p}
	switch {
	case fi.IsDir():
		ex.fsys = os.DirFS(p)
	case strings.EqualFold(filepath.Ext(p), ".zip"):
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		ex.zip, ex.fsys = zr, zr
	default:
		return nil, fmt.Errorf("%s is neither a folder nor a .zip: give the Slack export's folder or its .zip", p)
	}
	// Zips made by hand often wrap the export in one top folder.
	if !exists(ex.fsys, usersFile) && !exists(ex.fsys, lists[0].file) {
		if dirs, err := fs.ReadDir(ex.fsys, "."); err == nil && len(dirs) == 1 && dirs[0].IsDir() {
			sub := dirs[0].Name()
			if exists(ex.fsys, path.Join(sub, usersFile)) || exists(ex.fsys, path.Join(sub, lists[0].file)) {
				ex.prefix = sub
				ex.fsys, _ = fs.Sub(ex.fsys, sub)
			}
		}
	}
	return ex, nil
}

func (ex *export) close() {
	if ex.zip != nil {
		ex.zip.Close()
	}
}

// display names a file of the export in messages and LineErrors.
func (ex *export) display(name string) string {
	name = path.Join(ex.prefix, name)
	if ex.zip != nil {
		return ex.name + ":" + name
	}
	return filepath.Join(ex.name, filepath.FromSlash(name))
}

func (ex *export) usersFile() string {
	for _, f := range []string{usersFile, orgUsersFile} {
		if exists(ex.fsys, f) {
			return f
		}
	}
	return ""
}

func exists(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && !fi.IsDir()
}

// dayFiles lists a folder's YYYY-MM-DD.json files in date order (fs.ReadDir
// sorts by name, and these names sort by date — also in a zip, whose
// member order is arbitrary).
func dayFiles(fsys fs.FS, dir string) ([]string, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && isDayName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// isDayName reports whether name is "YYYY-MM-DD.json".
func isDayName(name string) bool {
	if len(name) != len("2006-01-02.json") || !strings.HasSuffix(name, ".json") {
		return false
	}
	for i, c := range name[:10] {
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// reader is one Read in progress.
type reader struct {
	ex   *export
	sink capture.Sink
	opts capture.Options
	st   *capture.Stats

	names map[string]string // user or bot id → display name
	chans map[string]string // channel id → name, for <#C123> links
	done  map[string]bool   // folders and conversation ids already imported
}

func (r *reader) run() error {
	if f := r.ex.usersFile(); f != "" {
		if err := r.loadUsers(f); err != nil {
			return err
		}
	}
	// First pass: every conversation's name, so that a link to a channel
	// read later renders as #name. The second pass reports what is wrong
	// with the lists, so this one keeps quiet.
	st, opts := r.st, r.opts
	r.st, r.opts = &capture.Stats{}, capture.Options{}
	for _, l := range lists {
		if err := r.eachConv(l, func(c *channel) error {
			if c.ID != "" && c.Name != "" {
				r.chans[c.ID] = c.Name
			}
			return nil
		}); err != nil {
			return err
		}
	}
	r.st, r.opts = st, opts
	// Second pass: import, one conversation at a time, streaming the lists
	// so that member lists are held for one conversation only.
	for _, l := range lists {
		if err := r.eachConv(l, func(c *channel) error { return r.listed(l, c) }); err != nil {
			return err
		}
	}
	return r.orphans()
}

// user is what users.json (and a message's user_profile) says of a person.
type user struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	RealName string `json:"real_name"`
	Profile  struct {
		RealName    string `json:"real_name"`
		DisplayName string `json:"display_name"`
	} `json:"profile"`
}

// displayName picks real_name, else the profile's display name, else the
// user name.
func displayName(realName, profileReal, display, name string) string {
	for _, s := range []string{realName, profileReal, display, name} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func (r *reader) loadUsers(file string) error {
	return eachElement(r, file, func(u *user, _ int) error {
		if u.ID == "" {
			return bad(errors.New("user without id"))
		}
		if n := displayName(u.RealName, u.Profile.RealName, u.Profile.DisplayName, u.Name); n != "" {
			r.names[u.ID] = n
		}
		return nil
	})
}

// channel is one element of channels.json, groups.json, dms.json or
// mpims.json.
type channel struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

// eachConv calls fn with each conversation l's file lists. A missing file
// lists none.
func (r *reader) eachConv(l list, fn func(*channel) error) error {
	if !exists(r.ex.fsys, l.file) {
		return nil
	}
	return eachElement(r, l.file, func(c *channel, _ int) error {
		if c.ID == "" {
			return bad(errors.New("conversation without id"))
		}
		return fn(c)
	})
}

// listed imports one conversation a list names.
func (r *reader) listed(l list, c *channel) error {
	if r.done["id:"+c.ID] {
		return nil
	}
	r.done["id:"+c.ID] = true
	folder := c.Name
	if l.byID || folder == "" || !r.isDir(folder) {
		folder = c.ID
	}
	if r.done[folder] || !r.isDir(folder) {
		folder = "" // no messages in the export
	}
	conv := &capture.Conversation{ID: "slack:" + c.ID, Channel: "slack"}
	var names []string
	for _, id := range c.Members {
		if id == "" {
			continue
		}
		conv.Participants = append(conv.Participants, capture.Participant{ID: id, Name: r.names[id]})
		names = append(names, r.nameOf(id))
	}
	switch {
	case l.direct && len(names) > 0:
		conv.Title = strings.Join(names, ", ")
	case c.Name != "":
		conv.Title = "#" + c.Name
	default:
		conv.Title = c.ID
	}
	return r.conversation(conv, folder)
}

// orphans imports conversation folders no list names (a list that was
// cut short, or an export that left it out), under their folder's name.
func (r *reader) orphans() error {
	ents, err := fs.ReadDir(r.ex.fsys, ".")
	if err != nil {
		return fmt.Errorf("listing %s: %w", r.ex.name, err)
	}
	for _, e := range ents {
		if !e.IsDir() || r.done[e.Name()] || r.done["id:"+e.Name()] {
			continue
		}
		if days, _ := dayFiles(r.ex.fsys, e.Name()); len(days) == 0 {
			continue
		}
		conv := &capture.Conversation{ID: "slack:" + e.Name(), Channel: "slack", Title: "#" + e.Name()}
		if err := r.conversation(conv, e.Name()); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) isDir(name string) bool {
	if name == "." || !fs.ValidPath(name) || strings.Contains(name, "/") {
		return false
	}
	fi, err := fs.Stat(r.ex.fsys, name)
	return err == nil && fi.IsDir()
}

// nameOf is id's display name, or id itself when users.json lacks it.
func (r *reader) nameOf(id string) string {
	if n := r.names[id]; n != "" {
		return n
	}
	return id
}

// conversation sends conv's header, then the messages of folder's day
// files ("" for none), then the header again if senders were added.
func (r *reader) conversation(conv *capture.Conversation, folder string) error {
	r.st.Conversations++
	if err := r.header(conv); err != nil {
		return fmt.Errorf("conversation %s: %w", conv.ID, err)
	}
	if folder == "" {
		return nil
	}
	r.done[folder] = true
	days, err := dayFiles(r.ex.fsys, folder)
	if err != nil {
		return fmt.Errorf("listing %s: %w", r.ex.display(folder), err)
	}
	cv := newConvState(conv)
	for _, d := range days {
		if err := r.day(cv, path.Join(folder, d)); err != nil {
			return err
		}
	}
	if cv.added {
		return r.header(conv)
	}
	return nil
}

// header sends a copy of conv: Read goes on adding participants to its
// own, and the sink may keep what it was given.
func (r *reader) header(conv *capture.Conversation) error {
	c := *conv
	c.Participants = slices.Clone(conv.Participants)
	if err := r.sink.Conversation(&c); err != nil {
		return fmt.Errorf("conversation %s: %w", conv.ID, err)
	}
	return nil
}

func (r *reader) day(cv *convState, name string) error {
	f, err := r.ex.fsys.Open(name)
	if err != nil {
		return fmt.Errorf("opening %s: %w", r.ex.display(name), err)
	}
	defer f.Close()
	r.st.Files++
	return r.readDay(f, r.ex.display(name), cv)
}

// eachElement streams the JSON array in the export's file name to fn.
func eachElement[T any](r *reader, name string, fn func(v *T, i int) error) error {
	f, err := r.ex.fsys.Open(name)
	if err != nil {
		return fmt.Errorf("opening %s: %w", r.ex.display(name), err)
	}
	defer f.Close()
	return decodeArray(r, f, r.ex.display(name), fn)
}
