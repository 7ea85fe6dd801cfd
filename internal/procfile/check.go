package procfile

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// Env is what Check knows about the finished build.
type Env struct {
	// App is the build directory after the build: the slug's root and
	// $HOME on the dyno.
	App fs.FS
	// Binaries are the programs the build produced, relative to App
	// ("app"), used to suggest the right command.
	Binaries []string
	// ToolchainKept says the go command is in the slug and on PATH at
	// runtime (GO_INSTALL_TOOLS_IN_IMAGE, Heroku CI).
	ToolchainKept bool
	// HasCommand reports whether the stack provides a command by that name
	// on the dyno's PATH. Nil means unknown: bare command names are then
	// only checked against the slug's bin directory.
	HasCommand func(name string) bool
}

// Warning is a problem in a Procfile the build goes on with.
type Warning struct {
	File    string // Procfile, or the misnamed file
	Line    int    // 1-based; 0 for the whole file
	Message string
}

// String formats the warning for the build log: "Procfile:3: message".
func (w Warning) String() string {
	if w.Line == 0 {
		return w.File + ": " + w.Message
	}
	return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
}

// Check returns the mistakes in f that would make the app misbehave on
// Heroku, ordered by line: lines Heroku ignores, process types declared
// twice, Windows line endings and byte order marks, commands that need
// the go command, and commands whose program the build did not produce.
// The warnings quote the Procfile with output.Excerpt.
func Check(f *File, env Env) []Warning {
	var ws []Warning
	add := func(line int, format string, args ...any) {
		ws = append(ws, Warning{File: Name, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	if f.BOM {
		first := "line 1"
		if len(f.Ignored) > 0 && f.Ignored[0].Number == 1 {
			if m := entryRE.FindStringSubmatch(strings.TrimPrefix(f.Ignored[0].Text, bom)); m != nil {
				first = "the " + output.Excerpt(m[1]) + " process type"
			}
		}
		add(1, "the file starts with a UTF-8 byte order mark (BOM), so Heroku does not see %s; save the Procfile as UTF-8 without BOM", first)
	}
	if f.CRLFLine > 0 {
		add(f.CRLFLine, "Windows line endings (CR LF): the CR can end up in the command, which then fails with \"No such file or directory\"; save the Procfile with LF line endings (`dos2unix Procfile`)")
	}
	for _, l := range f.Ignored {
		if l.Number == 1 && f.BOM {
			continue
		}
		add(l.Number, "Heroku ignores this line: %s", whyIgnored(l.Text))
	}
	first := map[string]int{}
	for _, e := range f.Entries {
		if line, ok := first[e.Type]; ok {
			add(e.Line, "process type %s is declared again (first on line %d); Heroku runs this line's command and ignores the earlier one", output.Excerpt(e.Type), line)
		} else {
			first[e.Type] = e.Line
		}
	}
	if _, ok := first["web"]; !ok {
		for _, e := range f.Entries {
			if strings.EqualFold(e.Type, "web") {
				add(e.Line, "process type %s is not web: Heroku routes HTTP requests only to a process type named exactly web; write `web: %s`", output.Excerpt(e.Type), output.Excerpt(strings.TrimSpace(e.Command)))
				break
			}
		}
	}
	for _, e := range f.Entries {
		for _, msg := range checkCommand(e, env) {
			add(e.Line, "%s", msg)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Line < ws[j].Line })
	return ws
}

// Shown returns the warnings a build log shows of ws (in Check's order:
// by file, then by line): those on the first output.MaxListed lines with
// problems of each file, then, for a file with more, one that counts them.
func Shown(ws []Warning) []Warning {
	type state struct {
		lines, last, more int
	}
	files := map[string]*state{}
	var order []string
	var shown []Warning
	for _, w := range ws {
		st := files[w.File]
		if st == nil {
			st = &state{last: -1}
			files[w.File] = st
			order = append(order, w.File)
		}
		newLine := w.Line != st.last || w.Line == 0
		st.last = w.Line
		if newLine {
			st.lines++
		}
		if st.lines <= output.MaxListed {
			shown = append(shown, w)
		} else if newLine {
			st.more++
		}
	}
	for _, file := range order {
		switch more := files[file].more; {
		case more == 1:
			shown = append(shown, Warning{File: file, Message: "1 more line has problems; fix the ones above, then build again to see the next"})
		case more > 1:
			shown = append(shown, Warning{File: file, Message: fmt.Sprintf("%d more lines have problems; fix the ones above, then build again to see the next", more)})
		}
	}
	return shown
}

// Misnamed returns a warning for each file in the root of fsys that was
// probably meant as the Procfile, when there is no Procfile: Heroku reads
// only a file named exactly Procfile.
func Misnamed(fsys fs.FS) []Warning {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil
	}
	var ws []Warning
	for _, e := range entries {
		if e.Name() == Name {
			return nil
		}
	}
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(name, path.Ext(name))
		if strings.EqualFold(base, Name) && !e.IsDir() {
			ws = append(ws, Warning{File: output.Excerpt(name), Message: fmt.Sprintf("Heroku reads process types only from a file named exactly %s; rename it with `git mv %s %s`", Name, output.Excerpt(name), Name)})
		}
	}
	return ws
}

// InSubdirectory returns a warning when the app's directory dir (relative
// to the repository root, e.g. "services/api") holds a Procfile: Heroku
// reads process types only from the Procfile at the root.
func InSubdirectory(fsys fs.FS, dir string) []Warning {
	if dir == "." || dir == "" {
		return nil
	}
	file := path.Join(dir, Name)
	if info, err := fs.Stat(fsys, file); err != nil || info.IsDir() {
		return nil
	}
	file = output.Excerpt(file)
	msg := fmt.Sprintf("Heroku reads process types only from the Procfile at the root of the repository, not from %s; move it to the root (its commands run there, where ./app and bin/ are)", file)
	if _, err := fs.Stat(fsys, Name); err == nil {
		msg = fmt.Sprintf("Heroku reads process types only from the root Procfile; %s is not read: merge its lines into the root Procfile and remove it", file)
	}
	return []Warning{{File: file, Message: msg}}
}

// whyIgnored says why a line does not match Heroku's pattern.
func whyIgnored(text string) string {
	trimmed := strings.TrimSpace(text)
	if text != strings.TrimLeft(text, " \t") && entryRE.MatchString(trimmed) {
		return fmt.Sprintf("it starts with whitespace; write `%s` at the start of the line", output.Excerpt(trimmed))
	}
	typ, cmd, ok := strings.Cut(trimmed, ":")
	if !ok {
		if word, rest, ok := strings.Cut(trimmed, " "); ok && validType(word) {
			return fmt.Sprintf("it has no colon after the process type; write `%s: %s`", output.Excerpt(word), output.Excerpt(strings.TrimSpace(rest)))
		}
		return "it is not `type: command` (e.g. `web: ./app`)"
	}
	if typ == "" {
		return "it has no process type before the colon (e.g. `web: ./app`)"
	}
	if !validType(typ) {
		return fmt.Sprintf("process type \"%s\" may contain only letters, digits, _ and -", output.Excerpt(typ))
	}
	if strings.TrimSpace(cmd) == "" {
		return fmt.Sprintf("process type %s has no command after the colon", output.Excerpt(typ))
	}
	return "it is not `type: command` (e.g. `web: ./app`)"
}

func validType(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// checkCommand returns what is wrong with the programs an entry runs.
func checkCommand(e Entry, env Env) []string {
	if strings.TrimSpace(e.Command) == "" {
		return []string{fmt.Sprintf("process type %s has an empty command", output.Excerpt(e.Type))}
	}
	typ := output.Excerpt(e.Type)
	suggest := "the binary the build produced"
	if len(env.Binaries) > 0 {
		suggest = "`" + typ + ": ./" + env.Binaries[0] + "`"
	}
	var msgs []string
	for _, sc := range simpleCommands(e.Command) {
		prog, ok := program(sc)
		if !ok {
			continue
		}
		if prog == "go" {
			if !env.ToolchainKept {
				msgs = append(msgs, fmt.Sprintf("%s runs `%s`, but the Go toolchain is not in the slug, so the dyno has no go command; the build already compiled the app: use %s (or set the GO_INSTALL_TOOLS_IN_IMAGE config var to true to keep the toolchain)", typ, output.Excerpt(strings.Join(sc, " ")), suggest))
			}
			continue
		}
		if env.App == nil {
			continue
		}
		if msg := checkProgram(typ, prog, env, suggest); msg != "" {
			msgs = append(msgs, msg)
		}
	}
	return msgs
}

// checkProgram checks that the program a command starts exists in the
// slug (paths) or on the dyno's PATH (bare names). typ is an excerpt.
func checkProgram(typ, prog string, env Env, suggest string) string {
	rel, isPath := slugPath(prog)
	if isPath {
		if rel == "" {
			return ""
		}
		return checkFile(typ, prog, rel, env, suggest)
	}
	if strings.ContainsAny(prog, "$`*?[") || shellWords[prog] {
		return ""
	}
	if _, err := fs.Stat(env.App, path.Join("bin", prog)); err == nil {
		return checkFile(typ, prog, path.Join("bin", prog), env, suggest)
	}
	if env.HasCommand == nil || env.HasCommand(prog) {
		return ""
	}
	if info, err := fs.Stat(env.App, prog); err == nil && !info.IsDir() {
		p := output.Excerpt(prog)
		return fmt.Sprintf("%s runs `%s`, which is not on the dyno's PATH; the build put it at ./%s: write `%s: ./%s`", typ, p, p, typ, p)
	}
	return fmt.Sprintf("%s runs `%s`, which is neither in the slug's bin/ nor a command of the stack; use %s", typ, output.Excerpt(prog), suggest)
}

// checkFile checks a program at rel in the slug. One the build produced
// is there and runs: a Cloud Native Buildpack's ./app is a link into a
// layer, outside the app, which env.App does not follow.
func checkFile(typ, prog, rel string, env Env, suggest string) string {
	if slices.Contains(env.Binaries, rel) {
		return ""
	}
	info, err := fs.Stat(env.App, rel)
	prog, rel = output.Excerpt(prog), output.Excerpt(rel)
	switch {
	case err != nil:
		return fmt.Sprintf("%s runs %s, which the build did not produce; use %s", typ, prog, suggest)
	case info.IsDir():
		return fmt.Sprintf("%s runs %s, which is a directory; use %s", typ, prog, suggest)
	case info.Mode().Perm()&0o111 == 0:
		return fmt.Sprintf("%s runs %s, which is not executable; run `chmod +x %s` (or `git update-index --chmod=+x %s`) and commit it", typ, prog, rel, rel)
	}
	return ""
}

// slugPath maps a program path to a path relative to the slug's root.
// isPath is false for bare command names; rel is "" for paths outside the
// slug (system programs such as /bin/sh) and paths the check cannot follow.
func slugPath(prog string) (rel string, isPath bool) {
	if !strings.Contains(prog, "/") {
		return "", false
	}
	for _, home := range []string{"$HOME/", "${HOME}/", "~/", "/app/"} {
		if rest, ok := strings.CutPrefix(prog, home); ok {
			prog = rest
			break
		}
	}
	if strings.HasPrefix(prog, "/") || strings.ContainsAny(prog, "$`*?[") {
		return "", true
	}
	rel = path.Clean(prog)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", true
	}
	return rel, true
}

// shellWords are builtins and keywords: no program to look for.
var shellWords = map[string]bool{
	".": true, ":": true, "[": true, "[[": true, "alias": true, "break": true, "builtin": true,
	"cd": true, "continue": true, "declare": true, "echo": true, "eval": true, "exit": true,
	"export": true, "false": true, "hash": true, "kill": true, "let": true, "local": true,
	"printf": true, "pwd": true, "read": true, "return": true, "set": true, "shift": true,
	"source": true, "test": true, "trap": true, "true": true, "type": true, "ulimit": true,
	"umask": true, "unset": true, "wait": true, "}": true, "fi": true, "done": true, "esac": true,
}

// program returns the program a simple command starts, skipping variable
// assignments and the words that only run the next one (exec, env, ...).
// ok is false when the command cannot be followed (loops, functions).
func program(words []string) (string, bool) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case isAssignment(w):
		case w == "exec" || w == "command" || w == "nohup" || w == "time" || w == "env":
		case strings.HasPrefix(w, "-") && i > 0 && (words[i-1] == "env" || words[i-1] == "exec" || words[i-1] == "command"):
		case w == "if" || w == "then" || w == "else" || w == "elif" || w == "do" || w == "while" || w == "until" || w == "!" || w == "{":
		case w == "for" || w == "case" || w == "select" || w == "function":
			return "", false
		default:
			return w, true
		}
	}
	return "", false
}

func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// simpleCommands splits a command line into its simple commands (split at
// ; & && || | ( ) and newlines outside quotes) and each into words, with
// quotes removed. A word starting with # ends the line.
func simpleCommands(line string) [][]string {
	var (
		cmds      [][]string
		words     []string
		word      strings.Builder
		inWord    bool
		quote     rune
		prev      rune
		commented bool
	)
	endWord := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	runes := []rune(line)
	for i, r := range runes {
		if commented {
			break
		}
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				word.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote = r
			inWord = true
		case r == '#' && !inWord:
			commented = true
		case r == ' ' || r == '\t':
			endWord()
		case r == '&' && (prev == '>' || prev == '<' || next == '>'):
			word.WriteRune(r)
			inWord = true
		case r == ';' || r == '&' || r == '|' || r == '(' || r == ')' || r == '\n':
			endCmd()
		default:
			word.WriteRune(r)
			inWord = true
		}
		prev = r
	}
	endCmd()
	return cmds
}
