package sim

import (
	"math/rand/v2"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/net/telnet"
)

// TestAnswerMatch feeds each answer kind troupe's own texts and the output
// of other players that must not be taken for the answer.
func TestAnswerMatch(t *testing.T) {
	const me = "Lbxcd"
	prompt := "<20/20hp 100/100mn 100/100mv> "
	room := []string{"The Village Square", "A wide square.", "[Exits: north east south]", "Lbxa is here."}
	tests := []struct {
		a      Answer
		lines  []string
		prompt string
		want   verdict
	}{
		{AnswerLook, room, prompt, vDone},
		{AnswerLook, []string{"", "Lbxa says, 'look at the exits'"}, prompt, vNone},
		{AnswerLook, []string{"Huh?"}, prompt, vUnknown},
		{AnswerMove, append([]string{"Welcome"}, room...), prompt, vDone},
		{AnswerMove, []string{"You can't go that way."}, prompt, vBlocked},
		{AnswerMove, []string{"Something blocks your way; you stay where you are."}, prompt, vBlocked},
		{AnswerMove, []string{"", "Lbxa arrives from the north."}, prompt, vNone},
		{AnswerSay, []string{"You say, 'hello there'"}, prompt, vDone},
		{AnswerSay, []string{"", "Lbxa says, 'hello there'"}, prompt, vNone},
		{AnswerEmote, []string{me + " waves."}, prompt, vDone},
		{AnswerEmote, []string{"", "Lbxcda waves."}, prompt, vNone}, // a longer name is someone else
		{AnswerChat, []string{"[chat] " + me + ": hi"}, prompt, vDone},
		{AnswerChat, []string{"", "[chat] Lbxa: hi"}, prompt, vNone},
		{AnswerWho, []string{"Players in the game:", "  " + me, "1 player."}, prompt, vDone},
		{AnswerWho, []string{"Players in the game:", "  A", "  B", "12 players."}, prompt, vDone},
		{AnswerWho, []string{"", "Lbxa says, 'two players.'"}, prompt, vNone},
		{AnswerScore, []string{"You are " + me + ".", "Hit points 20/20."}, prompt, vDone},
		{AnswerScore, []string{"You are carrying nothing."}, prompt, vNone},
		{AnswerInventory, []string{"You are carrying nothing."}, prompt, vDone},
		{AnswerInventory, []string{"You are carrying:", "  a sword"}, prompt, vDone},
		{AnswerHelp, []string{"HELP", "Syntax: help"}, prompt, vDone},
		{AnswerHelp, []string{"No help on 'x'. Try 'commands'."}, prompt, vDone},
		{AnswerEditor, []string{"Editing text (0 lines). Type .h for help, .s to save, .q to quit without saving."}, "] ", vDone},
		{AnswerEditor, []string{"That text is too long for the editor."}, prompt, vNoEditor},
		{answerEditLine, nil, "] ", vDone},
		{answerEditLine, []string{"", "Lbxa says, 'hi'"}, "] ", vAmbiguous},
		{answerEditLine, []string{"", "Lbxa says, 'hi'"}, prompt, vNone},
		{answerEditLine, []string{"Huh?"}, prompt, vNoEditor},
		{answerEditSave, []string{"Text saved."}, prompt, vNone},
		{answerEditSave, []string{"", "Description saved."}, prompt, vDone},
		{AnswerAny, []string{"anything"}, prompt, vDone},
		{AnswerAny, nil, prompt, vNone},
		{AnswerLook, []string{"Usage: look [target]"}, prompt, vUnknown},
	}
	for i, tt := range tests {
		b := &burst{lines: tt.lines, prompt: tt.prompt}
		if got := tt.a.match(b, me); got != tt.want {
			t.Errorf("%d: answer %d on %q / %q = %d, want %d", i, tt.a, tt.lines, tt.prompt, got, tt.want)
		}
	}
}

// TestGlobalKeep checks the cap on Global entries and that a capped mix
// still draws them at about the capped share.
func TestGlobalKeep(t *testing.T) {
	p := Profiles["normal"]
	keep := p.globalKeep(10000, 1, 2)
	for i, e := range p.Mix {
		want := float64(e.Weight) / float64(p.total) * 10000
		switch {
		case !e.Global && keep[i] != 1:
			t.Errorf("%s: keep %g, want 1", e.Text, keep[i])
		case e.Global && (keep[i]*want < 1.99 || keep[i]*want > 2.01):
			t.Errorf("%s: keep %g gives %g/s, want 2/s", e.Text, keep[i], keep[i]*want)
		}
	}
	for i, k := range p.globalKeep(10, 1, 2) {
		if k != 1 {
			t.Errorf("%s: a small run is capped (keep %g)", p.Mix[i].Text, k)
		}
	}
	for i, k := range p.globalKeep(10000, 1, -1) {
		if k != 1 {
			t.Errorf("%s: a negative limit still caps (keep %g)", p.Mix[i].Text, k)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	chat := 0
	const draws = 100000
	for range draws {
		if e := p.pickCapped(rng, keep); e.Text == "chat" {
			chat++
		}
	}
	// Expected share: 2 of 10000 draws per second; allow a wide margin.
	if chat > draws*10/10000 {
		t.Errorf("capped chat drawn %d times in %d, want about %d", chat, draws, draws*2/10000)
	}
}

// TestReaderLongBurst checks that a burst over the reader's limits keeps
// its first lines and its last ones (who's total), and says it dropped.
func TestReaderLongBurst(t *testing.T) {
	srv, cli := net.Pipe()
	defer srv.Close()
	defer cli.Close()
	got := make(chan any, 4)
	r := &reader{nc: cli}
	go r.runTo(func(m any) { got <- m })
	const n = 1000
	go func() {
		var b []byte
		b = append(b, "Players in the game:\r\n"...)
		for i := range n {
			b = append(b, "  Player"+strconv.Itoa(i)+"\r\n"...)
		}
		b = append(b, strconv.Itoa(n)+" players.\r\n> "...)
		b = append(b, telnet.IAC, telnet.GA)
		_ = srv.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, _ = srv.Write(b)
	}()
	select {
	case m := <-got:
		b, ok := m.(*burst)
		if !ok {
			t.Fatalf("got %T", m)
		}
		if !b.dropped || len(b.lines) != maxHeldLines+maxTailLines {
			t.Errorf("dropped %v, %d lines; want true, %d", b.dropped, len(b.lines), maxHeldLines+maxTailLines)
		}
		if b.lines[0] != "Players in the game:" || b.lines[len(b.lines)-1] != "1000 players." || b.lines[len(b.lines)-2] != "  Player999" {
			t.Errorf("first %q, last two %q", b.lines[0], b.lines[len(b.lines)-2:])
		}
		if AnswerWho.match(b, "X") != vDone {
			t.Error("who's total was lost")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no burst")
	}
}
