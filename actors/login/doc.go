// Package login is the login flow: the input handlers a connection runs
// from the greeting to the game, and the play handler that forwards game
// input to the character.
//
// The prompts and messages are fixed (clients' triggers and the load
// tester rely on them):
//
//	Account name:                      (alphanumeric, 3-20)
//	Account 'NAME' does not exist. Create it? (y/n)
//	Create account:                    (y/yes creates; anything else: Goodbye!)
//	Password:                          (hidden with ECHO; new ones at least 6 long)
//	Account created successfully!
//	Welcome back, NAME!                (or "Invalid password." and close)
//	--- Character Selection ---        (1..n, "N. Create new character", "0. Quit")
//	Choice:                            ("Please enter a number." / "Invalid choice.")
//	What would you like to name your character?
//	Character name:                    (letters, 3-15, unique)
//	Character 'Name' created!
//	Welcome to the game!
//
// Each handler is a plain value with its state in fields. Work that must
// not block the connection — loading an account, hashing a password,
// creating a character — is a request to the store, auth or characters
// actor; the reply comes back to the connection and is handed to the
// handler that is on top (MessageHandler), which matches it by its
// expected type. While a handler waits, typed lines are answered "One
// moment, please." and dropped.
package login
