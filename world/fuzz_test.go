package world_test

import (
	"errors"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"github.com/troupe-mud/troupe/world"
)

// FuzzLoad feeds arbitrary bytes to the loader, seeded with the test worlds:
// it must never panic, and must either return a world or a *LoadError whose
// every problem names the file.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"../testdata/worlds/tiny", "../testdata/worlds/bad", "starter"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if data, err := os.ReadFile(dir + "/" + e.Name()); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := world.LoadFiles(fstest.MapFS{"f.yaml": {Data: data}}, "f.yaml")
		if err == nil {
			if w == nil || w.Rooms[w.Start] == nil {
				t.Fatal("nil error but no usable world")
			}
			return
		}
		var le *world.LoadError
		if w != nil || !errors.As(err, &le) || len(le.Problems) == 0 {
			t.Fatalf("w=%v err=%v", w != nil, err)
		}
		for _, p := range le.Problems {
			if p.File != "f.yaml" || p.Msg == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}

func TestUnreadableFileDoesNotCascade(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte("zone: a\nname: A\nstart: one\nrooms:\n  - id: one\n    name: One\n    description: D.\n    exits: {east: 'b:two', west: 'a:nope'}\n")},
		"b.yaml": {Data: []byte("zone: b\n name: broken\n")},
	}
	_, err := world.LoadDir(fsys, ".")
	want := "a.yaml:8: exit west leads to unknown room \"a:nope\"\nb.yaml:2: YAML syntax error: mapping values are not allowed in this context"
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}

func TestLoadDirMissingDir(t *testing.T) {
	_, err := world.LoadDir(os.DirFS("../testdata/worlds"), "does-not-exist")
	var le *world.LoadError
	if !errors.As(err, &le) || le.Problems[0].File != "does-not-exist" {
		t.Errorf("err = %v", err)
	}
	var _ fs.FS = world.GenerateGridFS(1)
}
