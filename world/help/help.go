package help

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/troupe-mud/troupe/world"
)

// MaxTopicSize bounds one help file.
const MaxTopicSize = 64 * 1024

// Errors, wrapped with the file and line they concern.
var (
	ErrBadTopic         = errors.New("help: bad topic")
	ErrDuplicateKeyword = errors.New("help: duplicate keyword")
)

// Topic is one help entry.
type Topic struct {
	// Keywords the topic is found by, lower case; the first is its name.
	Keywords []string
	// Title is shown above the body; defaults to the upper-cased name.
	Title string
	// Admin topics are only listed and found for admins.
	Admin bool
	// Body is the text, with colour markup allowed.
	Body string
	// File is where the topic came from ("" for topics added in code).
	File string
}

// Name returns the topic's first keyword.
func (t Topic) Name() string { return t.Keywords[0] }

// Index is a set of help topics, searchable by keyword. It is built at
// start-up and then read-only, so it can be shared by every actor.
type Index struct {
	topics []Topic
	byKW   map[string]int
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{byKW: map[string]int{}} }

// Add adds a topic. It fails if the topic has no keywords or no body, or if a
// keyword is already taken (wrapping ErrDuplicateKeyword).
func (ix *Index) Add(t Topic) error {
	if len(t.Keywords) == 0 {
		return fmt.Errorf("%w: no keywords", ErrBadTopic)
	}
	if strings.TrimSpace(t.Body) == "" {
		return fmt.Errorf("%w: %q has no text", ErrBadTopic, t.Keywords[0])
	}
	kws := make([]string, len(t.Keywords))
	for i, k := range t.Keywords {
		kws[i] = strings.ToLower(k)
		if prev, dup := ix.byKW[kws[i]]; dup {
			return fmt.Errorf("%w: %q is already used by topic %q", ErrDuplicateKeyword, kws[i], ix.topics[prev].Name())
		}
	}
	t.Keywords = kws
	if t.Title == "" {
		t.Title = strings.ToUpper(kws[0])
	}
	ix.topics = append(ix.topics, t)
	for _, k := range kws {
		ix.byKW[k] = len(ix.topics) - 1
	}
	return nil
}

// Lookup finds the topic for a query, case-insensitively: an exact keyword
// first, otherwise the alphabetically first keyword that starts with the
// query ("inv" → inventory). Admin topics are skipped unless isAdmin.
func (ix *Index) Lookup(query string, isAdmin bool) (Topic, bool) {
	q := strings.ToLower(strings.Join(strings.Fields(query), " "))
	if q == "" {
		return Topic{}, false
	}
	if i, ok := ix.byKW[q]; ok && (isAdmin || !ix.topics[i].Admin) {
		return ix.topics[i], true
	}
	for _, k := range ix.keywords(isAdmin) {
		if strings.HasPrefix(k, q) {
			return ix.topics[ix.byKW[k]], true
		}
	}
	return Topic{}, false
}

// Suggest returns the keyword closest to a query that Lookup did not find,
// or "" when nothing is clearly close (see world.Closest).
func (ix *Index) Suggest(query string, isAdmin bool) string {
	return world.Closest(strings.ToLower(strings.TrimSpace(query)), ix.keywords(isAdmin))
}

// keywords returns the visible keywords, sorted.
func (ix *Index) keywords(isAdmin bool) []string {
	out := make([]string, 0, len(ix.byKW))
	for k, i := range ix.byKW {
		if isAdmin || !ix.topics[i].Admin {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Topics returns the visible topics sorted by name, for a help index.
func (ix *Index) Topics(isAdmin bool) []Topic {
	var out []Topic
	for _, t := range ix.topics {
		if isAdmin || !t.Admin {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Render formats a topic for display: the title in bright white, then the body.
func (t Topic) Render() string {
	return "{W" + t.Title + "{x\n" + strings.TrimRight(t.Body, "\n") + "\n"
}

// Load reads every *.txt file directly in dir of fsys into a new index. Each
// file is a header of "key: value" lines (keywords, title, admin), a line
// "---", then the body. All problems are reported together, one per line, as
// "file:line: problem".
func Load(fsys fs.FS, dir string) (*Index, error) {
	ix := NewIndex()
	if err := ix.LoadFS(fsys, dir); err != nil {
		return nil, err
	}
	return ix, nil
}

// LoadFS adds the *.txt topics of dir to the index (for a game's own help
// files on top of the defaults). Keywords already in the index are errors.
func (ix *Index) LoadFS(fsys fs.FS, dir string) error {
	names, err := fs.Glob(fsys, path.Join(dir, "*.txt"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		t, err := readTopic(fsys, name)
		if err == nil {
			if err = ix.Add(t); err != nil {
				err = fmt.Errorf("%s: %w", name, err)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func readTopic(fsys fs.FS, name string) (Topic, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return Topic{}, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxTopicSize+1))
	f.Close()
	if err != nil {
		return Topic{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxTopicSize {
		return Topic{}, fmt.Errorf("%s: %w: larger than %d bytes", name, ErrBadTopic, MaxTopicSize)
	}
	return ParseTopic(name, string(data))
}

// ParseTopic parses one help file's contents; name is used in errors and
// kept as Topic.File.
func ParseTopic(name, src string) (Topic, error) {
	t := Topic{File: name}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	bad := func(line int, format string, args ...any) (Topic, error) {
		return Topic{}, fmt.Errorf("%s:%d: %w: %s", name, line, ErrBadTopic, fmt.Sprintf(format, args...))
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "---" {
			t.Body = strings.Trim(strings.Join(lines[i+1:], "\n"), "\n")
			if len(t.Keywords) == 0 {
				return bad(1, "missing `keywords:` header")
			}
			if strings.TrimSpace(t.Body) == "" {
				return bad(i+1, "no text after ---")
			}
			return t, nil
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		key, val, ok := strings.Cut(l, ":")
		if !ok {
			return bad(i+1, "header line %q is not `key: value` (end the header with ---)", l)
		}
		val = strings.TrimSpace(val)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "keywords":
			t.Keywords = strings.Fields(strings.ToLower(strings.ReplaceAll(val, ",", " ")))
		case "title":
			t.Title = val
		case "admin":
			switch strings.ToLower(val) {
			case "true", "yes":
				t.Admin = true
			case "false", "no":
			default:
				return bad(i+1, "admin must be true or false, not %q", val)
			}
		default:
			return bad(i+1, "unknown header %q (use keywords, title, admin)", strings.TrimSpace(key))
		}
	}
	return bad(len(lines), "missing --- line between the header and the text")
}

//go:embed topics/*.txt
var defaultFiles embed.FS

// DefaultFS returns the embedded default help files (topics/*.txt).
func DefaultFS() fs.FS { return defaultFiles }

// Default returns a fresh index of the embedded default topics. The files are
// checked by this package's tests, so it panics only on a broken build.
func Default() *Index {
	ix, err := Load(defaultFiles, "topics")
	if err != nil {
		panic(err)
	}
	return ix
}
