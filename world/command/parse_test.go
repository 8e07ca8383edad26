package command_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/troupe-mud/troupe/world/command"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     command.Command
		wantErr  error
	}{
		{"verb", "look", command.Command{Verb: "look"}, nil},
		{"upper verb", "LOOK", command.Command{Verb: "look"}, nil},
		{"squeeze", "get   sword", command.Command{Verb: "get", Args: []string{"sword"}, Rest: "sword"}, nil},
		{"trim", "   get sword  ", command.Command{Verb: "get", Args: []string{"sword"}, Rest: "sword"}, nil},
		{"two args", "give coin bob", command.Command{Verb: "give", Args: []string{"coin", "bob"}, Rest: "coin bob"}, nil},
		{"rest keeps inner spaces and case", "say Hello   THERE", command.Command{Verb: "say", Args: []string{"Hello", "THERE"}, Rest: "Hello   THERE"}, nil},
		{"say shorthand", "'hello", command.Command{Verb: "say", Args: []string{"hello"}, Rest: "hello"}, nil},
		{"say shorthand spaced", "'  hello world ", command.Command{Verb: "say", Args: []string{"hello", "world"}, Rest: "hello world"}, nil},
		{"double quote say", `"hi`, command.Command{Verb: "say", Args: []string{"hi"}, Rest: "hi"}, nil},
		{"emote shorthand", ":waves", command.Command{Verb: "emote", Args: []string{"waves"}, Rest: "waves"}, nil},
		{"comma emote", ",grins widely", command.Command{Verb: "emote", Args: []string{"grins", "widely"}, Rest: "grins widely"}, nil},
		{"bare quote", "'", command.Command{Verb: "say"}, nil},
		{"tabs", "get\tsword", command.Command{Verb: "get", Args: []string{"sword"}, Rest: "sword"}, nil},
		{"control chars dropped", "lo\x07ok\x1b", command.Command{Verb: "look"}, nil},
		{"unicode rest", "say héllo wörld", command.Command{Verb: "say", Args: []string{"héllo", "wörld"}, Rest: "héllo wörld"}, nil},
		{"empty", "", command.Command{}, command.ErrEmptyInput},
		{"blank", "  \t ", command.Command{}, command.ErrEmptyInput},
		{"only control", "\x00\x01", command.Command{}, command.ErrEmptyInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := command.Parse(tt.in)
			if !errors.Is(err, tt.wantErr) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) = %#v, %v; want %#v, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseLongLine(t *testing.T) {
	c, err := command.Parse("say " + strings.Repeat("a", 100000))
	if err != nil || len(c.Rest) != command.MaxLineLength-4 {
		t.Errorf("len(Rest) = %d, err %v", len(c.Rest), err)
	}
}

func TestArgAndRestAfter(t *testing.T) {
	c, _ := command.Parse("tell bob  hi  there ")
	if c.Arg(0) != "bob" || c.Arg(1) != "hi" || c.Arg(5) != "" || c.Arg(-1) != "" {
		t.Errorf("Arg: %q %q", c.Arg(0), c.Arg(1))
	}
	for n, want := range map[int]string{0: "bob  hi  there", 1: "hi  there", 2: "there", 3: "", 9: ""} {
		if got := c.RestAfter(n); got != want {
			t.Errorf("RestAfter(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in      string
		want    command.Target
		wantErr bool
	}{
		{"sword", command.Target{Keyword: "sword", Index: 1}, false},
		{"SWORD", command.Target{Keyword: "sword", Index: 1}, false},
		{"2.sword", command.Target{Keyword: "sword", Index: 2}, false},
		{"all.coin", command.Target{Keyword: "coin", All: true}, false},
		{"all", command.Target{All: true}, false},
		{"ALL", command.Target{All: true}, false},
		{"1.x", command.Target{Keyword: "x", Index: 1}, false},
		{"", command.Target{}, true},
		{"0.sword", command.Target{}, true},
		{"-1.sword", command.Target{}, true},
		{"two.sword", command.Target{}, true},
		{"2.", command.Target{}, true},
		{"all.", command.Target{}, true},
		{"99999999999999999999.x", command.Target{}, true},
	}
	for _, tt := range tests {
		got, err := command.ParseTarget(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, command.ErrBadTarget) {
			t.Errorf("ParseTarget(%q) error %v is not ErrBadTarget", tt.in, err)
		}
	}
}

type thing struct {
	name string
	kw   []string
}

func kws(t thing) []string { return t.kw }

func TestSelect(t *testing.T) {
	list := []thing{
		{"rusty sword", []string{"sword", "rusty"}},
		{"coin", []string{"coin", "copper"}},
		{"long sword", []string{"sword", "long"}},
		{"coin", []string{"coin", "copper"}},
		{"shield", []string{"shield"}},
	}
	tests := []struct {
		target string
		want   []int
	}{
		{"sword", []int{0}},
		{"sw", []int{0}},
		{"2.sword", []int{2}},
		{"3.sword", nil},
		{"long", []int{2}},
		{"all.coin", []int{1, 3}},
		{"all.cop", []int{1, 3}},
		{"all", []int{0, 1, 2, 3, 4}},
		{"all.axe", nil},
		{"s", []int{0}},
		{"2.s", []int{2}},
		{"3.s", []int{4}},
		{"COIN", []int{1}},
	}
	for _, tt := range tests {
		tg, err := command.ParseTarget(tt.target)
		if err != nil {
			t.Fatal(err)
		}
		if got := command.Select(list, kws, tg); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Select(%q) = %v, want %v", tt.target, got, tt.want)
		}
	}
	for target, want := range map[string]int{"2.sword": 2, "axe": -1, "all.coin": 1, "all": 0} {
		tg, _ := command.ParseTarget(target)
		if got := command.Find(list, kws, tg); got != want {
			t.Errorf("Find(%q) = %d, want %d", target, got, want)
		}
	}
	if got := command.Find([]thing(nil), kws, command.Target{All: true}); got != -1 {
		t.Errorf("Find(all) on empty = %d", got)
	}
}
