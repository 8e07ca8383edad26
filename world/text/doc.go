// Package text formats game output: English lists, capitalisation, exits
// lines, grouped item lists and the room view for `look`, all as strings
// carrying troupe's colour markup.
//
// Colour markup is '{' plus a letter: {r red, {g green, {y yellow, {b blue,
// {m magenta, {c cyan, {w white, {d dark grey; upper case is the bright
// variant; {x resets; {{ is a literal brace. This package only writes and
// measures markup; net/telnet renders it to ANSI (or strips it) per client.
// Text typed by players must go through Escape before it is embedded.
//
// Decisions:
//   - Nothing here wraps output to a screen width: the telnet layer knows the
//     client's width (NAWS) and wraps there. Wrap exists for the line
//     editor's .f command, which reformats text to a fixed width.
//   - Builders hard-wrap descriptions in area files; RenderRoom unwraps them
//     (Unwrap) into paragraphs so a narrow or wide client wraps them well.
//     Indented lines are kept as they are, for verse and signs.
//   - Lines end in "\n"; the telnet layer translates to CRLF.
//   - Closed doors show in the exits line in parentheses, "(north)", the way
//     several Diku derivatives do.
package text
