// Package help holds the in-game help topics: loading them from text files,
// looking them up by keyword, and suggesting a near miss.
//
// A help file is a small header, a line "---", and the text:
//
//	keywords: inventory inv i
//	title: INVENTORY
//	admin: false
//	---
//	Syntax: inventory
//
//	Lists what you are carrying.
//
// keywords is required (space- or comma-separated; the first is the topic's
// name); title defaults to the upper-cased name; admin topics are hidden from
// everyone else. Colour markup is allowed in the text.
//
// Decisions: lookup is exact keyword first, then the alphabetically first
// keyword with the query as a prefix, so results never depend on file order;
// a keyword may belong to only one topic (a clash is a load error, not a
// silent override); the default topics for every built-in command are
// embedded (Default, DefaultFS) and a game adds its own with LoadFS.
package help
