package bot

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// WeCom's callbacks are flat XML documents of a fixed shape: an <xml> root
// whose children each hold one CDATA section or one run of plain text.
// encoding/xml reads them correctly but costs more than the AES and SHA-1
// of the request together, so the callback first tries readFlat, which
// accepts only documents of exactly that shape, and leaves everything else
// (declarations, comments, attributes, entities, carriage returns, nested
// or repeated elements, mixed text) to encoding/xml. A differential fuzz
// test holds that for every document readFlat accepts, it reads what
// encoding/xml reads.

// readFlat calls set for each child element of a flat <xml> document with
// its name and text, and reports whether the document was flat. set
// returns false for a value it cannot take, which makes the document not
// flat. A name may appear once. Names and texts are slices of doc.
func readFlat(doc []byte, set func(name, text []byte) bool) bool {
	rest, ok := bytes.CutPrefix(skipSpace(doc), []byte("<xml>"))
	if !ok {
		return false
	}
	var seenArr [16][]byte
	seen := seenArr[:0]
	for {
		rest = skipSpace(rest)
		if after, ok := bytes.CutPrefix(rest, []byte("</xml>")); ok {
			return len(skipSpace(after)) == 0
		}
		if len(rest) < 2 || rest[0] != '<' {
			return false
		}
		end := bytes.IndexByte(rest, '>')
		if end < 2 {
			return false
		}
		name := rest[1:end]
		if !plainName(name) {
			return false
		}
		for _, s := range seen {
			if bytes.Equal(s, name) {
				return false
			}
		}
		seen = append(seen, name)
		rest = rest[end+1:]
		var text []byte
		if after, ok := bytes.CutPrefix(rest, []byte("<![CDATA[")); ok {
			i := bytes.Index(after, []byte("]]>"))
			if i < 0 {
				return false
			}
			text, rest = after[:i], after[i+3:]
		} else {
			i := bytes.IndexByte(rest, '<')
			if i < 0 {
				return false
			}
			text, rest = rest[:i], rest[i:]
			if bytes.IndexByte(text, '&') >= 0 || bytes.IndexByte(text, '>') >= 0 {
				return false
			}
		}
		// The closing tag: </name>.
		if !xmlChars(text) || len(rest) < len(name)+3 || rest[0] != '<' || rest[1] != '/' ||
			!bytes.Equal(rest[2:2+len(name)], name) || rest[2+len(name)] != '>' {
			return false
		}
		rest = rest[len(name)+3:]
		if !set(name, text) {
			return false
		}
	}
}

// xmlChars reports whether text is valid UTF-8 of characters XML allows,
// without carriage returns (which XML reads as line feeds).
func xmlChars(text []byte) bool {
	for len(text) > 0 {
		c := text[0]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' {
				return false
			}
			text = text[1:]
			continue
		}
		r, n := utf8.DecodeRune(text)
		if r == utf8.RuneError && n == 1 || r == 0xfffe || r == 0xffff {
			return false
		}
		text = text[n:]
	}
	return true
}

// skipSpace drops the XML white space (no carriage returns) b starts with.
func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n') {
		b = b[1:]
	}
	return b
}

// plainName reports whether s is a name of ASCII letters, digits and '_'
// starting with a letter: the names WeCom uses.
func plainName(s []byte) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '_')) {
			return false
		}
	}
	return len(s) > 0
}

// flatEnvelope reads a flat envelope.
func flatEnvelope(body []byte) (*Envelope, bool) {
	var e Envelope
	ok := readFlat(body, func(name, text []byte) bool {
		switch string(name) {
		case "ToUserName":
			e.ToUserName = string(text)
		case "Encrypt":
			e.Encrypt = string(text)
		case "AgentID":
			e.AgentID = string(text)
		}
		return true
	})
	return &e, ok
}

// flatInbound reads a flat decrypted message.
func flatInbound(plain []byte) (*Inbound, bool) {
	var m Inbound
	ok := readFlat(plain, func(name, text []byte) bool {
		switch string(name) {
		case "ToUserName":
			m.ToUserName = string(text)
		case "FromUserName":
			m.FromUserName = string(text)
		case "CreateTime":
			n, err := strconv.ParseInt(string(text), 10, 64)
			if err != nil || len(text) > 0 && (text[0] == '+' || text[0] == '-') {
				return false // encoding/xml decides
			}
			m.CreateTime = n
		case "MsgType":
			m.MsgType = string(text)
		case "Content":
			m.Content = string(text)
		case "MsgId":
			m.MsgID = string(text)
		case "AgentID":
			m.AgentID = string(text)
		case "Event":
			m.Event = string(text)
		case "EventKey":
			m.EventKey = string(text)
		}
		return true
	})
	return &m, ok
}
