package command_test

import (
	"fmt"

	"github.com/troupe-mud/troupe/world/command"
)

func ExampleParse() {
	c, _ := command.Parse("  give   2.coin  Bob ")
	fmt.Printf("%q %q %q\n", c.Verb, c.Args, c.Rest)
	c, _ = command.Parse("'Hello  there!")
	fmt.Printf("%q %q\n", c.Verb, c.Rest)
	// Output:
	// "give" ["2.coin" "Bob"] "2.coin  Bob"
	// "say" "Hello  there!"
}

func ExampleTable() {
	type handler func(command.Command) string
	var t command.Table[handler]
	t.MustAdd(command.Entry[handler]{Name: "south", Handler: func(command.Command) string { return "You walk south." }})
	t.MustAdd(command.Entry[handler]{Name: "say", MinArgs: 1, Usage: "say <text>",
		Handler: func(c command.Command) string { return "You say, '" + c.Rest + "'" }})
	t.MustAdd(command.Entry[handler]{Name: "quit", MinAbbrev: "quit", Handler: func(command.Command) string { return "Bye." }})

	for _, line := range []string{"s", "sa hi there", "sa", "q", "sya hi"} {
		c, _ := command.Parse(line)
		e, ok := t.Lookup(c.Verb, false)
		switch {
		case !ok && t.Suggest(c.Verb, false) != "":
			fmt.Printf("Huh? Did you mean '%s'?\n", t.Suggest(c.Verb, false))
		case !ok:
			fmt.Println("Huh?")
		case !e.Accepts(len(c.Args)):
			fmt.Println("Usage: " + e.Usage)
		default:
			fmt.Println(e.Handler(c))
		}
	}
	// Output:
	// You walk south.
	// You say, 'hi there'
	// Usage: say <text>
	// Huh?
	// Huh? Did you mean 'say'?
}
