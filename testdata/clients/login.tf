; troupe end-to-end test (cmd/troupe): TinyFugue 5 logs into an existing
; account and picks the first character from the menu. tf5 sees text that
; ends in IAC EOR as a prompt, so the triggers are PROMPT hooks; -n1 makes
; each fire once (a blank line makes the server repeat its prompt). The
; test replaces the upper-case placeholders and drives the game itself
; with tmux send-keys.
/def -n1 -h"PROMPT *Account name:*" t_account = /send ACCOUNT
/def -n1 -h"PROMPT *Password:*" t_password = /send PASSWORD
/def -n1 -h"PROMPT *Choice:*" t_choice = /send 1
