package conn

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/world/editor"
)

// EditorPrompt is the prompt shown while the line editor is open.
const EditorPrompt = "] "

// OnDone says where an editor session reports its end: *msg.EditDone with
// Tag is sent to To. It is a plain value (not a closure) so that an open
// editor can be snapshotted and survive a game restart.
type OnDone struct {
	To  *actor.PID
	Tag string
}

// Editor is the input handler of the line editor: its whole state is the
// editor value (lines, undo history, limits) and where to report.
type Editor struct {
	Ed     *editor.Editor
	OnDone OnDone
}

// HandleLine implements Handler: every line goes to the editor; .s and .q
// end the session.
func (e *Editor) HandleLine(s *Socket, line string) {
	res := e.Ed.Handle(line)
	for _, l := range res.Output {
		s.SendRaw(l + "\n")
	}
	if !res.Done {
		return
	}
	s.PopIH()
	if e.OnDone.To != nil {
		s.Context().Send(e.OnDone.To, &msg.EditDone{Tag: e.OnDone.Tag, Text: res.Text, Saved: res.Saved})
	}
}

// EditText opens the line editor on initial text in mode "text" or
// "script" on top of the stack; onDone gets the result. A text over the
// editor's limits is refused with a message and nothing is opened.
func (s *Socket) EditText(initial string, onDone OnDone, mode string) {
	m := editor.ModeText
	if mode == "script" {
		m = editor.ModeScript
	}
	ed, err := editor.New(initial, m)
	if err != nil {
		s.Send("That text is too long for the editor.", nil)
		if onDone.To != nil {
			s.Context().Send(onDone.To, &msg.EditDone{Tag: onDone.Tag})
		}
		return
	}
	for _, l := range ed.Intro() {
		s.SendRaw(l + "\n")
	}
	s.PushIH(&Editor{Ed: ed, OnDone: onDone}, EditorPrompt, "editor")
}
