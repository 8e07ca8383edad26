package conn

import "strings"

// Expand replaces each [name] in template with lookup(name). Names are
// letters, digits, '_' and '.', e.g. [name] or [me.account.name]; an
// unknown name renders visibly as [?name]; "[[" is a literal "[". Nothing
// in template is ever evaluated as code.
func Expand(template string, lookup func(name string) (string, bool)) string {
	if strings.IndexByte(template, '[') < 0 {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + 16)
	for i := 0; i < len(template); {
		c := template[i]
		if c != '[' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(template) && template[i+1] == '[' {
			b.WriteByte('[')
			i += 2
			continue
		}
		end := i + 1
		for end < len(template) && isVarByte(template[end]) {
			end++
		}
		if end == i+1 || end >= len(template) || template[end] != ']' {
			b.WriteByte('[') // not a variable: keep the bracket as text
			i++
			continue
		}
		name := template[i+1 : end]
		if v, ok := lookup(name); ok {
			b.WriteString(v)
		} else {
			b.WriteString("[?")
			b.WriteString(name)
			b.WriteByte(']')
		}
		i = end + 1
	}
	return b.String()
}

func isVarByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' ||
		(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
