package bot_test

import (
	"bytes"
	"errors"
	"testing"

	"zsbot/bot"
)

// The fuzz targets of the callback's input: the XML envelope, the
// decrypted message and the decryptor. Every input must give a value or an
// error — never a panic, never a hang — and what is encrypted decrypts
// back. CI runs the seeds; BENCHMARKS.md gives the command for a long run.

func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte("<xml><ToUserName><![CDATA[" + vectorA.receiveID + "]]></ToUserName><Encrypt><![CDATA[" + vectorA.encrypt + "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"))
	f.Add([]byte("<xml><Encrypt>a&amp;b</Encrypt></xml>"))
	f.Add([]byte("<?xml version=\"1.0\"?><root a='1'><Encrypt><![CDATA[x]]></Encrypt><!-- c --></root>"))
	f.Add([]byte("<xml><Encrypt></Encrypt></xml>"))
	f.Add([]byte("<xml>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := bot.ParseEnvelope(body)
		if err == nil && (e == nil || e.Encrypt == "") {
			t.Fatalf("ParseEnvelope(%q) = %+v without an error", body, e)
		}
	})
}

func FuzzParseInbound(f *testing.F) {
	f.Add([]byte("<xml><ToUserName><![CDATA[c]]></ToUserName><FromUserName><![CDATA[u]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[签约 诺比侃 51亿]]></Content><MsgId>1234567890123456</MsgId><AgentID>1</AgentID></xml>"))
	f.Add([]byte("<xml><FromUserName>u</FromUserName><MsgType>event</MsgType><Event>enter_agent</Event><CreateTime>x</CreateTime></xml>"))
	f.Add([]byte("<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><CreateTime>99999999999999999999</CreateTime></xml>"))
	f.Fuzz(func(t *testing.T, plain []byte) {
		m, err := bot.ParseInbound(plain)
		if err == nil && (m == nil || m.FromUserName == "" || m.MsgType == "" || m.DeliveryID() == "") {
			t.Fatalf("ParseInbound(%q) = %+v without an error", plain, m)
		}
	})
}

func FuzzDecrypt(f *testing.F) {
	c, err := bot.NewCrypto(vectorA.token, vectorA.aesKey, vectorA.receiveID)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(vectorA.encrypt, []byte("hello"))
	f.Add("", []byte{})
	f.Add("AAAA", []byte("签约 诺比侃 51亿"))
	f.Add("////////////////////////////////////////////8=", []byte("<xml/>"))
	f.Fuzz(func(t *testing.T, encrypt string, msg []byte) {
		if plain, err := c.Decrypt(encrypt); err == nil {
			if len(plain) > len(encrypt) {
				t.Fatalf("Decrypt(%q) returned %d bytes, more than it was given", encrypt, len(plain))
			}
		} else if !errors.Is(err, bot.ErrMalformed) && !errors.Is(err, bot.ErrReceiveID) {
			t.Fatalf("Decrypt(%q): an error of no known kind: %v", encrypt, err)
		}
		if len(msg) > bot.MaxBody {
			return
		}
		enc, err := c.Encrypt(bytes.NewReader(make([]byte, 16)), msg)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.Decrypt(enc); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("Decrypt(Encrypt(%q)) = %q, %v", msg, got, err)
		}
		if c.Verify(c.Sign("1409659589", "263014780", enc), "1409659589", "263014780", enc) != nil {
			t.Fatal("a signature does not verify")
		}
	})
}
