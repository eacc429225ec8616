package bot

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Errors of the callback's signature and crypto checks; the handler maps
// each to its refusal.
var (
	ErrSignature = errors.New("wecom: signature mismatch")              // 401
	ErrMalformed = errors.New("wecom: malformed ciphertext")            // 400
	ErrReceiveID = errors.New("wecom: ciphertext for another receiver") // 403
)

// blockSize is WeCom's PKCS#7 block: 32 bytes, not AES's 16.
const blockSize = 32

// Signature returns WeCom's msg_signature: the hex SHA-1 of token,
// timestamp, nonce and the encrypted text, sorted and concatenated.
func Signature(token, timestamp, nonce, encrypt string) string {
	parts := [4]string{token, timestamp, nonce, encrypt}
	slices.Sort(parts[:])
	h := sha1.New()
	for _, p := range parts {
		io.WriteString(h, p)
	}
	var sum [sha1.Size]byte
	var out [2 * sha1.Size]byte
	hex.Encode(out[:], h.Sum(sum[:0]))
	return string(out[:])
}

// Crypto signs, verifies, encrypts and decrypts callback payloads of one
// app: its token, its 32-byte AES key and its receive id (the corp id).
type Crypto struct {
	token     string
	key       []byte
	block     cipher.Block
	receiveID string
}

// NewCrypto returns the Crypto of an app. It fails when encodingAESKey is
// not WeCom's 43-character base64 form of a 32-byte key.
func NewCrypto(token, encodingAESKey, receiveID string) (*Crypto, error) {
	if err := CheckAESKey(encodingAESKey); err != nil {
		return nil, fmt.Errorf("wecom: EncodingAESKey %w", err)
	}
	key, _ := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("wecom: %w", err)
	}
	return &Crypto{token: token, key: key, block: block, receiveID: receiveID}, nil
}

// CheckAESKey validates a WeCom EncodingAESKey: 43 characters of base64 that
// decode (with "=" appended) to 32 bytes.
func CheckAESKey(k string) error {
	if len(k) != 43 {
		return fmt.Errorf("must be 43 characters, got %d", len(k))
	}
	b, err := base64.StdEncoding.DecodeString(k + "=")
	if err != nil || len(b) != 32 {
		return fmt.Errorf("is not valid base64 for a 32-byte key")
	}
	return nil
}

// Sign returns the signature of encrypt with timestamp and nonce.
func (c *Crypto) Sign(timestamp, nonce, encrypt string) string {
	return Signature(c.token, timestamp, nonce, encrypt)
}

// Verify returns ErrSignature unless signature signs encrypt with timestamp
// and nonce. The comparison takes constant time.
func (c *Crypto) Verify(signature, timestamp, nonce, encrypt string) error {
	want := c.Sign(timestamp, nonce, encrypt)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return ErrSignature
	}
	return nil
}

// Decrypt returns the message inside encrypt: base64 of AES-256-CBC (IV =
// the key's first 16 bytes) over 16 random bytes, the message length (4
// bytes, big-endian), the message and the receive id, PKCS#7-padded to 32
// bytes. It returns ErrMalformed for bad base64, a length that is not a
// multiple of 32, a pad outside 1..32 or a message length larger than what
// is left, and ErrReceiveID when the receive id is another app's.
func (c *Crypto) Decrypt(encrypt string) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil {
		return nil, fmt.Errorf("%w: base64: %v", ErrMalformed, err)
	}
	if len(ct) == 0 || len(ct)%blockSize != 0 {
		return nil, fmt.Errorf("%w: length %d is not a multiple of %d", ErrMalformed, len(ct), blockSize)
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(c.block, c.key[:aes.BlockSize]).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > blockSize {
		return nil, fmt.Errorf("%w: pad %d outside 1..%d", ErrMalformed, pad, blockSize)
	}
	for _, b := range pt[len(pt)-pad:] {
		if int(b) != pad {
			return nil, fmt.Errorf("%w: inconsistent padding", ErrMalformed)
		}
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, fmt.Errorf("%w: too short", ErrMalformed)
	}
	n := binary.BigEndian.Uint32(pt[16:20])
	if uint64(n) > uint64(len(pt)-20) {
		return nil, fmt.Errorf("%w: message length %d larger than the %d bytes left", ErrMalformed, n, len(pt)-20)
	}
	msg, rid := pt[20:20+n], pt[20+n:]
	if subtle.ConstantTimeCompare(rid, []byte(c.receiveID)) != 1 {
		return nil, ErrReceiveID
	}
	return msg, nil
}

// Encrypt returns the base64 ciphertext of msg with 16 bytes read from
// random as its prefix (crypto/rand.Reader in production; a fixed reader
// reproduces WeCom's sample vectors byte for byte).
func (c *Crypto) Encrypt(random io.Reader, msg []byte) (string, error) {
	n := 20 + len(msg) + len(c.receiveID)
	pad := blockSize - n%blockSize
	pt := make([]byte, n+pad)
	if _, err := io.ReadFull(random, pt[:16]); err != nil {
		return "", fmt.Errorf("wecom: random prefix: %w", err)
	}
	binary.BigEndian.PutUint32(pt[16:20], uint32(len(msg)))
	copy(pt[20:], msg)
	copy(pt[20+len(msg):], c.receiveID)
	for i := n; i < len(pt); i++ {
		pt[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(c.block, c.key[:aes.BlockSize]).CryptBlocks(pt, pt)
	return base64.StdEncoding.EncodeToString(pt), nil
}
