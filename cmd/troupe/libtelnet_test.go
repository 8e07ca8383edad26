package main

import (
	"context"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/server/servertest"
)

// TestLibtelnetMSSPRequest drives libtelnet's stdin-driven telnet-client
// against troupe with one player in the game: the plaintext MSSP-REQUEST
// line typed at the account prompt gets an MSSP-REPLY-START ...
// MSSP-REPLY-END block with NAME and PLAYERS, and the connection stays
// open: the account prompt still works afterwards.
func TestLibtelnetMSSPRequest(t *testing.T) {
	bin := needBinary(t, "telnet-client")
	srv := startServer(t)

	// One player in the game, so PLAYERS is 1 (not a default 0).
	player := servertest.Dial(t, srv.Addr().String())
	createCharacter(player, "msspplayer", "secret1", "Playa")
	playing := func() int {
		n := 0
		for _, s := range srv.Sockets.Load() {
			if s.Character != "" {
				n++
			}
		}
		return n
	}
	if !waitFor(5*time.Second, func() bool { return playing() == 1 }) {
		t.Fatalf("the socket list never showed the player: %+v", srv.Sockets.Load())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "127.0.0.1", strconv.Itoa(srv.Addr().(*net.TCPAddr).Port))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	defer func() {
		_ = stdin.Close()
		select {
		case <-waitErr:
		case <-ctx.Done():
			t.Error("telnet-client did not exit")
		}
	}()
	wait := func(s string, after int) int {
		t.Helper()
		var i int
		if !waitFor(10*time.Second, func() bool {
			i = strings.Index(out.String()[after:], s)
			return i >= 0
		}) {
			t.Fatalf("telnet-client: no %q; output:\n%s", s, out.String())
		}
		return after + i + len(s)
	}
	send := func(line string) {
		t.Helper()
		if _, err := io.WriteString(stdin, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}

	pos := wait("Account name: ", 0)
	if strings.Contains(out.String(), "MSSP-REPLY-START") {
		t.Fatalf("an MSSP reply before the request:\n%s", out.String())
	}
	send("MSSP-REQUEST")
	start := wait("MSSP-REPLY-START", pos)
	end := wait("MSSP-REPLY-END", start)
	block := out.String()[start:end]
	fields := map[string]string{}
	for _, line := range strings.Split(block, "\n") {
		if k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), "\t"); ok {
			fields[k] = v
		}
	}
	if fields["NAME"] != "troupe-e2e" || fields["PLAYERS"] != "1" || fields["UPTIME"] == "" {
		t.Errorf("MSSP block: NAME %q PLAYERS %q UPTIME %q; want troupe-e2e, 1, set\n%q", fields["NAME"], fields["PLAYERS"], fields["UPTIME"], block)
	}

	// Still connected, still at the account prompt.
	send("msspvisitor")
	wait("Account 'msspvisitor' does not exist. Create it? (y/n)", end)
	send("n")
	wait("Goodbye!", end)
	player.Send("quit")
	player.ExpectClosed()
}
