package bot

import (
	"encoding/xml"
	"testing"
)

// flatSeeds are callback documents: WeCom's layouts, and near misses that
// must go to encoding/xml.
var flatSeeds = []string{
	"<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
	"<xml>\n<ToUserName><![CDATA[c]]></ToUserName>\n<FromUserName><![CDATA[u]]></FromUserName>\n<CreateTime>1348831860</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[签约 诺比侃 51亿]]></Content>\n<MsgId>1234567890123456</MsgId>\n<AgentID>1</AgentID>\n</xml>",
	"<xml><FromUserName>u</FromUserName><MsgType>event</MsgType><Event>enter_agent</Event><EventKey></EventKey><CreateTime>1</CreateTime></xml>",
	"<xml><Content>a&amp;b</Content></xml>", "<xml><Content>a\r\nb</Content></xml>", "<?xml version=\"1.0\"?><xml><MsgType>text</MsgType></xml>",
	"<xml a=\"b\"><MsgType>text</MsgType></xml>", "<xml><MsgType>text</MsgType><MsgType>image</MsgType></xml>",
	"<xml><Content>a<![CDATA[b]]></Content></xml>", "<xml><CreateTime> 12</CreateTime></xml>", "<xml><CreateTime>+12</CreateTime></xml>",
	"<xml><Content><a/></Content></xml>", "<xml><!-- c --><MsgType>text</MsgType></xml>", "<xml><MsgType>text</MsgType></xml>trailing",
	"<root><MsgType>text</MsgType></root>", "<xml><Content>\x01</Content></xml>", "<xml><Content>\xff</Content></xml>", "<xml><Content>a>b</Content></xml>",
	"<xml><Location_X>23.1</Location_X><MsgType>location</MsgType></xml>", "<xml></xml>", " <xml> </xml> ",
}

// FuzzFlatXML is the differential test of the fast reader: whatever
// document it accepts, it reads exactly as encoding/xml does.
func FuzzFlatXML(f *testing.F) {
	for _, s := range flatSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if e, ok := flatEnvelope(doc); ok {
			var want Envelope
			if err := xml.Unmarshal(doc, &want); err != nil || *e != want {
				t.Fatalf("flat envelope %+v, encoding/xml %+v (%v) for %q", *e, want, err, doc)
			}
		}
		if m, ok := flatInbound(doc); ok {
			var want Inbound
			if err := xml.Unmarshal(doc, &want); err != nil || *m != want {
				t.Fatalf("flat message %+v, encoding/xml %+v (%v) for %q", *m, want, err, doc)
			}
		}
	})
}

// TestFlatXMLTakesWeComLayouts makes sure the fast reader is the one that
// reads WeCom's real layouts (else the benchmarks measure encoding/xml).
func TestFlatXMLTakesWeComLayouts(t *testing.T) {
	for _, s := range flatSeeds[:3] {
		if _, ok := flatInbound([]byte(s)); !ok {
			t.Errorf("not flat: %q", s)
		}
	}
	for _, s := range flatSeeds[3:18] {
		if _, ok := flatInbound([]byte(s)); ok {
			t.Errorf("flat, but should go to encoding/xml: %q", s)
		}
	}
}
