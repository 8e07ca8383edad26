package editor_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/troupe-mud/troupe/world/editor"
)

// step is one input line and what the editor should answer.
type step struct {
	in    string
	out   []string // nil = no output expected
	lines []string // the text afterwards
}

func run(t *testing.T, e *editor.Editor, steps []step) {
	t.Helper()
	for i, s := range steps {
		r := e.Handle(s.in)
		if r.Done {
			t.Fatalf("step %d %q: unexpectedly done", i, s.in)
		}
		if !reflect.DeepEqual(r.Output, s.out) {
			t.Errorf("step %d %q: output %q, want %q", i, s.in, r.Output, s.out)
		}
		if !reflect.DeepEqual(e.Lines, s.lines) {
			t.Errorf("step %d %q: lines %q, want %q", i, s.in, e.Lines, s.lines)
		}
	}
}

func newEd(t *testing.T, initial string, mode editor.Mode, lim editor.Limits) *editor.Editor {
	t.Helper()
	e, err := editor.NewWithLimits(initial, mode, lim)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name    string
		initial string
		mode    editor.Mode
		steps   []step
	}{
		{"append", "", editor.ModeText, []step{
			{"first", nil, []string{"first"}},
			{"second   ", nil, []string{"first", "second"}},
			{"", nil, []string{"first", "second", ""}},
		}},
		{"dot escape", "", editor.ModeText, []step{
			{"..hidden", nil, []string{".hidden"}},
			{".", []string{"Unknown editor command '.'. Type .h for help (start a line with .. to enter a line beginning with '.')."}, []string{".hidden"}},
			{".zap now", []string{"Unknown editor command '.zap'. Type .h for help (start a line with .. to enter a line beginning with '.')."}, []string{".hidden"}},
		}},
		{"list", "a {rred{x line\nb", editor.ModeText, []step{
			{".l", []string{"1: a {{rred{{x line", "2: b"}, []string{"a {rred{x line", "b"}},
		}},
		{"list wide numbers", strings.Repeat("x\n", 10), editor.ModeText, []step{
			{".l", []string{" 1: x", " 2: x", " 3: x", " 4: x", " 5: x", " 6: x", " 7: x", " 8: x", " 9: x", "10: x"}, strings.Split(strings.Repeat("x\n", 10)[:19], "\n")},
			{".d 10", []string{"Line 10 deleted."}, strings.Split(strings.Repeat("x\n", 9)[:17], "\n")},
		}},
		{"list empty", "", editor.ModeText, []step{
			{".l", []string{"The text is empty."}, nil},
		}},
		{"clear and undo", "a\nb", editor.ModeText, []step{
			{".c", []string{"Text cleared. (.u to undo)"}, nil},
			{".c", []string{"The text is already empty."}, nil},
			{".u", []string{"Undone. The text has 2 lines."}, []string{"a", "b"}},
			{".u", []string{"Nothing to undo."}, []string{"a", "b"}},
		}},
		{"delete", "a\nb\nc", editor.ModeText, []step{
			{".d 2", []string{"Line 2 deleted."}, []string{"a", "c"}},
			{".d", []string{"Line 2 deleted."}, []string{"a"}},
			{".d 5", []string{"There is no line 5: the text has 1 line."}, []string{"a"}},
			{".d x", []string{"'x' is not a line number."}, []string{"a"}},
			{".d 0", []string{"There is no line 0: the text has 1 line."}, []string{"a"}},
			{".d 1", []string{"Line 1 deleted."}, nil},
			{".d 1", []string{"The text is empty: there is nothing to delete."}, nil},
		}},
		{"insert", "a\nc", editor.ModeText, []step{
			{".i 2 b", []string{"Inserted before line 2."}, []string{"a", "b", "c"}},
			{".i 1 start", []string{"Inserted before line 1."}, []string{"start", "a", "b", "c"}},
			{".i 5 end", []string{"Inserted before line 5."}, []string{"start", "a", "b", "c", "end"}},
			{".i 7 x", []string{"There is no line 7: the text has 5 lines."}, []string{"start", "a", "b", "c", "end"}},
			{".i", []string{"Usage: .i N text (inserts text before line N)."}, []string{"start", "a", "b", "c", "end"}},
			{".i 2", []string{"Inserted before line 2."}, []string{"start", "", "a", "b", "c", "end"}},
		}},
		{"insert into empty", "", editor.ModeText, []step{
			{".i 1 only", []string{"Inserted before line 1."}, []string{"only"}},
			{".r 2 x", []string{"There is no line 2: the text has 1 line."}, []string{"only"}},
		}},
		{"replace", "a\nb", editor.ModeText, []step{
			{".r 2 B!", []string{"Line 2 replaced."}, []string{"a", "B!"}},
			{".r 3 x", []string{"There is no line 3: the text has 2 lines."}, []string{"a", "B!"}},
			{".r", []string{"Usage: .r N text (replaces line N with text)."}, []string{"a", "B!"}},
			{".u", []string{"Undone. The text has 2 lines."}, []string{"a", "b"}},
		}},
		{"replace in empty", "", editor.ModeText, []step{
			{".r 1 x", []string{"There is no line 1: the text is empty."}, nil},
		}},
		{"format", "The quick brown fox\njumps over the lazy dog.\n\n\nSecond   paragraph here.", editor.ModeText, []step{
			{".f 20", []string{"Text reformatted to 20 columns."}, []string{"The quick brown fox", "jumps over the lazy", "dog.", "", "Second paragraph", "here."}},
			{".f 5", []string{"The width must be a number from 20 to 200."}, []string{"The quick brown fox", "jumps over the lazy", "dog.", "", "Second paragraph", "here."}},
			{".f wide", []string{"The width must be a number from 20 to 200."}, []string{"The quick brown fox", "jumps over the lazy", "dog.", "", "Second paragraph", "here."}},
			{".f", []string{"Text reformatted to 76 columns."}, []string{"The quick brown fox jumps over the lazy dog.", "", "Second paragraph here."}},
			{".u", []string{"Undone. The text has 6 lines."}, []string{"The quick brown fox", "jumps over the lazy", "dog.", "", "Second paragraph", "here."}},
		}},
		{"script keeps indentation", "", editor.ModeScript, []step{
			{"def f():", nil, []string{"def f():"}},
			{"    return 1   ", nil, []string{"def f():", "    return 1   "}},
			{"\tx = 2", nil, []string{"def f():", "    return 1   ", "\tx = 2"}},
			{".i 2     # comment", []string{"Inserted before line 2."}, []string{"def f():", "    # comment", "    return 1   ", "\tx = 2"}},
			{".r 4   y = 3", []string{"Line 4 replaced."}, []string{"def f():", "    # comment", "    return 1   ", "  y = 3"}},
			{".f", []string{"Formatting is not available in script mode: indentation is kept exactly as typed."}, []string{"def f():", "    # comment", "    return 1   ", "  y = 3"}},
		}},
		{"text mode tabs and controls", "", editor.ModeText, []step{
			{"a\tb\x07c  ", nil, []string{"a bc"}},
		}},
		{"case-insensitive commands", "a", editor.ModeText, []step{
			{".L", []string{"1: a"}, []string{"a"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run(t, newEd(t, tt.initial, tt.mode, editor.Limits{}), tt.steps)
		})
	}
}

func TestHelp(t *testing.T) {
	e := newEd(t, "", editor.ModeText, editor.Limits{})
	r := e.Handle(".h")
	joined := strings.Join(r.Output, "\n")
	for _, c := range []string{".h", ".s", ".q", ".l", ".c", ".d", ".i", ".r", ".f", ".u"} {
		if !strings.Contains(joined, "  "+c) {
			t.Errorf("help does not mention %s", c)
		}
	}
	if r.Done || len(e.Lines) != 0 {
		t.Error(".h changed state")
	}
	if intro := e.Intro(); len(intro) != 1 || !strings.Contains(intro[0], "Editing text (0 lines)") {
		t.Errorf("Intro = %q", intro)
	}
}

func TestSaveAndQuit(t *testing.T) {
	e := newEd(t, "line one\r\nline two\n", editor.ModeText, editor.Limits{})
	e.Handle("line three")
	r := e.Handle(".s")
	if !r.Done || !r.Saved || r.Text != "line one\nline two\nline three" {
		t.Errorf(".s = %+v", r)
	}
	e = newEd(t, "keep", editor.ModeText, editor.Limits{})
	e.Handle("discard me")
	r = e.Handle(".q")
	if !r.Done || r.Saved || r.Text != "" {
		t.Errorf(".q = %+v", r)
	}
	e = newEd(t, "", editor.ModeText, editor.Limits{})
	if r := e.Handle(".s"); !r.Saved || r.Text != "" {
		t.Errorf("saving empty text = %+v", r)
	}
}

func TestLimits(t *testing.T) {
	e := newEd(t, "", editor.ModeText, editor.Limits{MaxLines: 3, MaxBytes: 20})
	run(t, e, []step{
		{"12345", nil, []string{"12345"}},
		{"67890", nil, []string{"12345", "67890"}},
		{"this line is far too long", []string{"The text is full (at most 20 bytes); that line was not added."}, []string{"12345", "67890"}},
		{"abc", nil, []string{"12345", "67890", "abc"}},
		{"d", []string{"The text is full (at most 3 lines); that line was not added."}, []string{"12345", "67890", "abc"}},
		{".i 1 x", []string{"The text is full (at most 3 lines); nothing was inserted."}, []string{"12345", "67890", "abc"}},
		{".r 3 abcdefghijk", []string{"The text is full (at most 20 bytes); the line was not replaced."}, []string{"12345", "67890", "abc"}},
		{".r 3 abcd", []string{"Line 3 replaced."}, []string{"12345", "67890", "abcd"}},
	})
	// Reformatting to a narrow width can need more lines than allowed.
	e = newEd(t, "aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm nnn ooo ppp qqq", editor.ModeText, editor.Limits{MaxLines: 2})
	r := e.Handle(".f 20")
	if len(r.Output) != 1 || r.Output[0] != "The text is full (at most 2 lines); the text was not reformatted." || len(e.Lines) != 1 {
		t.Errorf(".f over limit = %q, %d lines", r.Output, len(e.Lines))
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := editor.NewWithLimits("a\nb\nc", editor.ModeText, editor.Limits{MaxLines: 2}); !errors.Is(err, editor.ErrTooLarge) {
		t.Errorf("too many lines: %v", err)
	}
	if _, err := editor.NewWithLimits(strings.Repeat("x", 100), editor.ModeText, editor.Limits{MaxBytes: 50}); !errors.Is(err, editor.ErrTooLarge) {
		t.Errorf("too many bytes: %v", err)
	}
	if _, err := editor.New("", editor.Mode(7)); err == nil {
		t.Error("unknown mode accepted")
	}
	e, err := editor.New("", editor.ModeScript)
	if err != nil || e.MaxLines != editor.DefaultMaxLines || e.MaxBytes != editor.DefaultMaxBytes || e.Width != editor.DefaultWidth {
		t.Errorf("defaults: %+v %v", e, err)
	}
	if editor.ModeText.String() != "text" || editor.ModeScript.String() != "script" {
		t.Error("mode names")
	}
}

func TestUndoBounded(t *testing.T) {
	e := newEd(t, "", editor.ModeText, editor.Limits{MaxUndo: 3})
	for _, l := range []string{"1", "2", "3", "4", "5"} {
		e.Handle(l)
	}
	if len(e.Undo) != 3 {
		t.Fatalf("undo depth %d, want 3", len(e.Undo))
	}
	for range 3 {
		e.Handle(".u")
	}
	if !reflect.DeepEqual(e.Lines, []string{"1", "2"}) {
		t.Errorf("after 3 undos: %q", e.Lines)
	}
	if r := e.Handle(".u"); r.Output[0] != "Nothing to undo." {
		t.Errorf("4th undo: %q", r.Output)
	}
}

// TestMsgpackRoundTrip snapshots an editor mid-edit, restores it, and checks
// the restored one carries on exactly like the original.
func TestMsgpackRoundTrip(t *testing.T) {
	e := newEd(t, "one\ntwo", editor.ModeScript, editor.Limits{MaxLines: 50, MaxUndo: 4, Width: 60})
	e.Handle("  three")
	e.Handle(".d 1")
	data, err := msgpack.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back editor.Editor
	if err := msgpack.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, e) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, *e)
	}
	r1, r2 := e.Handle(".u"), back.Handle(".u")
	if !reflect.DeepEqual(r1, r2) || !reflect.DeepEqual(e.Lines, back.Lines) {
		t.Errorf("restored editor diverged: %+v vs %+v", r1, r2)
	}
	if s := back.Handle(".s"); s.Text != "one\ntwo\n  three" {
		t.Errorf("saved %q", s.Text)
	}
	if !strings.Contains(string(data), "lines") || !strings.Contains(string(data), "max_undo") {
		t.Error("msgpack field names missing from the snapshot")
	}
}

func TestReformat(t *testing.T) {
	got := editor.Reformat([]string{"", "", "a b c", "d", "", "", "e", ""}, 80)
	if !reflect.DeepEqual(got, []string{"a b c d", "", "e"}) {
		t.Errorf("Reformat = %q", got)
	}
}
