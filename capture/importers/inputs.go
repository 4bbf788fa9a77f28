package importers

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Input is one export to read. A file found in a folder is checked when
// it is resolved: with no format given it gets the one Detect finds; with
// one, that format must recognize it.
type Input struct {
	Path string
	// Folder names where the export sits: the first folder of its path
	// under the folder named (exports/jsmith/… → "jsmith"), or, for an
	// export directly in that folder or named itself, the name of the
	// folder holding it. With one folder per custodian (a person, a
	// phone), it is the custodian (sealctl ingest --custodian-folders).
	Folder string
	format *Format // nil: detect
	check  bool    // found in a folder: may be no export at all
}

// Resolve returns the input's format, or nil when a file found in a folder
// is not an export (media, notes). Detection reads the file's start, so an
// importer calls Resolve as it goes rather than for every file up front.
func (in Input) Resolve() *Format {
	switch {
	case !in.check:
		return in.format
	case in.format == nil:
		fm, _ := Detect(in.Path)
		return fm
	}
	if ok, _ := in.format.Sniff(in.Path); ok {
		return in.format
	}
	return nil
}

// Inputs resolves the paths to import, in format (nil: detect each). A
// path named directly must be an export in that format, or one Detect
// recognizes. A folder that is not itself an export (a Slack or Signal
// export, a Telegram export folder) stands for every file under it, in
// name order — a folder of WhatsApp or WeChat chats from many phones —
// each checked by Resolve; hidden files and folders are left out.
func Inputs(paths []string, format *Format) ([]Input, error) {
	var ins []Input
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		fm := format
		if fm == nil {
			fm, err = Detect(p)
		}
		if !fi.IsDir() {
			if err != nil {
				return nil, err
			}
			ins = append(ins, Input{Path: p, Folder: holder(p), format: fm})
			continue
		}
		if err == nil {
			if ok, _ := fm.Sniff(p); ok { // the folder is an export itself
				ins = append(ins, Input{Path: p, Folder: holder(p), format: fm})
				continue
			}
		}
		found := 0
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && q != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			folder := holder(q)
			if rel, err := filepath.Rel(p, q); err == nil {
				if first, _, nested := strings.Cut(filepath.ToSlash(rel), "/"); nested {
					folder = first
				}
			}
			ins = append(ins, Input{Path: q, Folder: folder, format: format, check: true})
			found++
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the folder %s: %w", p, err)
		}
		if found == 0 {
			return nil, fmt.Errorf("%s holds no files", p)
		}
	}
	return ins, nil
}

// holder is the name of the folder holding path.
func holder(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return filepath.Base(filepath.Dir(path))
}
