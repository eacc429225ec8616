package loadgen

import (
	"crypto/rand"
	"encoding/binary"
	"io"
	"net/http"
	"strconv"
	"time"

	"zsbot/bot"
)

// CryptoOnly is the bound of the callback's cost: an http.Handler that does
// for each POST only what WeCom's protocol makes every bot do — read the
// body, parse the envelope, check the signature, decrypt, parse the
// message, then sign and encrypt a passive reply — with zsbot's own code
// (package bot), and no Redis, no once-only claim and no handler. Its reply
// to a text message is 「已收到：<text>」, which the load generator takes as
// an acknowledgement (it starts with 已), so the same generator runs the same
// mix against it. `zsbench --serve-crypto ADDR` serves it; BENCHMARKS.md
// compares zsbot's commands/s with this bound's.
type CryptoOnly struct {
	crypto *bot.Crypto
	corpID string
}

// NewCryptoOnly returns the handler for the app's token, AES key and corp id.
func NewCryptoOnly(token, aesKey, corpID string) (*CryptoOnly, error) {
	c, err := bot.NewCrypto(token, aesKey, corpID)
	if err != nil {
		return nil, err
	}
	return &CryptoOnly{crypto: c, corpID: corpID}, nil
}

// ServeHTTP answers a POST as the callback would, with an echo.
func (h *CryptoOnly) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, bot.HardMaxBody))
	if err != nil {
		http.Error(w, "body", http.StatusBadRequest)
		return
	}
	env, err := bot.ParseEnvelope(body)
	if err != nil {
		http.Error(w, "xml", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	if err := h.crypto.Verify(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), env.Encrypt); err != nil {
		http.Error(w, "signature", http.StatusUnauthorized)
		return
	}
	plain, err := h.crypto.Decrypt(env.Encrypt)
	if err != nil {
		http.Error(w, "ciphertext", http.StatusBadRequest)
		return
	}
	m, err := bot.ParseInbound(plain)
	if err != nil {
		http.Error(w, "message", http.StatusBadRequest)
		return
	}
	if m.MsgType != "text" {
		return // 200 empty, as the bot answers events
	}
	now := time.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	var b [8]byte
	rand.Read(b[:])
	nonce := strconv.FormatUint(1e9+binary.BigEndian.Uint64(b[:])%9e9, 10)
	out, err := h.crypto.ReplyEnvelope(rand.Reader, bot.ReplyPlaintext(m.FromUserName, h.corpID, now.Unix(), "已收到："+m.Content), ts, nonce)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(out)
}
