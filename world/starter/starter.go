package starter

import (
	"embed"
	"io/fs"

	"github.com/troupe-mud/troupe/world"
)

//go:embed *.yaml
var files embed.FS

// FS returns the starter world's area files (*.yaml at the root), for
// builders who want to copy them as a starting point and for world.LoadDir.
func FS() fs.FS { return files }

// Load parses and validates the embedded starter world. It only fails if the
// embedded files are broken, which the package's tests rule out.
func Load() (*world.World, error) { return world.LoadDir(files, ".") }
