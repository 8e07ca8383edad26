package editor

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/troupe-mud/troupe/world/text"
)

// Mode selects how the editor treats text.
type Mode uint8

const (
	// ModeText is for prose (descriptions, notes): trailing spaces are
	// trimmed and .f reformats paragraphs.
	ModeText Mode = iota
	// ModeScript is for code and anything where white space matters: lines are
	// kept exactly as typed and .f is refused.
	ModeScript
)

// String returns "text" or "script".
func (m Mode) String() string {
	switch m {
	case ModeText:
		return "text"
	case ModeScript:
		return "script"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// Default limits used by New.
const (
	DefaultMaxLines = 200
	DefaultMaxBytes = 16 * 1024
	DefaultMaxUndo  = 10
	DefaultWidth    = 76
	// MinWidth and MaxWidth bound the width .f accepts.
	MinWidth = 20
	MaxWidth = 200
)

// ErrTooLarge is returned by New when the initial text is over the limits.
var ErrTooLarge = errors.New("editor: initial text is over the size limit")

// Limits bound an editor. Zero fields take the defaults.
type Limits struct {
	MaxLines int
	MaxBytes int
	MaxUndo  int
	// Width is the default width for .f.
	Width int
}

// Editor is the line editor's whole state. It is a plain value with exported,
// msgpack-tagged fields so the connection actor can snapshot it and resume
// editing after a game restart. It is owned by one connection actor and is
// not safe for concurrent use.
type Editor struct {
	Mode  Mode     `msgpack:"mode"`
	Lines []string `msgpack:"lines"`
	// Undo holds earlier versions of Lines, oldest first, at most MaxUndo.
	Undo     [][]string `msgpack:"undo"`
	MaxLines int        `msgpack:"max_lines"`
	MaxBytes int        `msgpack:"max_bytes"`
	MaxUndo  int        `msgpack:"max_undo"`
	Width    int        `msgpack:"width"`
}

// Result is what one line of input did.
type Result struct {
	// Output lines to show the player (already escaped: they contain no
	// colour markup from the edited text).
	Output []string
	// Done is true when editing is over (.s or .q): pop the editor.
	Done bool
	// Saved is true for .s: Text holds the result to hand to onDone.
	Saved bool
	// Text is the edited text when Saved: the lines joined with "\n".
	Text string
}

// New starts an editor on initial text with default limits.
func New(initial string, mode Mode) (*Editor, error) {
	return NewWithLimits(initial, mode, Limits{})
}

// NewWithLimits starts an editor with explicit limits. It fails with
// ErrTooLarge if the initial text is already over them.
func NewWithLimits(initial string, mode Mode, lim Limits) (*Editor, error) {
	e := &Editor{
		Mode:     mode,
		MaxLines: orDefault(lim.MaxLines, DefaultMaxLines),
		MaxBytes: orDefault(lim.MaxBytes, DefaultMaxBytes),
		MaxUndo:  orDefault(lim.MaxUndo, DefaultMaxUndo),
		Width:    orDefault(lim.Width, DefaultWidth),
	}
	if mode != ModeText && mode != ModeScript {
		return nil, fmt.Errorf("editor: unknown mode %d", mode)
	}
	if initial != "" {
		initial = strings.TrimSuffix(strings.ReplaceAll(initial, "\r\n", "\n"), "\n")
		for _, l := range strings.Split(initial, "\n") {
			e.Lines = append(e.Lines, e.clean(l))
		}
	}
	if len(e.Lines) > e.MaxLines || e.Size() > e.MaxBytes {
		return nil, fmt.Errorf("%w (%d lines, %d bytes; limits %d lines, %d bytes)",
			ErrTooLarge, len(e.Lines), e.Size(), e.MaxLines, e.MaxBytes)
	}
	return e, nil
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// Text returns the current text: the lines joined with "\n".
func (e *Editor) Text() string { return strings.Join(e.Lines, "\n") }

// Size returns the size of Text in bytes.
func (e *Editor) Size() int { return size(e.Lines) }

func size(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	return max(n-1, 0)
}

// Intro returns the lines to show when editing starts.
func (e *Editor) Intro() []string {
	out := []string{fmt.Sprintf("Editing %s (%d lines). Type .h for help, .s to save, .q to quit without saving.", e.Mode, len(e.Lines))}
	return out
}

// clean drops control characters (keeping tabs in script mode) and, in text
// mode, trailing white space.
func (e *Editor) clean(l string) string {
	l = strings.Map(func(r rune) rune {
		if r == '\t' {
			if e.Mode == ModeScript {
				return r
			}
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, l)
	if e.Mode == ModeText {
		l = strings.TrimRight(l, " ")
	}
	return l
}

func out(lines ...string) Result { return Result{Output: lines} }

// Handle processes one line of input. Lines starting with '.' are commands;
// ".." at the start of a line appends the rest of the line starting with a
// single '.'; anything else is appended.
func (e *Editor) Handle(line string) Result {
	line = e.clean(line)
	if !strings.HasPrefix(line, ".") {
		return e.appendLine(line)
	}
	if strings.HasPrefix(line, "..") {
		return e.appendLine(line[1:])
	}
	cmd, args, _ := strings.Cut(line, " ")
	switch strings.ToLower(cmd) {
	case ".h":
		return out(helpLines...)
	case ".s":
		return Result{Output: []string{"Text saved."}, Done: true, Saved: true, Text: e.Text()}
	case ".q":
		return Result{Output: []string{"Edit abandoned; nothing was saved."}, Done: true}
	case ".l":
		return e.list()
	case ".c":
		if len(e.Lines) == 0 {
			return out("The text is already empty.")
		}
		e.push()
		e.Lines = nil
		return out("Text cleared. (.u to undo)")
	case ".d":
		return e.deleteLine(args)
	case ".i":
		return e.insertLine(args)
	case ".r":
		return e.replaceLine(args)
	case ".f":
		return e.format(args)
	case ".u":
		if len(e.Undo) == 0 {
			return out("Nothing to undo.")
		}
		e.Lines = e.Undo[len(e.Undo)-1]
		e.Undo = e.Undo[:len(e.Undo)-1]
		return out(fmt.Sprintf("Undone. The text has %s.", plural(len(e.Lines), "line")))
	}
	return out(fmt.Sprintf("Unknown editor command '%s'. Type .h for help (start a line with .. to enter a line beginning with '.').", text.Escape(cmd)))
}

var helpLines = []string{
	"Editor commands:",
	"  .h           this help",
	"  .s           save and exit",
	"  .q           quit without saving",
	"  .l           list the text with line numbers",
	"  .c           clear the text",
	"  .d [N]       delete line N (default: the last line)",
	"  .i N text    insert text before line N",
	"  .r N text    replace line N with text",
	"  .f [width]   reformat paragraphs to a width (text mode only)",
	"  .u           undo the last change",
	"Any other line is added at the end. Start a line with .. to add a line beginning with '.'.",
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// push records the current lines for undo, dropping the oldest when full.
func (e *Editor) push() {
	snap := append([]string(nil), e.Lines...)
	if len(e.Undo) >= e.MaxUndo {
		e.Undo = append(e.Undo[:0:0], e.Undo[len(e.Undo)-e.MaxUndo+1:]...)
	}
	e.Undo = append(e.Undo, snap)
}

// fits reports whether lines are within the limits, or says why not.
func (e *Editor) fits(lines []string) (string, bool) {
	if len(lines) > e.MaxLines {
		return fmt.Sprintf("The text is full (at most %d lines)", e.MaxLines), false
	}
	if size(lines) > e.MaxBytes {
		return fmt.Sprintf("The text is full (at most %d bytes)", e.MaxBytes), false
	}
	return "", true
}

// apply replaces the lines with next if it fits, recording undo.
func (e *Editor) apply(next []string, refusal string) (string, bool) {
	if why, ok := e.fits(next); !ok {
		return why + "; " + refusal, false
	}
	e.push()
	e.Lines = next
	return "", true
}

func (e *Editor) appendLine(l string) Result {
	next := append(append(make([]string, 0, len(e.Lines)+1), e.Lines...), l)
	if why, ok := e.apply(next, "that line was not added."); !ok {
		return out(why)
	}
	return Result{}
}

func (e *Editor) list() Result {
	if len(e.Lines) == 0 {
		return out("The text is empty.")
	}
	w := len(strconv.Itoa(len(e.Lines)))
	lines := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		lines[i] = fmt.Sprintf("%*d: %s", w, i+1, text.Escape(l))
	}
	return out(lines...)
}

// lineNumber parses N for .d/.i/.r; hi is the largest valid N.
func (e *Editor) lineNumber(s string, hi int) (int, string) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Sprintf("'%s' is not a line number.", text.Escape(s))
	}
	if n < 1 || n > hi {
		if len(e.Lines) == 0 {
			return 0, "There is no line " + s + ": the text is empty."
		}
		return 0, fmt.Sprintf("There is no line %d: the text has %s.", n, plural(len(e.Lines), "line"))
	}
	return n, ""
}

// splitNumText splits "N text" keeping the text exactly (after the single
// separating space) so that script indentation survives.
func splitNumText(args string) (string, string) {
	args = strings.TrimLeft(args, " ")
	num, rest, _ := strings.Cut(args, " ")
	return num, rest
}

func (e *Editor) deleteLine(args string) Result {
	args = strings.TrimSpace(args)
	if len(e.Lines) == 0 {
		return out("The text is empty: there is nothing to delete.")
	}
	n := len(e.Lines)
	if args != "" {
		var msg string
		if n, msg = e.lineNumber(args, len(e.Lines)); msg != "" {
			return out(msg)
		}
	}
	next := append(append([]string(nil), e.Lines[:n-1]...), e.Lines[n:]...)
	e.apply(next, "")
	return out(fmt.Sprintf("Line %d deleted.", n))
}

func (e *Editor) insertLine(args string) Result {
	num, txt := splitNumText(args)
	if num == "" {
		return out("Usage: .i N text (inserts text before line N).")
	}
	n, msg := e.lineNumber(num, len(e.Lines)+1)
	if msg != "" {
		return out(msg)
	}
	next := make([]string, 0, len(e.Lines)+1)
	next = append(append(append(next, e.Lines[:n-1]...), e.clean(txt)), e.Lines[n-1:]...)
	if why, ok := e.apply(next, "nothing was inserted."); !ok {
		return out(why)
	}
	return out(fmt.Sprintf("Inserted before line %d.", n))
}

func (e *Editor) replaceLine(args string) Result {
	num, txt := splitNumText(args)
	if num == "" {
		return out("Usage: .r N text (replaces line N with text).")
	}
	n, msg := e.lineNumber(num, len(e.Lines))
	if msg != "" {
		return out(msg)
	}
	next := append([]string(nil), e.Lines...)
	next[n-1] = e.clean(txt)
	if why, ok := e.apply(next, "the line was not replaced."); !ok {
		return out(why)
	}
	return out(fmt.Sprintf("Line %d replaced.", n))
}

func (e *Editor) format(args string) Result {
	if e.Mode == ModeScript {
		return out("Formatting is not available in script mode: indentation is kept exactly as typed.")
	}
	width := e.Width
	if a := strings.TrimSpace(args); a != "" {
		w, err := strconv.Atoi(a)
		if err != nil || w < MinWidth || w > MaxWidth {
			return out(fmt.Sprintf("The width must be a number from %d to %d.", MinWidth, MaxWidth))
		}
		width = w
	}
	next := Reformat(e.Lines, width)
	if why, ok := e.apply(next, "the text was not reformatted."); !ok {
		return out(why)
	}
	return out(fmt.Sprintf("Text reformatted to %d columns.", width))
}

// Reformat rewraps paragraphs (runs of non-blank lines) to width, keeping one
// blank line between paragraphs and dropping leading and trailing blank lines.
func Reformat(lines []string, width int) []string {
	var out, para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, text.Wrap(strings.Join(para, " "), width)...)
		para = para[:0]
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		para = append(para, l)
	}
	flush()
	return out
}
