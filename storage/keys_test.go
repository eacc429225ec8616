package storage

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"zsbot"
)

// keyBuilders calls every key builder of keys.go with awkward arguments
// (braces, colons, spaces), returning the keys they make. A builder added
// to keys.go must be added here too, or TestKeysCarryTheBureauTag fails.
var keyBuilders = map[string]func(k keys) string{
	"pattern":     func(k keys) string { return k.pattern() },
	"restoreArea": func(k keys) string { return k.restoreArea() },
	"restoreStage": func(k keys) string {
		return k.restoreStage("r{1}", k.records(zsbot.KindProject))
	},
	"records":         func(k keys) string { return k.records(zsbot.KindProject) },
	"seq":             func(k keys) string { return k.seq(zsbot.KindTask) },
	"names":           func(k keys) string { return k.names(zsbot.KindCompany) },
	"nameClaims":      func(k keys) string { return k.nameClaims() },
	"dirVersion":      func(k keys) string { return k.dirVersion() },
	"dirLog":          func(k keys) string { return k.dirLog() },
	"index":           func(k keys) string { return k.index("owner:}{x}") },
	"agg":             func(k keys) string { return k.agg("d:20250101") },
	"aggPattern":      func(k keys) string { return k.aggPattern() },
	"aggChain":        func(k keys) string { return k.aggChain("E3") },
	"aggChainPattern": func(k keys) string { return k.aggChainPattern() },
	"aggUnits":        func(k keys) string { return k.aggUnits() },
	"aggVersion":      func(k keys) string { return k.aggVersion() },
	"audit":           func(k keys) string { return k.audit() },
	"undo":            func(k keys) string { return k.undo("{evil}") },
	"history":         func(k keys) string { return k.history("P1}") },
	"pick":            func(k keys) string { return k.pick("{") },
	"delivery":        func(k keys) string { return k.delivery("{msg}:1") },
	"live":            func(k keys) string { return k.live("{host}/[::]:8080") },
	"outboxQueue":     func(k keys) string { return k.outboxQueue() },
	"outboxMsgs":      func(k keys) string { return k.outboxMsgs() },
	"outboxSeq":       func(k keys) string { return k.outboxSeq() },
	"outboxLock":      func(k keys) string { return k.outboxLock() },
	"outboxDead":      func(k keys) string { return k.outboxDead() },
	"outboxDeadIDs":   func(k keys) string { return k.outboxDeadIDs() },
	"outboxMisconf":   func(k keys) string { return k.outboxMisconf() },
	"outboxAlerts":    func(k keys) string { return k.outboxAlerts() },
	"greeting":        func(k keys) string { return k.greeting("2024-12-16", "{user}") },
	"rate":            func(k keys) string { return k.rate("{room}") },
	"token":           func(k keys) string { return k.token("access_token_{corp}") },
	"claim":           func(k keys) string { return k.claim("half-monthly", "{2024-12-16}") },
	"auditRebuild":    func(k keys) string { return k.auditRebuild() },
	"probe":           func(k keys) string { return k.probe() },
}

// TestKeysCarryTheBureauTag proves that every key of a bureau hashes by the
// bureau's tag, so that every multi-key script, transaction and pipeline
// stays in one Cluster slot. It reads keys.go's source: every method of
// keys must build its result on k.prefix, and must be called above.
func TestKeysCarryTheBureauTag(t *testing.T) {
	methods := keyMethods(t)
	for _, m := range methods {
		if keyBuilders[m.name] == nil {
			t.Errorf("keys.%s is not in keyBuilders: add a call to it (keys_test.go)", m.name)
		}
		for _, pos := range m.notOnPrefix {
			t.Errorf("keys.%s returns a key not built on the bureau's prefix at %s", m.name, pos)
		}
	}
	for name := range keyBuilders {
		if !hasMethod(methods, name) {
			t.Errorf("keyBuilders calls %s, which keys.go no longer has", name)
		}
	}
	for _, bureau := range []string{"default", "高新区", "district-7"} {
		k := newKeys(bureau)
		for name, build := range keyBuilders {
			key := build(k)
			if tag := hashTag(key); tag != bureau {
				t.Errorf("keys.%s = %q hashes by %q, not by the bureau %q", name, key, tag, bureau)
			}
			if !strings.HasPrefix(key, "zs:{"+bureau+"}:") {
				t.Errorf("keys.%s = %q lacks the prefix zs:{%s}:", name, key, bureau)
			}
		}
	}
}

// TestNoKeyOutsideKeysGo fails when a storage file spells a key itself
// instead of asking keys.go.
func TestNoKeyOutsideKeysGo(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if f == "keys.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.Contains(lit.Value, "zs:") {
				t.Errorf("%s: key literal %s outside keys.go", fset.Position(lit.Pos()), lit.Value)
			}
			return true
		})
	}
}

// hashTag returns the part of key that Redis Cluster hashes: the text
// between the first "{" and the first "}" after it, if not empty.
func hashTag(key string) string {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			return key[i+1 : i+1+j]
		}
	}
	return key
}

// keyMethod is one method of keys as keys.go declares it.
type keyMethod struct {
	name        string
	notOnPrefix []string // positions of returns not built on k.prefix
}

// keyMethods parses keys.go and returns its methods on keys, checking
// that each returned expression starts with the receiver's prefix field.
func keyMethods(t *testing.T) []keyMethod {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "keys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []keyMethod
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		if id, ok := fn.Recv.List[0].Type.(*ast.Ident); !ok || id.Name != "keys" {
			continue
		}
		recv := "_"
		if names := fn.Recv.List[0].Names; len(names) == 1 {
			recv = names[0].Name
		}
		m := keyMethod{name: fn.Name.Name}
		returns := 0
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			ret, ok := n.(*ast.ReturnStmt)
			if !ok {
				return true
			}
			returns++
			if len(ret.Results) != 1 || !startsWithPrefix(ret.Results[0], recv) {
				m.notOnPrefix = append(m.notOnPrefix, fset.Position(ret.Pos()).String())
			}
			return true
		})
		if returns == 0 {
			m.notOnPrefix = append(m.notOnPrefix, fset.Position(fn.Pos()).String())
		}
		out = append(out, m)
	}
	if len(out) < len(keyBuilders)/2 {
		t.Fatalf("found only %d methods on keys in keys.go; has the type been renamed?", len(out))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// startsWithPrefix reports whether e is recv.prefix or recv.prefix + ….
func startsWithPrefix(e ast.Expr, recv string) bool {
	for {
		switch x := e.(type) {
		case *ast.BinaryExpr:
			if x.Op != token.ADD {
				return false
			}
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			id, ok := x.X.(*ast.Ident)
			return ok && id.Name == recv && x.Sel.Name == "prefix"
		default:
			return false
		}
	}
}

func hasMethod(ms []keyMethod, name string) bool {
	for _, m := range ms {
		if m.name == name {
			return true
		}
	}
	return false
}
