package help_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/troupe-mud/troupe/world/help"
)

func TestDefaultCoversCommands(t *testing.T) {
	ix := help.Default()
	cmds := []string{"look", "north", "east", "south", "west", "up", "down", "say", "emote", "tell", "reply",
		"who", "chat", "get", "drop", "give", "inventory", "equipment", "score", "help", "describe", "quit"}
	for _, c := range cmds {
		if _, ok := ix.Lookup(c, false); !ok {
			t.Errorf("no help for %q", c)
		}
	}
	for _, c := range []string{"shutdown", "goto"} {
		if _, ok := ix.Lookup(c, false); ok {
			t.Errorf("admin topic %q visible to players", c)
		}
		if _, ok := ix.Lookup(c, true); !ok {
			t.Errorf("no admin help for %q", c)
		}
	}
}

func TestLookup(t *testing.T) {
	ix := help.Default()
	tests := []struct {
		q     string
		admin bool
		want  string // topic name, "" = none
	}{
		{"look", false, "look"},
		{"LOOK", false, "look"},
		{"  look  ", false, "look"},
		{"l", false, "look"},
		{"n", false, "movement"},
		{"inv", false, "inventory"},
		{"i", false, "inventory"},
		{"eq", false, "equipment"},
		{"equ", false, "equipment"},
		{"desc", false, "describe"}, // describe < description
		{"shut", false, ""},
		{"shut", true, "shutdown"},
		{"xyzzy", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		got, ok := ix.Lookup(tt.q, tt.admin)
		name := ""
		if ok {
			name = got.Name()
		}
		if name != tt.want {
			t.Errorf("Lookup(%q, %v) = %q, want %q", tt.q, tt.admin, name, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	ix := help.Default()
	for q, want := range map[string]string{"inventroy": "inventory", "emtoe": "emote", "xyzzy": "", "shutdwn": ""} {
		if got := ix.Suggest(q, false); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", q, got, want)
		}
	}
	if got := ix.Suggest("shutdwn", true); got != "shutdown" {
		t.Errorf("admin Suggest = %q", got)
	}
}

func TestParseTopic(t *testing.T) {
	tests := []struct {
		name, src string
		wantErr   string
		check     func(help.Topic) bool
	}{
		{"full", "keywords: foo, bar\ntitle: The Foo\nadmin: yes\n---\n\nBody text.\n\n", "",
			func(tp help.Topic) bool {
				return tp.Name() == "foo" && len(tp.Keywords) == 2 && tp.Title == "The Foo" && tp.Admin && tp.Body == "Body text."
			}},
		{"comment and crlf", "# a comment\r\nkeywords: Foo\r\n---\r\nx\r\n", "", func(tp help.Topic) bool { return tp.Keywords[0] == "foo" && tp.Body == "x" }},
		{"no separator", "keywords: foo\nbody", "t.txt:2: help: bad topic: header line \"body\" is not `key: value` (end the header with ---)", nil},
		{"no separator at all", "keywords: foo\n", "t.txt:2: help: bad topic: missing --- line between the header and the text", nil},
		{"no keywords", "title: x\n---\nbody", "t.txt:1: help: bad topic: missing `keywords:` header", nil},
		{"empty body", "keywords: a\n---\n\n", "t.txt:2: help: bad topic: no text after ---", nil},
		{"bad admin", "keywords: a\nadmin: maybe\n---\nx", "t.txt:2: help: bad topic: admin must be true or false, not \"maybe\"", nil},
		{"unknown header", "keywords: a\nkeywrds: b\n---\nx", "t.txt:2: help: bad topic: unknown header \"keywrds\" (use keywords, title, admin)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, err := help.ParseTopic("t.txt", tt.src)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, help.ErrBadTopic) {
					t.Errorf("err = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(tp) {
				t.Errorf("ParseTopic = %+v, %v", tp, err)
			}
		})
	}
}

func TestLoadErrorsAndExtend(t *testing.T) {
	fsys := fstest.MapFS{
		"h/a.txt":   {Data: []byte("keywords: alpha\n---\nA")},
		"h/b.txt":   {Data: []byte("keywords: beta alpha\n---\nB")},
		"h/c.txt":   {Data: []byte("no header")},
		"h/big.txt": {Data: []byte("keywords: big\n---\n" + strings.Repeat("x", help.MaxTopicSize))},
		"h/skip.md": {Data: []byte("ignored")},
	}
	_, err := help.Load(fsys, "h")
	if err == nil || !errors.Is(err, help.ErrDuplicateKeyword) || !errors.Is(err, help.ErrBadTopic) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"h/b.txt: help: duplicate keyword: \"alpha\" is already used by topic \"alpha\"", "h/c.txt:1:", "h/big.txt"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	ix := help.Default()
	n := len(ix.Topics(false))
	if err := ix.LoadFS(fstest.MapFS{"x/zork.txt": {Data: []byte("keywords: zork\n---\nIt is dark.")}}, "x"); err != nil {
		t.Fatal(err)
	}
	if tp, ok := ix.Lookup("zo", false); !ok || tp.Body != "It is dark." || tp.Title != "ZORK" || len(ix.Topics(false)) != n+1 {
		t.Errorf("added topic: %+v %v", tp, ok)
	}
	if err := ix.Add(help.Topic{Keywords: []string{"LOOK"}, Body: "dup"}); !errors.Is(err, help.ErrDuplicateKeyword) {
		t.Errorf("duplicate Add = %v", err)
	}
	if err := ix.Add(help.Topic{Body: "x"}); !errors.Is(err, help.ErrBadTopic) {
		t.Errorf("keywordless Add = %v", err)
	}
}

func TestTopicsAndRender(t *testing.T) {
	ix := help.Default()
	pub, all := ix.Topics(false), ix.Topics(true)
	if len(all) != len(pub)+3 { // goto, reboot, shutdown
		t.Errorf("%d public, %d with admin", len(pub), len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Name() >= all[i].Name() {
			t.Errorf("Topics not sorted: %q before %q", all[i-1].Name(), all[i].Name())
		}
	}
	tp, _ := ix.Lookup("quit", false)
	if r := tp.Render(); !strings.HasPrefix(r, "{WQUIT{x\nSyntax: quit\n") || !strings.HasSuffix(r, "logs you out.\n") {
		t.Errorf("Render = %q", r)
	}
}
