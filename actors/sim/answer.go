package sim

import (
	"strings"
)

// Answer names the marker that identifies the server's answer to a
// command. troupe shows the game prompt only after output (every burst of
// output ends with one prompt), and output that other players cause comes
// as bursts of its own at any time, so a command is complete at the prompt
// that ends the first burst holding its marker; the bursts before it are
// counted as unsolicited output. The markers are troupe's own texts
// (actors/character, actors/room, actors/conn's editor, world/text).
type Answer uint8

// Answers.
const (
	// AnswerAny takes the first burst with text (for custom entries whose
	// answer has no fixed text).
	AnswerAny Answer = iota
	// AnswerLook: the room's exits line "[Exits: …]".
	AnswerLook
	// AnswerMove: the new room's exits line, or one of the refusals
	// ("You can't go that way.", "Something blocks your way…", …).
	AnswerMove
	// AnswerSay: "You say, '…'".
	AnswerSay
	// AnswerEmote: a line that starts with the character's own name.
	AnswerEmote
	// AnswerChat: "[chat] Name: …" with the character's own name.
	AnswerChat
	// AnswerWho: the closing "N players." (or "1 player.").
	AnswerWho
	// AnswerScore: "You are Name.".
	AnswerScore
	// AnswerInventory: "You are carrying…".
	AnswerInventory
	// AnswerHelp: the help topic's title line "HELP", or "No help on '…'".
	AnswerHelp
	// AnswerEditor: the line editor's intro "Editing …" (the prompt that
	// follows is the editor's "] "), or its refusal.
	AnswerEditor

	answerEditLine // a line typed into the editor: its "] " prompt
	answerEditSave // ".s": "Description saved." (after the editor's "Text saved.")
)

// verdict is what a burst says about the command in flight.
type verdict uint8

const (
	vNone      verdict = iota // not the answer: unsolicited output
	vDone                     // the answer
	vUnknown                  // "Huh?" or a usage line: answered, but not understood
	vBlocked                  // a move the room refused
	vNoEditor                 // the editor did not open: drop the editor script
	vAmbiguous                // an editor prompt that also carried other output
)

// moveRefusals are the answers of a move that leaves the player where it
// is (actors/room and actors/character).
var moveRefusals = []string{
	"You can't go that way.",
	"Something blocks your way",
	"The door is closed.",
	"You are already on your way.",
	"You are not quite here yet.",
}

// match reads one burst as the possible answer to a command expecting a;
// name is the player's character (for emote, chat and score).
func (a Answer) match(b *burst, name string) verdict {
	if a == answerEditLine {
		// The editor answers a plain line with its prompt alone. Output
		// from elsewhere can share the burst; the stream cannot tell, so
		// such a burst still completes the line but is counted.
		if strings.TrimSpace(b.prompt) == strings.TrimSpace(editorPrompt) {
			if hasText(b.lines) {
				return vAmbiguous
			}
			return vDone
		}
	}
	for _, raw := range b.lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "Huh?") || strings.HasPrefix(l, "Usage: ") {
			if a == answerEditLine || a == answerEditSave {
				return vNoEditor
			}
			return vUnknown
		}
		if v := a.matchLine(l, name); v != vNone {
			return v
		}
	}
	if a == AnswerAny && hasText(b.lines) {
		return vDone
	}
	return vNone
}

// editorPrompt is actors/conn's EditorPrompt.
const editorPrompt = "] "

func (a Answer) matchLine(l, name string) verdict {
	switch a {
	case AnswerLook:
		if isExitsLine(l) {
			return vDone
		}
	case AnswerMove:
		if isExitsLine(l) {
			return vDone
		}
		for _, r := range moveRefusals {
			if strings.HasPrefix(l, r) {
				return vBlocked
			}
		}
	case AnswerSay:
		if strings.HasPrefix(l, "You say, '") {
			return vDone
		}
	case AnswerEmote:
		if name != "" && strings.HasPrefix(l, name+" ") {
			return vDone
		}
	case AnswerChat:
		if name != "" && strings.HasPrefix(l, "[chat] "+name+":") {
			return vDone
		}
	case AnswerWho:
		if isWhoTotal(l) {
			return vDone
		}
	case AnswerScore:
		if name != "" && l == "You are "+name+"." {
			return vDone
		}
	case AnswerInventory:
		if strings.HasPrefix(l, "You are carrying") {
			return vDone
		}
	case AnswerHelp:
		if l == "HELP" || strings.HasPrefix(l, "No help on '") {
			return vDone
		}
	case AnswerEditor:
		switch {
		case strings.HasPrefix(l, "Editing "):
			return vDone
		case strings.Contains(l, "too long for the editor"):
			return vNoEditor
		}
	case answerEditSave:
		if strings.HasPrefix(l, "Description saved.") || strings.HasPrefix(l, "Description unchanged.") {
			return vDone
		}
	}
	return vNone
}

// isExitsLine reports whether l is a room's exits line: troupe's
// "[Exits: north east]", or a plain "Exits: …".
func isExitsLine(l string) bool {
	return strings.HasPrefix(l, "[Exits:") || strings.HasPrefix(l, "Exits:")
}

// isWhoTotal reports whether l is who's closing line, "12 players." or
// "1 player.".
func isWhoTotal(l string) bool {
	num, rest, ok := strings.Cut(l, " ")
	if !ok || num == "" || (rest != "players." && rest != "player.") {
		return false
	}
	for _, r := range num {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
