// Package editor is the line editor behind the socket API's EditText: a
// pure state machine that takes one line of input at a time and answers
// with output lines and whether editing is over.
//
// Commands are dot commands on a line of their own: .h help, .s save and
// exit, .q quit without saving, .l list with line numbers, .c clear, .d N
// delete, .i N text insert before line N, .r N text replace, .f [width]
// reformat paragraphs, .u undo. Any other line is appended.
//
// Decisions:
//   - The state is the exported Editor struct with msgpack tags, nothing
//     else: no closures, no pointers to the world. The connection actor keeps
//     the onDone continuation as its own plain value next to it, and can
//     snapshot both so editing survives a restart of the game process.
//   - Two modes. Text mode trims trailing spaces and turns tabs into spaces;
//     script mode keeps every line byte for byte (tabs included) and refuses
//     .f, because reflowing code destroys it. .i and .r take the text after
//     exactly one space following N, so indentation survives in script mode.
//   - A line starting with ".." appends the line minus its first dot: the
//     escape for text that really starts with a dot.
//   - Bounds: MaxLines and MaxBytes. A change that would go over them is
//     refused with a message and nothing already typed is lost. The undo
//     history keeps at most MaxUndo snapshots (oldest dropped), so an
//     editor's memory is bounded by about (MaxUndo+1) × MaxBytes.
//   - Output is escaped for colour markup (text.Escape) so listing a
//     description shows its codes instead of rendering them.
package editor
