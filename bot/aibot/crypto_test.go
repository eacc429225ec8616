package aibot_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"zsbot/bot"
	"zsbot/bot/aibot/aibotpeer"
)

// vector is one case of testdata/vectors.json, made by testdata/vectors.py
// with Python's cryptography package: an implementation of WeCom's scheme
// independent of package bot's.
type vector struct {
	AESKey    string `json:"aes_key"`
	Token     string `json:"token"`
	RandomHex string `json:"random_hex"`
	Timestamp string `json:"timestamp"`
	Nonce     string `json:"nonce"`
	Msg       string `json:"msg"`
	ReceiveID string `json:"receive_id"`
	Encrypt   string `json:"encrypt"`
	Signature string `json:"signature"`
}

func vectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Source  string   `json:"source"`
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) < 5 || f.Source == "" {
		t.Fatalf("vectors.json holds %d vectors from %q", len(f.Vectors), f.Source)
	}
	return f.Vectors
}

// TestVectors checks package bot's crypto with an empty receive id (the
// 智能机器人's) against the Python vectors, both ways, and the peer's.
func TestVectors(t *testing.T) {
	for i, v := range vectors(t) {
		c, err := bot.NewCrypto(v.Token, v.AESKey, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Sign(v.Timestamp, v.Nonce, v.Encrypt); got != v.Signature {
			t.Errorf("%d: signature %s, want %s", i, got, v.Signature)
		}
		if err := c.Verify(v.Signature, v.Timestamp, v.Nonce, v.Encrypt); err != nil {
			t.Errorf("%d: verify: %v", i, err)
		}
		msg, err := c.Decrypt(v.Encrypt)
		if v.ReceiveID != "" {
			if !errors.Is(err, bot.ErrReceiveID) {
				t.Errorf("%d: a ciphertext for %q decrypted: %q, %v", i, v.ReceiveID, msg, err)
			}
			if _, err := (&aibotpeer.Client{Token: v.Token, AESKey: v.AESKey}).Decrypt(v.Encrypt); err == nil {
				t.Errorf("%d: the peer took a receive id %q", i, v.ReceiveID)
			}
			continue
		}
		if err != nil || string(msg) != v.Msg {
			t.Errorf("%d: decrypt = %q, %v; want %q", i, msg, err, v.Msg)
		}
		rnd, _ := hex.DecodeString(v.RandomHex)
		enc, err := c.Encrypt(bytes.NewReader(rnd), []byte(v.Msg))
		if err != nil || enc != v.Encrypt {
			t.Errorf("%d: encrypt = %s, %v; want %s", i, enc, err, v.Encrypt)
		}
		peer := &aibotpeer.Client{Token: v.Token, AESKey: v.AESKey, Random: bytes.NewReader(rnd)}
		if enc, err := peer.Encrypt([]byte(v.Msg)); err != nil || enc != v.Encrypt {
			t.Errorf("%d: peer encrypt = %s, %v; want %s", i, enc, err, v.Encrypt)
		}
		if got, err := peer.Decrypt(v.Encrypt); err != nil || string(got) != v.Msg {
			t.Errorf("%d: peer decrypt = %q, %v", i, got, err)
		}
	}
}
