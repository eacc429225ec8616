package bot_test

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"zsbot/bot"
)

// vector is one of WeCom's published callback samples (wecom-vectors.md).
type vector struct {
	token, aesKey, receiveID string
	getSig, getTS, getNonce  string
	echostr, echo, echoRand  string
	postSig, postTS, nonce   string
	encrypt, plain, postRand string
}

var vectorA = vector{
	token: "QDG6eK", aesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", receiveID: "wx5823bf96d3bd56c7",
	getSig: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", getTS: "1409659589", getNonce: "263014780",
	echostr:  "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
	echo:     "1616140317555161061",
	echoRand: "c41b64491c2468d0",
	postSig:  "477715d11cdb4164915debcba66cb864d751f3e6", postTS: "1409659813", nonce: "1372623149",
	encrypt:  "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
	plain:    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
	postRand: "0960688932c47ef1",
}

var vectorB = vector{
	token: "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", aesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", receiveID: "ww1436e0e65a779aee",
	getSig: "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", getTS: "1476416373", getNonce: "47744683",
	echostr: "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
	echo:    "1288432023552776189",
	postSig: "0c3914025cb4b4d68103f6bfc8db550f79dcf48e", postTS: "1476422779", nonce: "1597212914",
	encrypt:  "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+",
	plain:    "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>",
	postRand: "694ce5a83ae07fe3",
}

func mustCrypto(tb testing.TB, v vector) *bot.Crypto {
	tb.Helper()
	c, err := bot.NewCrypto(v.token, v.aesKey, v.receiveID)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestVectors(t *testing.T) {
	for name, v := range map[string]vector{"A": vectorA, "B": vectorB} {
		c := mustCrypto(t, v)
		t.Run(name+"/GETSignature", func(t *testing.T) {
			if err := c.Verify(v.getSig, v.getTS, v.getNonce, v.echostr); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(name+"/GETDecrypt", func(t *testing.T) {
			got, err := c.Decrypt(v.echostr)
			if err != nil || string(got) != v.echo {
				t.Fatalf("Decrypt(echostr) = %q, %v; want %q", got, err, v.echo)
			}
		})
		t.Run(name+"/POSTSignature", func(t *testing.T) {
			if got := bot.Signature(v.token, v.postTS, v.nonce, v.encrypt); got != v.postSig {
				t.Fatalf("Signature = %s, want %s", got, v.postSig)
			}
		})
		t.Run(name+"/POSTDecrypt", func(t *testing.T) {
			got, err := c.Decrypt(v.encrypt)
			if err != nil || string(got) != v.plain {
				t.Fatalf("Decrypt = %q, %v\nwant %q", got, err, v.plain)
			}
		})
		t.Run(name+"/POSTEncryptExact", func(t *testing.T) {
			got, err := c.Encrypt(strings.NewReader(v.postRand), []byte(v.plain))
			if err != nil || got != v.encrypt {
				t.Fatalf("Encrypt = %s, %v\nwant %s", got, err, v.encrypt)
			}
		})
		if v.echoRand != "" {
			t.Run(name+"/GETEncryptExact", func(t *testing.T) {
				got, err := c.Encrypt(strings.NewReader(v.echoRand), []byte(v.echo))
				if err != nil || got != v.echostr {
					t.Fatalf("Encrypt(echo) = %s, %v; want %s", got, err, v.echostr)
				}
			})
		}
	}
}

func TestVectorALayout(t *testing.T) {
	key, _ := hex.DecodeString("8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760")
	pt := rawDecrypt(t, key, vectorA.encrypt)
	if len(pt) != 352 || pt[len(pt)-1] != 30 || binary.BigEndian.Uint32(pt[16:20]) != 284 || string(pt[:16]) != vectorA.postRand {
		t.Fatalf("layout: len %d pad %d msglen %d prefix %q", len(pt), pt[len(pt)-1], binary.BigEndian.Uint32(pt[16:20]), pt[:16])
	}
}

// rawDecrypt decrypts without any check, to build and inspect ciphertexts.
func rawDecrypt(tb testing.TB, key []byte, b64 string) []byte {
	tb.Helper()
	ct, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		tb.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(ct, ct)
	return ct
}

// rawEncrypt encrypts pt (a multiple of 16 bytes) without padding it.
func rawEncrypt(key, pt []byte) string {
	block, _ := aes.NewCipher(key)
	ct := make([]byte, len(pt))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(ct, pt)
	return base64.StdEncoding.EncodeToString(ct)
}

// layout builds random(16) + length + msg + receive id, PKCS#7-padded to
// 32 bytes, then lets edit spoil it.
func layout(msgLen uint32, msg, rid string, edit func(b []byte)) []byte {
	b := make([]byte, 20, 96)
	binary.BigEndian.PutUint32(b[16:20], msgLen)
	b = append(append(b, msg...), rid...)
	pad := 32 - len(b)%32
	for range pad {
		b = append(b, byte(pad))
	}
	if edit != nil {
		edit(b)
	}
	return b
}

func TestDecryptRefuses(t *testing.T) {
	v := vectorA
	c := mustCrypto(t, v)
	key, _ := base64.StdEncoding.DecodeString(v.aesKey + "=")
	lastByte := func(x byte) func([]byte) { return func(b []byte) { b[len(b)-1] = x } }
	for name, tc := range map[string]struct {
		encrypt string
		want    error
	}{
		"BadBase64":       {"!!!not base64!!!", bot.ErrMalformed},
		"LengthNot32":     {base64.StdEncoding.EncodeToString(make([]byte, 48)), bot.ErrMalformed},
		"Empty":           {"", bot.ErrMalformed},
		"PadZero":         {rawEncrypt(key, layout(5, "hello", v.receiveID, lastByte(0))), bot.ErrMalformed},
		"PadAbove32":      {rawEncrypt(key, layout(5, "hello", v.receiveID, lastByte(33))), bot.ErrMalformed},
		"InconsistentPad": {rawEncrypt(key, layout(5, "hello", v.receiveID, func(b []byte) { b[len(b)-2]++ })), bot.ErrMalformed},
		"LengthTooLarge":  {rawEncrypt(key, layout(1000, "hello", v.receiveID, nil)), bot.ErrMalformed},
		"WrongReceiveID":  {rawEncrypt(key, layout(5, "hello", "wxOTHER", nil)), bot.ErrReceiveID},
		"Valid":           {rawEncrypt(key, layout(5, "hello", v.receiveID, nil)), nil},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := c.Decrypt(tc.encrypt); !errors.Is(err, tc.want) {
				t.Fatalf("Decrypt: %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("SignatureOffByOne", func(t *testing.T) {
		sig := []byte(v.postSig)
		sig[len(sig)-1] ^= 1
		if err := c.Verify(string(sig), v.postTS, v.nonce, v.encrypt); !errors.Is(err, bot.ErrSignature) {
			t.Fatalf("Verify: %v", err)
		}
	})
	t.Run("AESKeyNot43", func(t *testing.T) {
		for _, k := range []string{v.aesKey[:42], v.aesKey + "A", strings.Repeat("!", 43)} {
			if _, err := bot.NewCrypto(v.token, k, v.receiveID); err == nil {
				t.Fatalf("NewCrypto(%q) accepted", k)
			}
		}
	})
}
